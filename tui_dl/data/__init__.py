"""The course's datasets: where each one is on this machine, and loaders that return numpy.

Nothing here imports TensorFlow, Keras or Textual at import time, so the UI can show what
is available without paying for TensorFlow; Keras is imported only inside a download.
"""

from tui_dl.data.cli import data_fetch_command, data_status_command
from tui_dl.data.download import is_online
from tui_dl.data.images import ImageData, load_fashion_mnist, load_mnist, read_idx
from tui_dl.data.registry import DATASETS, Dataset, DatasetUnavailable
from tui_dl.data.sources import Located, fetch, locate
from tui_dl.data.status import StatusRow, status_rows
from tui_dl.data.tables import read_uci_table

__all__ = [
    "DATASETS",
    "Dataset",
    "DatasetUnavailable",
    "ImageData",
    "Located",
    "StatusRow",
    "data_fetch_command",
    "data_status_command",
    "fetch",
    "is_online",
    "load_fashion_mnist",
    "load_mnist",
    "locate",
    "read_idx",
    "read_uci_table",
    "status_rows",
]
