"""The course's datasets: where each one is on this machine, and loaders that return numpy.

Nothing here imports TensorFlow, Keras or Textual at import time, so the UI can show what
is available without paying for TensorFlow; Keras is imported only inside a download. This
package file imports nothing itself: each caller imports the module it needs (`registry`,
`sources`, `status`, `images`, `tables`, `reviews`, `download`), so the app's first frame
does not pay for numpy.
"""
