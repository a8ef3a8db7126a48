"""Processes of the engine: a run's child (`child`), how runs are started, watched and
cancelled (`launch`), and the short jobs on a finished run — where it looked, what it says to
pictures it never saw (`insights`, `insight_child`, `insight_tasks`, `maps`)."""
