"""The map's geography: GET /v1/map-config, the shipped basemap and its credit, tile settings and the CSP they open."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.routers.mapconfig import BASEMAP_CREDIT, BASEMAP_URL
from api.security import CSP_MAP
from api.settings import Settings, tile_origin, tile_settings
from maas.errors import InputError
from tests.conftest import LOOPBACK, shared_path

BASEMAP = Path(__file__).resolve().parents[2] / "api" / "static" / "basemap"
GSI = "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
SEVEN = {"山口市": "Yamaguchi", "宇部市": "Ube", "萩市": "Hagi", "防府市": "Hofu", "美祢市": "Mine", "山陽小野田市": "Sanyo-Onoda", "津和野町": "Tsuwano"}


@contextmanager
def service(service_state, **settings: object) -> Iterator[TestClient]:
    state = dataclasses.replace(service_state, settings=dataclasses.replace(service_state.settings, **settings))
    with TestClient(create_app(state=state), raise_server_exceptions=False, client=LOOPBACK) as c:
        yield c


def img_src(csp: str) -> str:
    return next(d for d in csp.split("; ") if d.startswith("img-src"))


def test_map_config_without_tiles(client):
    """By default: the offline basemap with the MLIT credit in both languages, no tiles."""
    doc = client.get("/v1/map-config").json()
    assert doc == {"basemap": {"url": BASEMAP_URL, "attribution": BASEMAP_CREDIT}, "tile_url": None, "tile_attribution": None}


def test_no_other_origin_in_the_csp_by_default(client):
    """Without tiles the map may load images from this server and data: URLs only (no OpenStreetMap any more)."""
    for path in ("/", "/app.js", "/v1/map-config", f"/{BASEMAP_URL}"):
        csp = client.get(path).headers["content-security-policy"]
        assert img_src(csp) == "img-src 'self' data: blob:", path
        assert "openstreetmap" not in csp and csp == CSP_MAP


def test_configured_tiles_are_served_and_allowed(service_state):
    """With tiles configured, map-config names them and the CSP allows their origin for images, and only there."""
    with service(service_state, tile_url=GSI, tile_attribution="地理院タイル") as c:
        doc = c.get("/v1/map-config").json()
        assert doc["tile_url"] == GSI and doc["tile_attribution"] == "地理院タイル"
        csp = c.get("/").headers["content-security-policy"]
        assert img_src(csp) == "img-src 'self' data: blob: https://cyberjapandata.gsi.go.jp"
        assert "connect-src 'self';" in csp and "script-src 'self';" in csp
        assert "cyberjapandata" not in c.get("/docs").headers["content-security-policy"]


def test_the_basemap_is_served(client):
    r = client.get(f"/{BASEMAP_URL}", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers.get("content-encoding") == "gzip"  # about 30 KiB on the wire
    assert len(r.json()["features"]) == 22


def test_basemap_content():
    """Yamaguchi's 19 municipalities and Tsuwano's two neighbours; the seven of the area flagged, named in ja and en,
    each with a label point inside it."""
    from shapely.geometry import Point, shape

    doc = json.loads((BASEMAP / "municipalities.geojson").read_text(encoding="utf-8"))
    props = [f["properties"] for f in doc["features"]]
    assert len(props) == 22 and sum(p["code"].startswith("35") for p in props) == 19
    assert {p["name_ja"]: p["name_en"] for p in props if p["area"]} == SEVEN
    for f in doc["features"]:
        assert shape(f["geometry"]).is_valid and shape(f["geometry"]).contains(Point(f["properties"]["label"])), f["properties"]
    assert (BASEMAP / "municipalities.geojson").stat().st_size < 150_000


def test_basemap_credit_matches_its_readme():
    """The credit the map shows is the one the basemap's README (and the MLIT terms) give, word for word."""
    readme = (BASEMAP / "README.md").read_text(encoding="utf-8")
    assert BASEMAP_CREDIT["ja"] in readme and BASEMAP_CREDIT["en"] in readme
    provenance = shared_path("basemap", "PROVENANCE.md").read_text(encoding="utf-8")
    assert BASEMAP_CREDIT["ja"] in provenance and BASEMAP_CREDIT["en"] in provenance


def test_basemap_rebuilds_identically(monkeypatch):
    """The build script regenerates the shipped file byte for byte from ../shared/data/basemap."""
    shared = shared_path("basemap")
    monkeypatch.setenv("MAAS_SHARED_DATA", str(shared.parent))
    spec = importlib.util.spec_from_file_location("build_basemap", BASEMAP / "_build" / "build_basemap.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    text = json.dumps(build.build(), ensure_ascii=False, separators=(",", ":")) + "\n"
    assert text == (BASEMAP / "municipalities.geojson").read_text(encoding="utf-8")


# --- MAAS_TILE_URL and MAAS_TILE_ATTRIBUTION --------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        (GSI, "https://cyberjapandata.gsi.go.jp"),
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("http://127.0.0.1:8081/tiles/{z}/{x}/{y}.png", "http://127.0.0.1:8081"),
        ("https://Tiles.Example.org/{z}/{y}/{x}.webp?key=abc", "https://tiles.example.org"),
        ("http://[::1]:9000/{z}/{x}/{y}.png", "http://[::1]:9000"),
    ],
)
def test_tile_url_accepted(monkeypatch, url, origin):
    monkeypatch.setenv("MAAS_TILE_URL", url)
    monkeypatch.setenv("MAAS_TILE_ATTRIBUTION", "  © the   provider ")
    settings = Settings.from_env()
    assert settings.tile_url == url and settings.tile_attribution == "© the provider"
    assert tile_origin(url) == origin


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://tiles.example.org/{z}/{x}/{y}.png", "http or https"),
        ("tiles.example.org/{z}/{x}/{y}.png", "http or https"),
        ("https:///{z}/{x}/{y}.png", "http or https"),
        ("https://tiles.example.org/{z}/{x}.png", "{y} missing"),
        ("https://tiles.example.org/tile.png", "{z}, {x}, {y} missing"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "plain host"),
        ("https://tiles.example.org/{z}/{x}/{y}{r}.png", "only {z}, {x} and {y}"),
        ("https://user:secret@tiles.example.org/{z}/{x}/{y}.png", "no user or password"),
        ("https://tiles.example.org:http/{z}/{x}/{y}.png", "port"),
        ("https://tiles.example.org;script-src/{z}/{x}/{y}.png", "plain host"),
        ("https://tiles.example.org/{z}/{x}/{y}.png' data:", "no spaces or quotes"),
    ],
)
def test_tile_url_refused_naming_the_variable(url, says):
    with pytest.raises(InputError) as caught:
        tile_settings(url, "credit")
    assert str(caught.value).startswith("MAAS_TILE_URL:") and says in str(caught.value)


def test_tile_attribution_goes_with_the_url():
    with pytest.raises(InputError, match=r"^MAAS_TILE_ATTRIBUTION: required with MAAS_TILE_URL"):
        tile_settings(GSI, "  ")
    with pytest.raises(InputError, match=r"^MAAS_TILE_ATTRIBUTION: set without MAAS_TILE_URL"):
        tile_settings("", "© someone")
    assert tile_settings("", "") == {}


def test_bad_tile_url_stops_the_service(monkeypatch):
    """A wrong MAAS_TILE_URL is an error at start, naming the variable, not a map that silently shows nothing."""
    monkeypatch.setenv("MAAS_TILE_URL", "https://tiles.example.org/tile.png")
    monkeypatch.setenv("MAAS_TILE_ATTRIBUTION", "x")
    with pytest.raises(InputError, match="MAAS_TILE_URL"):
        create_app()
