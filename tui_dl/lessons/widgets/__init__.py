"""The numbers behind each lesson widget, one module a widget, numpy only (no Textual)."""
