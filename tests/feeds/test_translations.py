"""translations.txt in both its forms gives every stop and route a ``{language: name}`` map."""

from __future__ import annotations

import pytest

from maas.feeds.reader import read_feed
from maas.feeds.translations import feed_language, glossary, stop_headsign_translations, translated_names, translation_form
from maas.feeds.validate import validate_feed
from maas.timetable.compile import compile_feeds

LEGACY = "trans_id,lang,translation\n阿知須駅,en,Ajisu Station\n阿知須駅,ja-Hrkt,あじすえき\n本由良駅,en,Motoyura Station\n宇部線,en,Ube Line\n"

GTFS_BY_RECORD = (
    "table_name,field_name,language,translation,record_id,record_sub_id,field_value\n"
    "stops,stop_name,en,Ajisu Station,AJS,,\n"
    "stops,stop_name,ja-Hrkt,あじすえき,AJS,,\n"
    "stops,stop_name,en,Motoyura Station,MTU,,\n"
    "routes,route_long_name,en,Ube Line,R1,,\n"
)

GTFS_BY_VALUE = (
    "table_name,field_name,language,translation,record_id,record_sub_id,field_value\n"
    "stops,stop_name,en,Ajisu Station,,,阿知須駅\n"
    "stops,stop_name,ja-Hrkt,あじすえき,,,阿知須駅\n"
    "stops,stop_name,en,Motoyura Station,,,本由良駅\n"
    "routes,route_long_name,en,Ube Line,,,宇部線\n"
)

EXPECTED_STOPS = {
    "AJS": {"ja": "阿知須駅", "en": "Ajisu Station", "ja-Hrkt": "あじすえき"},
    "MTU": {"ja": "本由良駅", "en": "Motoyura Station"},
    "TPK": {"ja": "テクノパーク"},
}


@pytest.fixture
def named_feed(feed_text):
    """The valid feed with a route_long_name in Japanese (宇部線) to translate."""
    feed_text.set_cell("routes.txt", 2, "route_long_name", "宇部線")
    return feed_text


@pytest.mark.parametrize(
    "text, form",
    [(LEGACY, "gtfs-jp-legacy"), (GTFS_BY_RECORD, "gtfs"), (GTFS_BY_VALUE, "gtfs")],
    ids=["legacy-trans_id", "gtfs-record_id", "gtfs-field_value"],
)
def test_each_form_gives_language_to_name(text, form, named_feed, write_feed):
    """Legacy (trans_id,lang,translation) and GTFS (record_id or field_value) forms give the same {lang: name}."""
    named_feed.set("translations.txt", text)
    feed = read_feed(write_feed(named_feed))
    assert translation_form(feed) == form
    assert translated_names(feed, "stops.txt", "stop_id", "stop_name") == EXPECTED_STOPS
    assert translated_names(feed, "routes.txt", "route_id", "route_long_name") == {"R1": {"ja": "宇部線", "en": "Ube Line"}}
    assert validate_feed(feed) == []


@pytest.mark.parametrize("text", [LEGACY, GTFS_BY_RECORD, GTFS_BY_VALUE], ids=["legacy", "record_id", "field_value"])
def test_translations_reach_the_compiled_timetable(text, named_feed, write_feed):
    """Compiled stops and routes answer in English, fall back from en-GB to en and from other languages to English."""
    named_feed.set("translations.txt", text)
    tt = compile_feeds([read_feed(write_feed(named_feed))], progress=False)
    ajs = tt.stops_with_id("AJS")[0]
    tpk = tt.stops_with_id("TPK")[0]
    assert tt.stop_names_i18n[ajs] == EXPECTED_STOPS["AJS"]
    assert tt.stop_name(ajs, "en") == "Ajisu Station"
    assert tt.stop_name(ajs, "en-GB") == "Ajisu Station"
    assert tt.stop_name(ajs, "ja-Hrkt") == "あじすえき"
    assert tt.stop_name(ajs, "ko") == "Ajisu Station"  # no Korean: English
    assert tt.stop_name(ajs) == "阿知須駅"
    assert tt.stop_name(tpk, "en") == "Techno Park"  # no translation, no reading: generated
    assert tt.stop_name_source[ajs] == "feed" and tt.stop_name_source[tpk] == "generated"
    assert tt.route_name(0, "en") == "Ube Line"
    assert tt.route_name(0) == "TS"


