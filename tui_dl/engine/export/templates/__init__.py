"""The scripts' templates: one plain Keras module a kind of experiment, read as text by
`export.template` (never imported by tui-dl; each imports Keras and nothing of tui-dl)."""
