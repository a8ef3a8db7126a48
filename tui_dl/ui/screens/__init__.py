"""The app's screens, one module each (`run_views/` for the views of one run). The app opens
them by name through `tui_dl.ui.registry`, which imports a screen's module when it is first
opened: a screen is reached through the registry or its own module, never through this
package."""
