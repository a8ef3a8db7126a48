"""Every run kept on this machine: open one in the lab, cancel a live one, or export a
finished run (`x`: as a script, a notebook, its model)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Input, Static

from tui_dl.engine import runfiles
from tui_dl.engine.events import LIVE
from tui_dl.ui import registry
from tui_dl.ui.render.plain import TextTable
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.screens.export_key import export_ready, open_export
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.text_field import TextField

if TYPE_CHECKING:
    from textual.timer import Timer

    from tui_dl.analysis.compare.listing import Listing
    from tui_dl.lessons.share.codes import Shared

REFRESH_S = 2.0
FILTER_EXAMPLE = "words, or setting=value: experiment=mnist-mlp dropout=0.5 finished"


class RunsScreen(AppScreen):
    _ticks: Timer | None = None
    """Reads the list again every REFRESH_S while the screen is shown."""
    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("c", "cancel", "Cancel run"),
        Binding("space", "mark", "Mark", show=False),
        Binding("v", "compare", "Compare marked"),
        Binding("slash", "filter", "Filter", show=False),
        Binding("s", "sort", "Sort", show=False),
        Binding("x", "export", "Export"),
        Binding("f5", "refresh", "Refresh", show=False),  # it refreshes itself every 2 s
        Binding("escape", "back", "Back"),
        *registry.view_keys("insight", runfiles.PREDICTIONS),
        *registry.view_keys("insight", runfiles.MODEL_SUMMARY),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextTable(id="runs", cursor_type="row")
        yield TextField(
            placeholder="words, or setting=value (experiment=mnist-mlp dropout=0.5)",
            id="runs-filter",
        )
        yield Static("", id="runs-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "tui-dl — runs"
        self.sub_title = "everything trained on this machine"
        self._rows: list[tuple[str, ...]] | None = None
        self._labels: tuple[str, ...] | None = None
        self._listing: Listing | None = None
        self.filter_text = ""
        self.sort_key = "run"
        """A column's key: run (newest first), accuracy, trained (most epochs first), or a
        setting (smallest first)."""
        self.marked: list[str] = []
        """The runs marked with space, in the order marked: v compares them."""
        self.action_refresh()
        self._ticks = self.set_interval(REFRESH_S, self.action_refresh)

    def on_resize(self) -> None:
        if self._listing is not None:  # more or less room for the settings' columns
            self._fill(self._listing)

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
        from tui_dl.analysis.compare.listing import listing

        infos = self.app.source.list_runs()
        table = listing(infos, self.filter_text, self.sort_key)
        self.from_thread(self._known, {i.run_id: (i.experiment, i.status) for i in infos})
        self.from_thread(self._fill, table)

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
        if action == "export":
            return export_ready(experiment, status)
        return True

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    def _fill(self, whole: Listing, force: bool = False) -> None:
        self._listing = whole
        table = self.query_one(DataTable)
        room = (table.size.width or self.app.size.width) - 2  # its scrollbar's two cells
        table_of = whole.fitted(room, run_extra=2 if self.marked else 0)
        rows = table_of.rows
        if (table_of.labels, rows) == (self._labels, self._rows) and not force:
            return  # read again, unchanged: the table stays as it is
        selected = self.selected_run()
        self.marked = [run_id for run_id in self.marked if run_id in {row[0] for row in rows}]
        if table_of.labels != self._labels:  # the settings that differ are others now
            table.clear(columns=True)
            for key, label in zip(table_of.keys, table_of.labels, strict=True):
                table.add_column(label, key=key)
        else:
            table.clear()
        self._rows, self._labels = rows, table_of.labels
        for row in rows:
            mark = ("● " if row[0] in self.marked else "  ") if self.marked else ""
            shown = (f"{mark}{row[0]}", *row[1:])
            table.add_row(*shown, key=row[0])
        if selected in {row[0] for row in rows}:
            table.move_cursor(row=table.get_row_index(selected))
        self._hint(table_of)

    def _hint(self, table_of: Listing) -> None:
        rows = table_of.rows
        live = sum(1 for row in rows if row[1] in LIVE)
        marked = f"{len(self.marked)} marked: v compares them. " if len(self.marked) > 1 else ""
        hint = Text()
        if self.filter_text:
            hint.append(f"Filter {self.filter_text!r}: {len(rows)} shown. ")
            if table_of.problem:
                hint.append(f"{table_of.problem}. ", style="yellow")
        if table_of.hidden:
            hint.append(f"Also differing, no room here: {', '.join(table_of.hidden)}. ")
        if self.sort_key != "run":
            label = dict(zip(table_of.keys, table_of.labels, strict=True)).get(self.sort_key)
            hint.append(f"Sorted by {label or self.sort_key}. ")
        if not table_of.total:
            hint.append("No runs yet: press escape, then l to open the lab.")
        else:
            hint.append(
                f"{marked}{table_of.total} run(s), {live} live; they keep going when tui-dl "
                "quits. Space marks runs to compare (v); / filters; s sorts."
            )
        self.query_one("#runs-hint", Static).update(hint)

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
        if run_id is None:
            return
        if run_id in self.marked:
            self.marked.remove(run_id)
        else:
            self.marked.append(run_id)
        table = self.query_one(DataTable)
        if self._listing is not None:
            self._fill(self._listing, force=True)
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
        run_id = self.selected_run()
        if run_id:
            open_export(self, run_id, getattr(self, "runs", {}).get(run_id, ("", None))[0])

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

    def action_filter(self) -> None:
        box = self.query_one("#runs-filter", Input)
        box.add_class("-shown")
        self.call_after_refresh(box.focus)  # shown first: a hidden widget takes no focus

    @on(Input.Changed, "#runs-filter")
    def _filtered(self, event: Input.Changed) -> None:
        self.filter_text = event.value.strip()
        self.load()

    @on(Input.Submitted, "#runs-filter")
    def _filter_done(self) -> None:
        box = self.query_one("#runs-filter", Input)
        box.set_class(bool(box.value.strip()), "-shown")
        self.query_one(DataTable).focus()

    def action_sort(self) -> None:
        """The next column to sort by: newest first, best accuracy, most epochs done, then each
        setting shown (smallest first), and back to newest."""
        keys = ["run", "accuracy", "trained"]
        if self._listing is not None:
            keys += [k for k in self._listing.keys if k not in ("run", "status", "accuracy")]
            keys = list(dict.fromkeys(k for k in keys if k != "device"))
        at = keys.index(self.sort_key) if self.sort_key in keys else 0
        self.sort_key = keys[(at + 1) % len(keys)]
        self.load()

    @on(DataTable.HeaderSelected)
    def _sort_by_header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        self.sort_key = "run" if key == self.sort_key else key
        self.load()

    def action_back(self) -> None:
        box = self.query_one("#runs-filter", Input)
        if box.has_focus:  # escape in the filter: the filter cleared, back to the list
            box.value = ""
            box.remove_class("-shown")
            self.query_one(DataTable).focus()
            return
        self.app.switch_to_home()
