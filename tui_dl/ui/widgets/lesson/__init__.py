"""The lessons' live widgets (numpy only): gradient descent, softmax, activations, ethics."""
