"""`--screen dataset:NAME`: one of the course's datasets looked at before anything trains.

The package file imports nothing: the labs import `key` (their `ctrl+d`) without the screen.
"""