def test_field_value_applies_to_every_record_with_that_value(feed_text, write_feed):
    """A field_value row translates every stop whose name is that value (e.g. two platforms)."""
    feed_text.append("stops.txt", "AJS2,阿知須駅,34.0001,131.3601")
    feed_text.set("translations.txt", GTFS_BY_VALUE)
    names = translated_names(read_feed(write_feed(feed_text)), "stops.txt", "stop_id", "stop_name")
    assert names["AJS"]["en"] == names["AJS2"]["en"] == "Ajisu Station"


def test_record_id_wins_over_field_value(feed_text, write_feed):
    """A translation for the record itself beats one for its value, whichever comes first in the file."""
    feed_text.set(
        "translations.txt",
        "table_name,field_name,language,translation,record_id,field_value\n"
        "stops,stop_name,en,Ajisu (record),AJS,\n"
        "stops,stop_name,en,Ajisu (value),,阿知須駅\n"
        "stops,stop_name,en,Motoyura (value),,本由良駅\n"
        "stops,stop_name,en,Motoyura (record),MTU,\n",
    )
    names = translated_names(read_feed(write_feed(feed_text)), "stops.txt", "stop_id", "stop_name")
    assert names["AJS"]["en"] == "Ajisu (record)"
    assert names["MTU"]["en"] == "Motoyura (record)"


def test_translations_of_other_tables_and_fields_do_not_leak(feed_text, write_feed):
    """A stop_desc or routes translation for the same record id is not taken as the stop's name."""
    feed_text.set(
        "translations.txt",
        "table_name,field_name,language,translation,record_id\n"
        "stops,stop_desc,en,North exit,AJS\n"
        "routes,route_long_name,en,Ajisu Line,AJS\n"
        "stops,stop_name,en,Ajisu,AJS\n",
    )
    names = translated_names(read_feed(write_feed(feed_text)), "stops.txt", "stop_id", "stop_name")
    assert names["AJS"] == {"ja": "阿知須駅", "en": "Ajisu"}


def test_translation_for_unknown_record_is_ignored(feed_text, write_feed):
    """A record_id naming no stop adds no stop."""
    feed_text.set("translations.txt", "table_name,field_name,language,translation,record_id\nstops,stop_name,en,Ghost,NOPE\n")
    names = translated_names(read_feed(write_feed(feed_text)), "stops.txt", "stop_id", "stop_name")
    assert sorted(names) == ["AJS", "MTU", "TPK"]
    assert all("en" not in v for v in names.values())


def test_legacy_form_with_bom_and_crlf(feed_text, write_feed):
    """A legacy translations.txt saved with a BOM and CRLF (as Japanese tools do) still translates."""
    feed_text.set("translations.txt", b"\xef\xbb\xbf" + LEGACY.replace("\n", "\r\n").encode("utf-8"))
    feed = read_feed(write_feed(feed_text))
    assert translation_form(feed) == "gtfs-jp-legacy"
    assert translated_names(feed, "stops.txt", "stop_id", "stop_name")["AJS"]["en"] == "Ajisu Station"


def test_unknown_form_is_a_warning_and_ignored(feed_text, write_feed):
    """translations.txt with neither form's columns is a warning on line 1 and gives only the own names."""
    feed_text.set("translations.txt", "text,language,translation\n阿知須駅,en,Ajisu Station\n")
    feed = read_feed(write_feed(feed_text))
    assert translation_form(feed) is None
    problems = validate_feed(feed)
    assert [(p.severity, p.code, p.file, p.row) for p in problems] == [("warning", "unknown_translations_form", "translations.txt", 1)]
    assert translated_names(feed, "stops.txt", "stop_id", "stop_name")["AJS"] == {"ja": "阿知須駅"}


