"""The course's Playground without a browser: the web Playground's data, network, update rule
and state strings in numpy (no TensorFlow, no Textual), trained in the app's own process.

One module is the exception: `keras_model` is the Keras code of the script `export` writes
(which reads it as text); only that script and the playground trainer import it."""
