"""A spare process with TensorFlow already imported, handed the next run or job.

A run is one process from its first line to its last (a clean start, a run that outlives the
app, GPU memory given back at its exit), and most of a short run's wait is that process
importing TensorFlow. So the app keeps one process ready that has done the import and built
nothing: `child.py` is that process, `pool.py` the app's side that starts it, hands it a run
(it then becomes that run, exactly as a cold child would be) and starts the next one behind.

A spare ends with the app that started it, however the app ends: it reads its orders from a
pipe only the app holds, and the end of that pipe before an order ends the spare.
"""

PLACEHOLDER = "_" * 1024
"""A spare's last argument: room in its command line for the folder it will serve."""
READY = "ready"
"""What a spare says on its answer pipe once TensorFlow is imported (child.py, pool.py)."""
