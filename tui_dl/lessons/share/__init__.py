"""Share codes: a setup as a short, self-contained text (codes.py)."""
