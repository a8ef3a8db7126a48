"""The headless run engine: specs, run folders, child processes and their events.

Nothing here imports textual. The UI and the command line use the light modules
(`events`, `runfiles`, `store`, `experiments`, `devices`, `jobs.launch`, `sweeps.*`); only
the child processes (`jobs.child`, `jobs.insight_child`, `sweeps.driver`) reach the
`trainers`, which pull in TensorFlow. This package file imports nothing itself, so importing
one engine module never loads the others.

Two tiers, checked by pyproject.toml's layers contract: the processes (`sweeps`, `jobs`,
`cluster`, `trainers`) sit above `tui_dl.analysis`, whose writers the trainers call; the
core (the run contract in `runfiles` and `events`, `store`, `experiments`, the queue, the
workshop, the numpy labs) sits below `analysis` and `lessons`, which read runs through it.
"""
