"""Sweeps: one experiment over learning rates × batch sizes, one ordinary run per cell —
the grid and its checks (`grid`), its folder, launch and cancel (`launch`), the driver
process (`driver`), its state rebuilt from events (`state`) and the lessons it teaches
(`lessons`)."""
