"""The lab: set up an experiment, launch it, watch it train, read the result.

The screen only listens: it polls the run's event file (through the RunSource) ten times a
second while the run is live and hands each event to the widget that shows it. Plots are
redrawn once per epoch, progress text on every event — the keyboard never stalls.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Header, Input, Label, Select, Static

from tui_dl.engine import runfiles
from tui_dl.engine.devices import Gpu
from tui_dl.engine.events import TERMINAL_EVENTS, Event, Status
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.experiments.cost import Estimate
from tui_dl.ui import registry
from tui_dl.ui.follow import RunFollower
from tui_dl.ui.render.plain import error_text
from tui_dl.ui.screens.dataset.key import DatasetKey
from tui_dl.ui.screens.export_key import LabExport
from tui_dl.ui.screens.lr_find.lab_key import LrFindLab
from tui_dl.ui.tf_start import measure_start
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.run.cost_line import CostLine, PastRuns
from tui_dl.ui.widgets.run.data_warning import DataWarning
from tui_dl.ui.widgets.run.gpu_line import GpuLine
from tui_dl.ui.widgets.run.run_form import RunForm, read_cluster
from tui_dl.ui.widgets.run.run_plots import RunPlots
from tui_dl.ui.widgets.run.run_progress import RunProgress
from tui_dl.ui.widgets.run.run_summary import RunSummary
from tui_dl.ui.widgets.text_field import TextField

if TYPE_CHECKING:
    from tui_dl.lessons.share.codes import Shared

WIDE = 120
"""Below this many columns the two plots stack instead of standing side by side."""


class LabScreen(LabExport, LrFindLab, DatasetKey):
    BINDINGS = [
        Binding("ctrl+r", "start", "Start run", priority=True),
        Binding("c", "cancel", "Cancel run"),
        Binding("n", "new_run", "New run"),
        Binding("escape", "back", "Back"),
        Binding("o", "overlay", "Compare"),
        Binding("ctrl+t", "smaller", "Smaller setup", priority=True),
        *registry.view_keys("insight"),
        Binding("ctrl+f", "lr_find", "Find LR", priority=True),
    ]

    def __init__(
        self,
        experiment: str = "mnist-mlp",
        run_id: str | None = None,
        newest_live: bool = True,
        preset: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__()
        self.experiment = get_experiment(experiment)
        self.run_id = run_id
        self.preset = dict(preset or {})
        """Settings the form opens with (a lesson's, a share code's) instead of the defaults."""
        self.newest_live = newest_live and run_id is None and not self.preset
        """Whether the lab, each time it is shown, opens on this experiment's newest run
        still training or waiting (from this app, the command line or an earlier app): not
        when it was opened on a given run, nor when it is a form a lesson presets."""
        self.form_as_set: dict[str, Any] | None = None
        """The form's settings as the lab last set them: a form changed since is the
        learner's, and a live run found then is offered, not put in its place."""
        self.run_spec: dict[str, Any] = {}
        """The attached run's spec (its owner decides who may cancel it)."""
        self.status: str | None = None
        self.events: list[dict[str, Any]] = []
        self.follower = RunFollower(self, self.apply)
        self.cost_estimate: Estimate | None = None
        """A long CPU run's estimate, while the form would start one (ctrl+t: smaller)."""
        self.spare_device: str | None = None  # the GPU the spare was last asked for here
        if run_id is None:  # the first field focused at once, not by way of the settings'
            # scroll (Textual's pick), which restyled its 49 widgets as it took focus and left
            self.AUTO_FOCUS = RunForm.first_field(self.experiment)  # type: ignore[misc]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lab"):
            with VerticalScroll(id="lab-settings") as settings:
                settings.border_title = self.experiment.title
                yield RunForm(self.experiment, id="form")
                with Horizontal(id="lab-cluster"):
                    yield Label("Cluster")
                    yield TextField(placeholder="this machine",
                                    compact=True, id="cluster")  # fmt: skip
                yield Button("Start  ctrl+r", id="start", variant="primary", compact=True)
                yield Static("", id="form-error")
                yield DataWarning(self.experiment.data_needed, self.app.data_dir, id="data-warning")
                yield CostLine(self.experiment.cost, self.experiment.caution, id="cost")
                yield RunSummary("", id="summary")
                if self.experiment.notes:
                    yield Static(self.experiment.notes, id="lab-notes")
            with Vertical(id="lab-run"):
                yield RunProgress(id="progress")
                yield GpuLine(id="gpu")
                yield RunPlots(self.experiment, id="plots")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "tui-dl lab"
        self.sub_title = self.experiment.title
        self.query_one(RunSummary).update(
            f"{self.experiment.summary}\nThe course: {self.experiment.reference.text}.\n"
            "Change the settings, then press ctrl+r to train."
        )
        self.load_gpus()
        measure_start(self, self.query_one(RunProgress).set_starting)
        if self.experiment.cost is not None:
            self.read_past_runs()
        if self.run_id:
            self.attach(self.run_id)
        else:
            self.query_one(RunForm).focus_first()
            if self.preset:
                self.query_one(RunForm).fill(self.preset)
            self.form_as_set = self._form_settings()

    def on_screen_resume(self) -> None:
        if self.newest_live and not self.running:
            self.find_live_run()

    # ----- the newest live run: found in a thread, opened as if just launched ----------------
    @work(thread=True, exclusive=True, group="live")
    def find_live_run(self) -> None:
        run_id = self.source.newest_live(self.experiment.name)
        if run_id is not None:
            self.from_thread(self._open_live, run_id)

    def _open_live(self, run_id: str) -> None:
        if self.running or run_id == self.run_id:
            return  # meanwhile the learner started one here: that one is shown
        if self.run_id is not None and run_id < self.run_id:
            return  # older than the ended run shown (ids begin with when they started)
        if self.run_id is None and self._form_settings() != self.form_as_set:
            self.notify(
                f"Run {run_id} of this experiment is training: the runs screen (r on "
                "home) opens it. Your settings here stay as you typed them.",
                title="A run is live",
                timeout=8,
            )
            return
        self.attach(run_id)
        if self.run_id == run_id:
            self.notify(f"Run {run_id}, started earlier, is still going: following it.")

    def _form_settings(self) -> dict[str, Any] | None:
        try:
            params, device = self.query_one(RunForm).read(quiet=True)
        except ValueError:
            return None  # half-typed: the learner's
        return {**params, "device": device}

    def on_resize(self) -> None:
        # On the plots, not the screen: a class on the screen restyles every widget in it.
        self.query_one("#plots").set_class(self.size.width < WIDE, "-narrow")

    @work(thread=True, exclusive=True, group="cost")
    def read_past_runs(self) -> None:
        """This experiment's last runs (any status): their ETA's speed starts the estimate."""
        past = [
            (info.spec, info.events)
            for info in self.app.source.list_runs(limit=50)
            if info.experiment == self.experiment.name
        ]
        self.from_thread(self._got_past, past[:3])

    def _got_past(self, past: PastRuns) -> None:
        self.query_one(CostLine).past = past
        self.show_cost()

    @on(Input.Changed)
    @on(Select.Changed)
    def form_changed(self) -> None:
        if self.experiment.cost is not None or self.experiment.caution is not None:
            self.show_cost()
        if self.run_id is None:
            try:
                _, device = self.query_one(RunForm).read(quiet=True)
            except ValueError:
                return
            self.query_one(GpuLine).follow(device, None)
            if device.startswith("gpu") and device != self.spare_device:
                self.spare_device = device  # the spare for the GPU the learner picked
                self.source.start_spare(device)

    def show_cost(self) -> None:
        """Before a CPU run that would take long: what it costs, and the smaller setup."""
        params, device = None, None
        if self.run_id is None:
            try:
                params, device = self.query_one(RunForm).read(quiet=True)
            except ValueError:
                pass  # the form says what is wrong when ctrl+r is pressed
        self.cost_estimate = self.query_one(CostLine).show(params, device)
        self.refresh_bindings()

    def action_smaller(self) -> None:
        if self.cost_estimate is None:
            return
        form = self.query_one(RunForm)
        smaller = self.query_one(CostLine).smaller(form.read(quiet=True)[0])
        if smaller is not None:
            form.fill(smaller)
            self.notify("Fewer images and epochs; ctrl+r to train.", title="Smaller setup")

    def offer_gpus(self, gpus: list[Gpu]) -> None:
        if self.run_id is None:  # a run's own device stays as it was
            self.query_one(RunForm).set_gpus(gpus)

    # ----- actions -------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.run_id is not None and self.status is None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "start":
            return self.run_id is None and not self.launching
        if action == "cancel":
            return self.running
        if action == "new_run":
            return self.run_id is not None and not self.running
        if action == "overlay":
            return self.status is not None
        if action == "smaller":
            return self.run_id is None and self.cost_estimate is not None
        if action == "insight":
            view = registry.entry(str(parameters[0]))
            if view not in registry.views_of(self.experiment.name):
                return False
            return self.run_id is not None and view.ready(self.status)
        return super().check_action(action, parameters)  # x's, the finder's, the data key's

    def share_target(self) -> Shared | None:
        """ctrl+s: this experiment with the form's settings (only those changed from the
        defaults, so the code stays short); the attached run's, when there is one."""
        from tui_dl.ui.sharing import lab_setup

        try:
            params, _ = self.query_one(RunForm).read(quiet=True)
        except ValueError:
            self.notify("Fix the settings first: a code carries valid settings only.")
            return None
        return lab_setup(self.experiment.name, params)

    def action_insight(self, kind: str) -> None:
        self.app.open_insight(kind, self.run_id)

    def action_overlay(self) -> None:
        """Lay the next older finished run of this experiment over these curves (then none):
        dropout on against off, one learning rate against another, side by side."""
        others = [
            i
            for i in self.app.source.list_runs()
            if i.experiment == self.experiment.name
            and i.status == Status.FINISHED
            and i.run_id != self.run_id
        ]
        self.query_one(RunPlots).overlay_next(others, self._params())

    def _params(self) -> dict[str, Any]:
        if self.run_id is None:
            return {}
        try:
            params: dict[str, Any] = self.app.source.info(self.run_id).spec.get("params", {})
            return params
        except (LookupError, OSError, ValueError):
            return {}

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "start":
            self.action_start()

    def action_start(self) -> None:
        if self.launching:
            return
        error = self.query_one("#form-error", Static)
        try:
            params, device = self.query_one(RunForm).read()
            cluster = read_cluster(self.query_one("#cluster", Input))
        except ValueError as exc:
            error.update(error_text(exc))
            self.notify(str(exc), title="Check the settings", severity="error")
            return
        error.update("")
        self.query_one("#start", Button).disabled = True
        self.launch_in_background(self.experiment.name, params, device, cluster)

    def not_launched(self, problem: Exception) -> None:
        self.query_one("#start", Button).disabled = False
        error = self.query_one("#form-error", Static)
        error.update(error_text(f"Could not start the run: {problem}"))
        self.notify(str(problem), title="Could not start the run", severity="error")

    def action_cancel(self) -> None:
        from tui_dl.engine.workshop.folder import cancel_refusal

        refusal = (
            cancel_refusal(self.source.info(self.run_id).run_dir, self.run_spec)
            if self.running and self.run_id
            else None
        )
        if self.running and refusal:
            self.notify(refusal, title="Not your run", severity="warning")
        elif self.running:
            self.query_one(RunProgress).query_one("#phase", Static).update("Cancelling…")
            self.cancel_in_background(self.source.cancel, self.run_id)

    def action_new_run(self) -> None:
        """Back to the form, keeping the last run's settings for a tweak-and-rerun."""
        self.follower.stop()
        self.run_id, self.status, self.events = None, None, []
        self.query_one(RunPlots).clear()
        form = self.query_one(RunForm)
        form.set_editable(True)
        self.query_one("#cluster", Input).disabled = False
        form.focus_first()
        self.form_as_set = self._form_settings()
        self.query_one("#start", Button).disabled = False
        self.query_one(RunProgress).reset()
        self.query_one(RunSummary).update("Settings kept from the last run. ctrl+r to train.")
        self.show_cost()
        if self.experiment.cost is not None:
            self.read_past_runs()  # the run just left measured this machine's speed
        self.sub_title = self.experiment.title
        self.refresh_bindings()

    # ----- following a run -----------------------------------------------------------------
    def attach(self, run_id: str) -> None:
        """Show a run from its first event: rebuilt from the file, then live if it still is."""
        found = self.open_run(run_id)
        if found is None:
            return
        run_id, info = found
        self.run_spec = info.spec
        self.query_one(GpuLine).follow(info.spec.get("device", "cpu"), run_id)
        self.run_id, self.status, self.events = run_id, None, []
        self.query_one(RunPlots).reset()
        self.sub_title = f"run {run_id}"
        form = self.query_one(RunForm)
        form.fill(info.spec.get("params", {}), info.spec.get("device"))
        form.set_editable(False)
        cluster = self.query_one("#cluster", Input)
        cluster.value, cluster.disabled = info.spec.get("cluster") or "", True
        self.query_one("#start", Button).disabled = True
        progress = self.query_one(RunProgress)
        progress.reset(progress.starting)
        measure_start(self, progress.set_starting)  # again: the last run timed a start too
        self.follower.follow(run_id)
        self.refresh_bindings()

    @property
    def history(self) -> list[dict[str, Any]]:
        """The epochs the plots show (the current fold's or stage's)."""
        return self.query_one(RunPlots).history

    def apply(self, events: list[dict[str, Any]]) -> None:
        progress, plots = self.query_one(RunProgress), self.query_one(RunPlots)
        replot = False
        for event in events:
            self.events.append(event)
            progress.apply(event)
            kind = event.get("event")
            replot = plots.apply(event) or replot
            if kind == Event.STARTED:
                self._show_summary(None)
            elif kind in TERMINAL_EVENTS:
                self.status = kind
        if replot:
            plots.redraw()
        if self.status is not None:
            self._show_summary(self.status)
            self.refresh_bindings()
            if self.status == Status.FAILED:
                self.notify("The run failed — the reason is under the settings.", severity="error")

    def _show_summary(self, status: str | None) -> None:
        info_spec: dict[str, Any] = {}
        log_path = ""
        try:
            if self.run_id is not None:
                info = self.source.info(self.run_id)
                info_spec, log_path = info.spec, str(info.run_dir / runfiles.LOG)
        except (LookupError, OSError, ValueError):
            pass
        self.query_one(RunSummary).show(status or Status.RUNNING, self.events, info_spec, log_path)
