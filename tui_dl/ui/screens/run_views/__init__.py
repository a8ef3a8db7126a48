"""The views of one run: confusion matrix, wrong digits, where it looked, the confidence
probe, and the IMDB reviews — each reads the run's artifacts through `tui_dl.analysis`."""
