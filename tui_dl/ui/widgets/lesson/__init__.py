"""The lessons' live widgets (numpy only, maths in tui_dl.lessons.widgets and
tui_dl.lessons.maths): gradient descent, softmax, activations, ethics, the perceptron,
backpropagation, optimizers, overfitting, normalising, convolution, recurrent gradients,
VAE sampling, and the check questions."""
