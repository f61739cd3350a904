"""Peer planners (pyraptor, raptor-journey-planner): install, adapt feeds, run, compare."""
