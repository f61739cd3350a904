"""Commuter shuttle planning: evaluate a shuttle timetable against trains and shifts, and optimise it."""
