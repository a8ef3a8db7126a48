"""The course's Playground without a browser: the web Playground's data, network, update rule
and state strings in numpy (no TensorFlow, no Textual), trained in the app's own process."""
