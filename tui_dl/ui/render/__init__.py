"""Pictures as text for the screens: digits (`digits`) and photos (`photos`) in half blocks."""
