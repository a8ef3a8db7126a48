"""The instructor's view of the room, read from the shared folders (state.py)."""
