"""The maas HTTP service: journeys, tours, shuttle scenarios, and the web map (``api/static``)."""
