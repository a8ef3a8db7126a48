"""Experiment trainers: run inside the child process only (they import TensorFlow)."""