def test_feed_language_prefers_feed_info_then_agency(feed_text, write_feed):
    """The own names' language is feed_info.feed_lang, else agency_lang (lower-cased), else ja."""
    assert feed_language(read_feed(write_feed(feed_text, "a"))) == "ja"
    feed_text.set_cell("agency.txt", 2, "agency_lang", "EN")
    assert feed_language(read_feed(write_feed(feed_text, "b"))) == "en"
    feed_text.set("feed_info.txt", "feed_publisher_name,feed_publisher_url,feed_lang\nUbe,https://example.com,ko\n")
    assert feed_language(read_feed(write_feed(feed_text, "c"))) == "ko"
    feed_text.remove("feed_info.txt")
    feed_text.drop_column("agency.txt", "agency_lang")
    assert feed_language(read_feed(write_feed(feed_text, "d"))) == "ja"


def test_own_language_names_are_keyed_by_feed_language(feed_text, write_feed):
    """An English-language feed keys its own names under 'en' and adds Japanese from translations."""
    feed_text.set_cell("agency.txt", 2, "agency_lang", "en")
    for line, name in ((2, "Ajisu"), (3, "Motoyura"), (4, "Techno Park")):
        feed_text.set_cell("stops.txt", line, "stop_name", name)
    feed_text.set("translations.txt", "trans_id,lang,translation\nAjisu,ja,阿知須駅\n")
    names = translated_names(read_feed(write_feed(feed_text)), "stops.txt", "stop_id", "stop_name")
    assert names["AJS"] == {"en": "Ajisu", "ja": "阿知須駅"}
    assert names["MTU"] == {"en": "Motoyura"}


@pytest.mark.parametrize("text", [LEGACY, GTFS_BY_RECORD, GTFS_BY_VALUE], ids=["legacy", "record_id", "field_value"])
def test_glossary_keys_every_translation_by_its_text(text, named_feed, write_feed):
    """Each form gives {text: {language: translation}}: a record's translation is keyed by the record's text."""
    named_feed.set("translations.txt", text)
    names = glossary(read_feed(write_feed(named_feed)))
    assert names["阿知須駅"] == {"en": "Ajisu Station", "ja-Hrkt": "あじすえき"}
    assert names["本由良駅"] == {"en": "Motoyura Station"}
    assert names["宇部線"] == {"en": "Ube Line"}


def test_glossary_compares_text_as_nfkc_and_keeps_the_first(feed_text, write_feed):
    """Ａ団地 and A団地 are one text; a second translation of a text into the same language does not replace the first."""
    feed_text.set("translations.txt", "trans_id,lang,translation\nＡ団地,en,A Estate\nA団地,en,Other\nA団地,ko,A 단지\n")
    assert glossary(read_feed(write_feed(feed_text))) == {"A団地": {"en": "A Estate", "ko": "A 단지"}}


def test_no_translations_no_glossary(feed_text, write_feed):
    assert glossary(read_feed(write_feed(feed_text))) == {}


def test_stop_headsign_translations_by_value_and_by_stop_time(feed_text, write_feed):
    """stop_times rows: field_value for every stop time with that headsign, record_id + record_sub_id (trip, sequence) for one."""
    feed_text.set(
        "translations.txt",
        "table_name,field_name,language,translation,record_id,record_sub_id,field_value\n"
        "stop_times,stop_headsign,en,Techno Park,,,テクノパーク\n"
        "stop_times,stop_headsign,en,Techno Park (first run),T1,1,\n"
        "trips,trip_headsign,en,Not a stop headsign,,,テクノパーク\n",
    )
    by_value, by_record = stop_headsign_translations(read_feed(write_feed(feed_text)))
    assert by_value == {"テクノパーク": {"en": "Techno Park"}}
    assert by_record == {("T1", 1): {"en": "Techno Park (first run)"}}
