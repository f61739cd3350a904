"""Sightseeing tours: choose, order and time POI visits (orienteering with time windows)."""
