"""The headless run engine: specs, run folders, child processes and their events.

Nothing here imports textual. The UI and the command line use the light modules
(`events`, `runfiles`, `store`, `experiments`, `devices`, `jobs.launch`, `sweeps.*`); only
the child processes (`jobs.child`, `jobs.insight_child`, `sweeps.driver`) reach the
`trainers`, which pull in TensorFlow. This package file imports nothing itself, so importing
one engine module never loads the others.
"""
