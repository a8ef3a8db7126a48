"""Looking back at a finished run from its artifacts: numpy and scikit-learn, no TensorFlow,
no Textual — shared by the screens, the CLI's JSON report and the engine's jobs."""
