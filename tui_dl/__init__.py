"""tui-dl: a terminal deep-learning classroom and lab."""

__version__ = "0.1.0"
