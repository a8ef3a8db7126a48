"""GAN Lab without a browser: a 2-D GAN in numpy (no TensorFlow, no Textual), trained in the
app's own process — real points from a ring, a line, two blobs or a CSV; a generator and a
discriminator built from the Playground's network; each update one call."""
