"""The model, layer by layer: its summary as Keras counts it (`tui-dl model RUN`, the model
view) and which runs have a model to show."""
