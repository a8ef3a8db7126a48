"""Every run kept on this machine: open one in the lab, cancel a live one, or export a
finished my-images run (`x`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from tui_dl.engine import runfiles
from tui_dl.engine.events import LIVE
from tui_dl.text import percent
from tui_dl.ui import registry
from tui_dl.ui.render.plain import TextTable
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from textual.timer import Timer

    from tui_dl.lessons.share.codes import Shared

REFRESH_S = 2.0


class RunsScreen(AppScreen):
    _ticks: Timer | None = None
    """Reads the list again every REFRESH_S while the screen is shown."""
    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("c", "cancel", "Cancel run"),
        Binding("space", "mark", "Mark", show=False),
        Binding("v", "compare", "Compare marked"),
        Binding("x", "export", "Export"),
        Binding("f5", "refresh", "Refresh", show=False),  # it refreshes itself every 2 s
        Binding("escape", "back", "Back"),
        *registry.view_keys("insight", runfiles.PREDICTIONS),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextTable(id="runs", cursor_type="row")
        yield Static("", id="runs-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "tui-dl — runs"
        self.sub_title = "everything trained on this machine"
        self.query_one(DataTable).add_columns("run", "status", "test acc", "epochs", "device")
        self._rows: list[tuple[str, ...]] | None = None
        self.marked: list[str] = []
        """The runs marked with space, in the order marked: v compares them."""
        self.action_refresh()
        self._ticks = self.set_interval(REFRESH_S, self.action_refresh)

    def on_screen_suspend(self) -> None:
        if self._ticks is not None:  # left (kept) or covered by a run's view: unseen
            self._ticks.pause()

    def on_screen_resume(self) -> None:
        if self.shown_before and self._ticks is not None:
            # Back: the list as it is now, the cursor where it was; read once the screen is
            # drawn, so the thread does not compete with that for the interpreter.
            self.call_after_refresh(self.action_refresh)
            self._ticks.resume()

    def action_refresh(self) -> None:
        self.load()

    def share_target(self) -> Shared | None:
        """ctrl+s: the selected run's setup (the run stays here; its settings travel)."""
        from tui_dl.ui.sharing import run_setup

        table = self.query_one(DataTable)
        if not table.row_count:
            from tui_dl.lessons.share.codes import Shared
            from tui_dl.lessons.tries import Target

            return Shared(Target("screen", "runs"))
        row = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return run_setup(self.app, str(row))

    @work(thread=True, exclusive=True, group="runs")
    def load(self) -> None:
        infos = self.app.source.list_runs()
        rows = [
            (
                i.run_id,
                i.status_words,
                percent(i.accuracy),
                i.trained.words,
                i.spec.get("device", "?"),
            )
            for i in infos
        ]
        self.from_thread(self._known, {i.run_id: (i.experiment, i.status) for i in infos})
        self.from_thread(self._fill, rows)

    def _known(self, runs: dict[str, tuple[str, str | None]]) -> None:
        self.runs = runs
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers what the selected run has: cancel while it is live, each view
        once the run has it."""
        experiment, status = getattr(self, "runs", {}).get(self.selected_run() or "", ("", None))
        if action == "cancel":
            return status in LIVE
        if action == "insight":
            view = registry.entry(str(parameters[0]))
            return view in registry.views_of(experiment) and view.ready(status)
        if action == "open":
            return bool(experiment)
        if action == "export":  # my-images only, for now (issue 27: every experiment)
            return experiment == "my-images" and status == "finished"
        return True

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    def _fill(self, rows: list[tuple[str, ...]], force: bool = False) -> None:
        if rows == self._rows and not force:
            return  # read again, unchanged: the table stays as it is
        self._rows = rows
        table = self.query_one(DataTable)
        selected = self.selected_run()
        self.marked = [run_id for run_id in self.marked if run_id in {row[0] for row in rows}]
        table.clear()
        for row in rows:
            mark = ("● " if row[0] in self.marked else "  ") if self.marked else ""
            shown = (f"{mark}{row[0]}", *row[1:])
            table.add_row(*shown, key=row[0])
        if selected in {row[0] for row in rows}:
            table.move_cursor(row=table.get_row_index(selected))
        hint = self.query_one("#runs-hint", Static)
        live = sum(1 for row in rows if row[1] in LIVE)
        marked = f"{len(self.marked)} marked: v compares them. " if len(self.marked) > 1 else ""
        hint.update(
            "No runs yet: press escape, then l to open the lab."
            if not rows
            else f"{marked}{len(rows)} run(s), {live} live. Space marks runs to compare (v). "
            "Runs keep going when tui-dl quits; open one to watch it again."
        )

    def selected_run(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    @on(DataTable.RowSelected)
    def on_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        run_id = self.selected_run()
        if run_id:
            self.app.open_run(run_id)

    def action_insight(self, kind: str) -> None:
        run_id = self.selected_run()
        if run_id:
            self.app.open_insight(kind, run_id)

    def action_mark(self) -> None:
        run_id = self.selected_run()
        if run_id is None or self._rows is None:
            return
        if run_id in self.marked:
            self.marked.remove(run_id)
        else:
            self.marked.append(run_id)
        table = self.query_one(DataTable)
        self._fill(self._rows, force=True)
        if table.cursor_row + 1 < table.row_count:  # on to the next, as a file manager does
            table.move_cursor(row=table.cursor_row + 1)

    def action_compare(self) -> None:
        from tui_dl.ui.widgets.compare.curves import MOST

        if len(self.marked) < 2:
            self.notify("Mark two runs or more with space, then press v.", severity="warning")
            return
        if len(self.marked) > MOST:
            self.notify(
                f"{len(self.marked)} runs marked: {MOST} at most fit on one plot. Space on a "
                "marked run unmarks it.",
                severity="warning",
            )
            return
        from tui_dl.ui.screens.compare import CompareScreen

        self.app.push_screen(CompareScreen(list(self.marked)))

    def action_export(self) -> None:
        from tui_dl.paths import exports_dir
        from tui_dl.ui.dialogs.export_menu import ExportMenu

        run_id = self.selected_run()
        if run_id:
            self.app.push_screen(ExportMenu(run_id, exports_dir()))

    def action_cancel(self) -> None:
        run_id = self.selected_run()
        if run_id:
            self.cancel(run_id)

    @work(thread=True, group="cancel")
    def cancel(self, run_id: str) -> None:
        source = self.app.source
        if not source.is_active(run_id):
            self.app.call_from_thread(
                self.app.notify, "That run is not running.", severity="warning"
            )
            return
        try:
            source.cancel(run_id)
        except OSError as exc:  # another learner's run: says whose
            self.app.call_from_thread(
                self.app.notify, str(exc), title="Not cancelled", severity="warning"
            )
            return
        self.app.call_from_thread(self.app.notify, f"Cancelled {run_id}.")
        self.from_thread(self.action_refresh)

    def action_back(self) -> None:
        self.app.switch_to_home()
