"""The Playground screen's widgets: its settings list, its network, its losses."""
