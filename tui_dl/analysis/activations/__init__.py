"""Inside the model for one input: every layer's output and the convolutions' kernels
(the activations view, CNN Explainer in the terminal), kept per input in the run's notes."""
