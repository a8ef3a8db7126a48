"""The GAN Lab screen's widgets: its settings list and its numbers."""
