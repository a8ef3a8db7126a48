"""Widgets about runs: the settings form, progress, plots, summary, and the run views' parts."""
