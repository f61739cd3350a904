"""maas: open multimodal route planning for the Yamaguchi central area.

Layers, each importing only the ones before it (see README, "Architecture"):

``maas.feeds``      read and check GTFS / GTFS-JP feeds
``maas.timetable``  compile feeds into flat arrays, cached on disk
``maas.network``    stops, POIs and walking links as a graph; spatial look-ups
``maas.routing``    RAPTOR journeys, range queries, isochrones, matrices
``maas.cli``        the ``maas`` command line
"""

__version__ = "0.1.0"
