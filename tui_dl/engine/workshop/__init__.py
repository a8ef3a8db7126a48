"""A workshop: one folder every seat shares (runs, sweeps, the queue, the seats), who is who
in it, and what the instructor puts on every seat. Headless: no Textual here."""
