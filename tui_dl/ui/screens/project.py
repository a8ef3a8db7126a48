"""`--screen project:mammogram`: the course's final project, step by step.

The data steps are computed here (pandas, in a worker: no TensorFlow); the folds run in
the engine like any run, and the report is read back from the run's kfold.json/.npz.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Header, Input, Static, TabbedContent, TabPane

from tui_dl.analysis.kfold import MammogramReport, load_kfold_arrays, load_kfold_report
from tui_dl.engine import runfiles
from tui_dl.engine.devices import Gpu
from tui_dl.engine.events import TERMINAL_EVENTS, Event, Status
from tui_dl.engine.experiments import get_experiment
from tui_dl.ui.dialogs.file_picker import FilePicker
from tui_dl.ui.follow import RunFollower
from tui_dl.ui.render.plain import error_text
from tui_dl.ui.screens.dataset.key import DatasetKey
from tui_dl.ui.screens.lr_find.lab_key import LrFindLab
from tui_dl.ui.screens.project_text import (
    data_steps,
    fold_table,
    referee_tables,
    report_summary,
)
from tui_dl.ui.widgets.axis_plot import AxisPlot
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.run.run_form import RunForm, put_value
from tui_dl.ui.widgets.run.threshold_slider import ThresholdSlider

STEPS = ("data", "odd", "features", "model", "report", "threshold", "referee")
TITLES = ("1 Data", "2 Gaps", "3 Features", "4 Folds", "5 Report", "6 Threshold", "7 Referee")


class ProjectScreen(LrFindLab, DatasetKey):
    BINDINGS = [
        Binding("n", "step(1)", "Next step"),
        Binding("p", "step(-1)", "Previous"),
        Binding("ctrl+r", "start", "Run folds", priority=True),
        Binding("ctrl+o", "pick_file", "Your CSV"),
        Binding("c", "cancel", "Cancel"),
        Binding("e", "export", "Export"),
        Binding("escape", "back", "Back"),
        Binding("ctrl+f", "lr_find", "Find LR", priority=True),
    ]

    def __init__(self, project: str = "mammogram", run_id: str | None = None) -> None:
        super().__init__()
        self.experiment = get_experiment(project)
        self.run_id = run_id
        self.status: str | None = None
        self.report: dict[str, Any] | None = None
        self.follower = RunFollower(self, self.apply)
        self._folds: list[dict[str, Any]] = []
        self._live: dict[str, Any] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="steps"):
            for step, title in zip(STEPS, TITLES, strict=True):
                with TabPane(title, id=f"step-{step}"), VerticalScroll():
                    if step == "model":
                        yield RunForm(self.experiment, id="project-form")
                        yield Button(
                            "Run the folds  ctrl+r",
                            id="project-start",
                            variant="primary",
                            compact=True,
                        )
                        yield Static("", id="project-error")
                        yield Static("", id="project-folds")
                    elif step == "report":
                        yield Static("Run the folds first (step 4).", id="project-report")
                        yield AxisPlot(id="project-roc")
                    elif step == "threshold":
                        yield Static("Run the folds first (step 4).", id="threshold-intro")
                    else:
                        yield Static("Reading the data…", id=f"project-{step}")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "tui-dl project"
        self.sub_title = self.experiment.title
        self.query_one("#project-roc").display = False
        self.load_data("")
        self.load_gpus()
        if self.run_id:
            self.attach(self.run_id)
        else:
            self.find_live_run()

    @work(thread=True, exclusive=True, group="live")
    def find_live_run(self) -> None:
        """The project's newest run still training or waiting (from `tui-dl project`, or an
        app since quit): shown live, as the lab shows its experiment's."""
        run_id = self.source.newest_live(self.experiment.name)
        if run_id is not None:
            self.from_thread(self._open_live, run_id)

    def _open_live(self, run_id: str) -> None:
        if self.run_id is None:  # unless the learner started one meanwhile
            self.attach(run_id)

    def offer_gpus(self, gpus: list[Gpu]) -> None:
        if self.run_id is None:
            self.query_one(RunForm).set_gpus(gpus)

    # ----- the data steps -------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="data")
    def load_data(self, csv: str) -> None:
        from tui_dl.analysis.mammogram import ProjectDataError, prepare
        from tui_dl.data.registry import DatasetUnavailable
        from tui_dl.data.sources import locate

        try:
            if csv:
                data = prepare(Path(csv), f"your file {csv}")
            else:
                where = locate("mammographic-masses", self.app.data_dir, allow_download=False)
                data = prepare(where.path, where.label)
        except (ProjectDataError, DatasetUnavailable) as exc:
            self.from_thread(self._data_failed, str(exc))
            return
        self.from_thread(self._show_data, data_steps(data))

    def _show_data(self, steps: dict[str, Any]) -> None:
        for step in ("data", "odd", "features"):
            self.query_one(f"#project-{step}", Static).update(steps[step])

    def _data_failed(self, message: str) -> None:
        for step in ("data", "odd", "features"):
            self.query_one(f"#project-{step}", Static).update(error_text(message))
        self.query_one("#project-error", Static).update(error_text(message))
        self.notify(message, title="The data cannot be used", severity="error")

    def action_pick_file(self) -> None:
        def picked(path: Path | None) -> None:
            if path is not None:
                put_value(self.query_one("#field-csv", Input), str(path))
                self.query_one("#project-error", Static).update("")
                self.load_data(str(path))

        self.app.push_screen(FilePicker(Path.cwd()), picked)

    # ----- steps ----------------------------------------------------------------------------
    @on(TabbedContent.TabActivated)
    def focus_step(self, event: TabbedContent.TabActivated) -> None:
        """The threshold step's arrows belong to its slider."""
        sliders = self.query(ThresholdSlider)
        if event.pane.id == "step-threshold" and sliders:
            sliders.first().focus()

    def action_step(self, move: int) -> None:
        tabs = self.query_one(TabbedContent)
        current = STEPS.index(tabs.active.removeprefix("step-"))
        tabs.active = f"step-{STEPS[(current + move) % len(STEPS)]}"

    # ----- running the folds ----------------------------------------------------------------
    @property
    def running(self) -> bool:
        """Folds training here (the finder waits until they end)."""
        return self.run_id is not None and self.status is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start":
            return self.run_id is None or self.status is not None
        if action == "cancel":
            return self.run_id is not None and self.status is None
        if action == "export":
            return self.report is not None
        return super().check_action(action, parameters)  # the data key's (DatasetKey)

    @on(Button.Pressed, "#project-start")
    def start_pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        error = self.query_one("#project-error", Static)
        try:
            params, device = self.query_one(RunForm).read()
        except ValueError as exc:
            error.update(error_text(exc))
            return
        self.check_and_launch(params, device)

    @work(thread=True, exclusive=True, group="launch")
    def check_and_launch(self, params: dict[str, Any], device: str) -> None:
        """Refuse a file that cannot work before any process starts (nothing half-written)."""
        from tui_dl.analysis.mammogram import ProjectDataError, prepare

        if params.get("csv"):
            try:
                prepare(Path(params["csv"]), params["csv"], params["k"])
            except ProjectDataError as exc:
                self.from_thread(self._data_failed, str(exc))
                return
        try:
            run_id = self.app.source.launch(self.experiment.name, params, device)
        except (OSError, ValueError) as exc:
            self.from_thread(self._data_failed, f"Could not start: {exc}")
            return
        self.from_thread(self.attach, run_id)

    def action_cancel(self) -> None:
        if self.run_id and self.status is None:
            self.cancel_in_background(self.source.cancel, self.run_id)

    def attach(self, run_id: str) -> None:
        found = self.open_run(run_id)
        if found is None:
            return
        run_id, info = found
        self.run_id, self.status, self.report, self._folds, self._live = run_id, None, None, [], {}
        self.sub_title = f"run {run_id}"
        form = self.query_one(RunForm)
        form.fill(info.spec.get("params", {}), info.spec.get("device"))
        self.follower.follow(run_id)
        if self.status is None:
            self.query_one(TabbedContent).active = "step-model"
        self.refresh_bindings()

    def apply(self, events: list[dict[str, Any]]) -> None:
        for event in events:
            kind = event.get("event")
            if kind == Event.FOLD_END:
                self._folds.append(event)
            elif kind in (Event.PROGRESS, Event.PHASE, Event.STARTED):
                self._live.update(event)
            elif kind in TERMINAL_EVENTS:
                self.status = kind
                self._live = event
        self.query_one("#project-folds", Static).update(
            fold_table(self._folds, self._live, self.status, self.experiment)
        )
        if self.status is not None:
            self.refresh_bindings()
            if self.status == Status.FINISHED:
                self.load_report()

    # ----- the report -----------------------------------------------------------------------
    def load_report(self) -> None:
        if self.run_id is None:
            return
        run_dir = self.app.source.info(self.run_id).run_dir
        try:
            self.report = load_kfold_report(run_dir, MammogramReport)
            y, probabilities = load_kfold_arrays(run_dir)
        except (OSError, ValueError, KeyError) as exc:
            self.notify(f"The run's report cannot be read: {exc}", severity="error")
            return
        self.query_one("#project-report", Static).update(report_summary(self.report))
        self.plot_roc(self.report)
        intro = self.query_one("#threshold-intro", Static)
        intro.update(
            "Where should the network's probability count as 'malignant'? Lower the threshold "
            "and fewer cancers are missed, but more healthy women have a biopsy; raise it and "
            "the reverse. The ethics checklist: a false negative here is a missed cancer, a "
            "false positive an unnecessary operation — which costs more is not a question the "
            "accuracy answers."
        )
        pane = self.query_one("#step-threshold VerticalScroll")
        for old in pane.query(ThresholdSlider):
            old.remove()
        pane.mount(ThresholdSlider(y, probabilities, id="threshold"))
        self.query_one("#project-referee", Static).update(referee_tables(self.report))
        self.refresh_bindings()

    def plot_roc(self, report: dict[str, Any]) -> None:
        plot = self.query_one("#project-roc", AxisPlot)
        plot.display = True
        plt = plot.plt
        plt.clear_data()
        net, refs = report["network"], report["radiologists"]
        plt.plot(net["roc"]["fpr"], net["roc"]["tpr"], marker="braille")
        plt.plot(refs["roc"]["fpr"], refs["roc"]["tpr"], marker="braille")
        width = plot.size.width or self.app.size.width - 4  # not laid out yet: the screen's
        columns = max(20, width - 8)  # the canvas, about: the plot less its axis
        for rule, cut in refs["cutoffs"].items():
            x, y = 1 - cut["specificity"], cut["sensitivity"]
            plt.scatter([x], [y], marker="●")
            label = f"BI-RADS {rule.replace('>=', '≥')}"
            # Right of its point, or left of it where it would run past the frame (plotext
            # crops a label there without a mark: 'BI-RADS ≥' at 80 columns).
            span = (len(label) + 1) / columns
            left = x + 0.02 + span > 1
            plt.text(label, x - 0.02 - span if left else x + 0.02, y - 0.06)
        plt.title(
            f"ROC — network AUC {net['auc']:.2f} (1st line) · radiologists "
            f"{refs['roc']['auc']:.2f} (2nd)"
        )
        plt.xlabel("false positive rate (1 − specificity)")
        plot.x_span = plot.y_span = (0.0, 1.0)
        plot.refresh()

    def action_export(self) -> None:
        from tui_dl.analysis.mammogram_report import save_project_report

        if self.run_id is None or self.report is None:
            return
        from tui_dl.engine.workshop.seats import notes_dir

        info = self.app.source.info(self.run_id)
        folder = notes_dir(info.run_dir, info.spec)  # another's run: the viewer's own folder
        try:
            path = save_project_report(folder, self.run_id, self.report)
        except OSError as exc:
            path = folder / runfiles.PROJECT_REPORT
            self.notify(f"Could not write {path}: {exc}", severity="error")
            return
        self.notify(f"Report written to {path}", title="Exported")
