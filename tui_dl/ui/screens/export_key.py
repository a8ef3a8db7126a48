"""`x`: export a finished run — as a script, a notebook, its model or a TFLite file, what its
experiment offers (`export.offered`) — from the runs list and from the lab (`LabExport`)."""

from __future__ import annotations

from textual.binding import Binding

from tui_dl.ui.screens.app_screen import AppScreen


def export_ready(experiment: str, status: str | None) -> bool:
    """Whether `x` is offered: a finished run of an experiment that exports."""
    from tui_dl.engine.export import offered

    return status == "finished" and bool(offered(experiment))


def open_export(screen: AppScreen, run_id: str, experiment: str) -> None:
    """The export dialog on this run, offering what its experiment exports as."""
    from tui_dl.engine.export import offered
    from tui_dl.paths import exports_dir
    from tui_dl.ui.dialogs.export_menu import ExportMenu

    screen.app.push_screen(ExportMenu(run_id, exports_dir(), offered(experiment)))


class LabExport(AppScreen):
    """The lab's `x`: its run (`run_id`, `status`, `experiment`), once finished."""

    BINDINGS = [Binding("x", "export", "Export")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export":
            experiment = getattr(self, "experiment", None)
            return getattr(self, "run_id", None) is not None and export_ready(
                getattr(experiment, "name", ""), getattr(self, "status", None)
            )
        return super().check_action(action, parameters)

    def action_export(self) -> None:
        run_id, experiment = getattr(self, "run_id", None), getattr(self, "experiment", None)
        if run_id is not None and experiment is not None:
            open_export(self, run_id, experiment.name)
