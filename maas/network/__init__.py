"""The multimodal network: stops, stations, POIs and the walking links between them."""
