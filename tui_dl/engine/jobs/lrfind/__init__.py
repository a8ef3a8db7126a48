"""The learning-rate finder's job: one short pass of an experiment's model with the rate
rising (tui_dl.analysis.lrfind has the arithmetic). `launch` starts it without TensorFlow;
`task` is what its child process runs."""
