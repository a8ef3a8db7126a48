"""Runs side by side (issue 27 §5): a row per run with a column for each setting and result
that differs among them, and their loss and accuracy curves on one plot each, every run drawn
with its number in its own colour. `b` pins the highlighted run as the baseline every other
result is shown against; `s` sorts; `t` shows the training curves instead of validation's.

Opened from the runs list on the runs marked there (space, then v); by name
(`--screen compare`) on the finished runs of the newest run's experiment, eight at most."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Static

from tui_dl.analysis.compare import (
    DELTA_STYLES,
    Compared,
    CompareRefused,
    compare_runs,
    shown_setting,
)
from tui_dl.engine.events import Status
from tui_dl.engine.store import short_ids
from tui_dl.ui.render.plain import TextTable
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.compare.curves import COLOURS, MOST, CompareCurves
from tui_dl.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from tui_dl.engine.store import RunInfo

NEEDS = "Mark two runs or more in the runs list (space on each), then press v to compare them."


def default_runs(infos: list[RunInfo]) -> list[str]:
    """What `--screen compare` shows: the newest finished runs of the newest run's experiment
    (infos come newest first), eight at most."""
    if not infos:
        return []
    experiment = infos[0].experiment
    same = [i.run_id for i in infos if i.experiment == experiment and i.status == Status.FINISHED]
    return same[:MOST]


class CompareScreen(AppScreen):
    BINDINGS = [
        Binding("b", "baseline", "Pin baseline"),
        Binding("s", "sort", "Sort"),
        Binding("t", "curves", "Train/val"),
        Binding("enter", "open", "Open run"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, run_ids: list[str] | None = None) -> None:
        super().__init__()
        self.run_ids = run_ids
        self.compared: Compared | None = None
        self.numbers: dict[str, int] = {}
        """Each run's number (its curves' mark and colour), fixed however the rows sort."""
        self.sort_keys: list[str] = []
        self.sort_at = -1
        self.validation = True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text("Reading the runs…"), id="compare-about")
        yield TextTable(id="compare-table", cursor_type="row")
        with Horizontal(id="compare-plots"):
            yield CompareCurves("loss", "loss", id="compare-loss")
            yield CompareCurves("accuracy", "accuracy", id="compare-accuracy")
        yield Static("", id="compare-legend")
        yield Static("", id="compare-same")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "tui-dl — compare runs"
        self.load()

    @work(thread=True, exclusive=True, group="compare")
    def load(self) -> None:
        source = self.app.source
        try:
            ids = self.run_ids if self.run_ids is not None else default_runs(source.list_runs())
            if len(ids) < 2:
                self.from_thread(self._say, NEEDS)
                return
            compared = compare_runs([source.info(run_id) for run_id in ids])
        except (CompareRefused, LookupError, OSError) as exc:  # a run gone, a folder unread
            self.from_thread(self._say, f"Cannot compare these runs: {exc}")
            return
        self.from_thread(self._show, compared)

    def _say(self, words: str) -> None:
        self.query_one("#compare-about", Static).update(Text(words))
        self.refresh_bindings()

    def _show(self, compared: Compared) -> None:
        self.numbers = {info.run_id: n for n, info in enumerate(compared.runs, start=1)}
        results = compared.results_that_differ()
        self.sort_keys = [*(r.key for r in results), *compared.settings]
        self.compared = compared
        self._fill()
        self._plot()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"baseline", "sort", "curves", "open"}:
            return self.compared is not None
        return True

    # ----- the table ------------------------------------------------------------------------
    def _fill(self) -> None:
        compared = self.compared
        assert compared is not None
        table = self.query_one(TextTable)
        selected = self.selected_run()
        table.clear(columns=True)
        table.add_column("#", key="#")
        table.add_column("run", key="run")
        if compared.experiments_differ:
            table.add_column("experiment", key="experiment")
        for name in compared.settings:
            table.add_column(compared.labels.get(name, name), key=name)
        if compared.statuses_differ:
            table.add_column("status", key="status")
        results = compared.results_that_differ()
        for result in results:
            table.add_column(result.label, key=result.key)
        ids = short_ids([info.run_id for info in compared.runs])
        for info in compared.runs:
            number = self.numbers[info.run_id]
            cells: list[Text] = [
                Text(str(number), style=f"bold rgb{COLOURS[number - 1]}"),
                Text(ids[info.run_id]),
            ]
            if info.run_id == compared.baseline:
                cells[0].append(" base", style="bold")
            if compared.experiments_differ:
                cells.append(Text(info.experiment))
            cells += [Text(shown_setting(compared.setting(info, n))) for n in compared.settings]
            if compared.statuses_differ:
                cells.append(Text(info.status_words))
            for result in results:
                value, delta, better = compared.result_words(info, result)
                cells.append(
                    Text.assemble(value, (f" {delta}" if delta else "", DELTA_STYLES[better]))
                )
            table.add_row(*cells, key=info.run_id)
        if selected in self.numbers:
            table.move_cursor(row=table.get_row_index(selected))
        self._about()

    def _about(self) -> None:
        compared = self.compared
        assert compared is not None
        experiments = sorted({i.experiment for i in compared.runs})
        what = experiments[0] if len(experiments) == 1 else f"{len(experiments)} experiments"
        about = Text(f"{len(compared.runs)} runs of {what}.")
        if compared.baseline is not None:
            about.append(f" Against #{self.numbers[compared.baseline]}, the baseline.")
        else:
            about.append(" b pins the highlighted run as the baseline.")
        if 0 <= self.sort_at < len(self.sort_keys):
            key = self.sort_keys[self.sort_at]
            about.append(f" Sorted by {compared.labels.get(key, key)}.")
        self.query_one("#compare-about", Static).update(about)
        same = compared.shared
        said = ", ".join(f"{compared.labels.get(k, k)} {shown_setting(v)}" for k, v in same.items())
        self.query_one("#compare-same", Static).update(
            Text(f"The same in every run: {said}." if said else "", style="dim")
        )

    def selected_run(self) -> str | None:
        table = self.query_one(TextTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # ----- the curves -----------------------------------------------------------------------
    def _plot(self) -> None:
        compared = self.compared
        assert compared is not None
        by_number = sorted(compared.runs, key=lambda i: self.numbers[i.run_id])
        histories = [info.history() for info in by_number]
        for plot in self.query(CompareCurves):
            plot.set_runs(histories, self.validation)
        plots = [plot.drawn() for plot in self.query(CompareCurves)]
        drawn = [any(each[n] for each in plots) for n in range(len(histories))]
        which = "validation" if self.validation else "training"
        legend = Text(f"Each run's {which} curves drawn with its number, in its colour")
        legend.append(f" (t: {'training' if self.validation else 'validation'}).", style="dim")
        missing = [str(n) for n, has in enumerate(drawn, start=1) if not has]
        if missing:
            legend.append(f" No curve for #{', #'.join(missing)}: no {which} epochs.")
        self.query_one("#compare-legend", Static).update(legend)

    # ----- keys -----------------------------------------------------------------------------
    def action_baseline(self) -> None:
        compared, run_id = self.compared, self.selected_run()
        if compared is None or run_id is None:
            return
        pinned = None if compared.baseline == run_id else run_id
        self.compared = Compared(
            compared.runs,
            compared.settings,
            compared.labels,
            compared.shared,
            compared.results,
            pinned,
        )
        self._fill()

    def action_sort(self) -> None:
        compared = self.compared
        if compared is None or not self.sort_keys:
            return
        self.sort_at = (self.sort_at + 1) % len(self.sort_keys)
        key = self.sort_keys[self.sort_at]
        result = next((r for r in compared.results if r.key == key), None)
        self.compared = compared.sorted_by(key, result is not None and result.higher_is_better)
        self._fill()

    def action_curves(self) -> None:
        self.validation = not self.validation
        if self.compared is not None:
            self._plot()

    def action_open(self) -> None:
        run_id = self.selected_run()
        if run_id:
            self.app.open_run(run_id)

    @on(DataTable.RowSelected)
    def _chosen(self) -> None:
        self.action_open()
