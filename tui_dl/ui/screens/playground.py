"""The course's first hands-on, in the terminal: the TensorFlow Playground, keyboard-driven.

Settings on the left (↑↓ choose, ←→ change), the decision boundary in the middle with the
points on it, the network on the right (tab to it: ←→↑↓ focus a neuron, whose picture then
fills the middle; `w` picks one of its incoming weights and `e` edits it). Space plays and
pauses, `.` trains one epoch, `r` starts the network again, `g` draws new points.

The numpy engine (tui_dl.engine.playground) trains in a worker thread, an epoch at a time,
under a lock; about fifteen times a second the worker copies out a snapshot (every neuron's
output over the plane, the weights, the losses), and only the snapshot is drawn.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from tui_dl import paths
from tui_dl.analysis.artifacts import PlaygroundBoundary
from tui_dl.engine.playground.datasets import DataError
from tui_dl.engine.playground.session import Playground, Snapshot
from tui_dl.engine.playground.state import (
    ACTIVATIONS,
    MAX_NEURONS,
    PlaygroundState,
    StateError,
    parse_state,
)
from tui_dl.ui.dialogs.text_dialog import TextDialog
from tui_dl.ui.render.boundary import (
    TEST_MARKS,
    TRAIN_MARKS,
    boundary_rows,
    downsample,
)
from tui_dl.ui.render.plain import set_titles
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.serve.seat_files import OutsideSeatFolder, export_folder, readable
from tui_dl.ui.widgets.boundary_map import BoundaryMap
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.playground.controls import Controls
from tui_dl.ui.widgets.playground.losses import chart_text, losses_text
from tui_dl.ui.widgets.playground.network_view import NetworkView

if TYPE_CHECKING:
    from tui_dl.lessons.share.codes import Shared

FRAME_S = 1 / 15
SWITCH_S = 0.0005
SIDE_BY_SIDE = 150
"""From this many columns the Keras boundary is drawn beside the Playground's, not instead."""
KEY_HOLD_S = 0.06
"""Training waits this long after a key, so that answering it has the interpreter to itself."""
"""How often a playing network is redrawn."""
LIVE = {"learningRate", "stopEpochs", "stopLoss"}
"""Changed while it trains, as on the web: the network goes on from where it is."""
VIEW = {"showTestData", "discretize"}
"""Only what is drawn changes."""
DROPOUTS = (0.0, 0.1, 0.2, 0.3, 0.5)
HINT = (
    "↑↓←→ settings · g new points · t test points · d discretize · ctrl+o your CSV · "
    "tab network: ←→↑↓ neuron, +/− neurons, a activation, o dropout, w weight, e edit it · "
    "k train in Keras, v its boundary"
)


def legend(classes: int, test: bool) -> str:
    """The points' marks, by class: `o/+ train · O/⊕ test`."""
    k = max(2, classes)
    line = "/".join(TRAIN_MARKS[:k]) + " train"
    return line + (" · " + "/".join(TEST_MARKS[:k]) + " test" if test else "")


class PlaygroundScreen(AppScreen):
    CSS = """
    #playground { height: 1fr; }
    #pg-controls { width: 24; border: round $panel-lighten-2; border-title-color: $text-accent; }
    #pg-middle { width: 34; border: round $panel-lighten-2; border-title-color: $text-accent; }
    #pg-network { border: round $panel-lighten-2; padding: 0; }
    #pg-chart { height: 2; }
    #pg-maps { height: 1fr; }
    #pg-keras-map { display: none; margin-left: 1; }
    #pg-losses { height: auto; max-height: 4; padding: 0 1; }
    #pg-hint { height: auto; max-height: 3; padding: 0 1; }
    """
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("space", "play", "Play/pause"),
        Binding("full_stop", "step", "Step", key_display="."),
        Binding("r", "reset", "Reset"),
        Binding("g", "regenerate", "New points", show=False),
        Binding("t", "flip('showTestData')", "Test pts", show=False),
        Binding("d", "flip('discretize')", "Discretize", show=False),
        Binding("tab", "switch_panel", "Network", show=False),
        Binding("plus,equals_sign", "neurons(1)", "+neuron", show=False),
        Binding("minus", "neurons(-1)", "−neuron", show=False),
        Binding("a", "layer_activation", "Activation", show=False),
        Binding("o", "layer_dropout", "Dropout", show=False),
        Binding("e", "edit_weight", "Edit weight", show=False),
        Binding("c", "show_state", "State"),
        Binding("x", "export", "Keras script"),
        Binding("k", "keras", "Train in Keras"),
        Binding("v", "keras_view", "Keras view", show=False),
        Binding("ctrl+o", "open_csv", "CSV", show=False),
    ]

    def __init__(
        self, experiment: str = "playground", run_id: str | None = None, state: str = ""
    ) -> None:
        super().__init__()
        self.engine_lock = threading.Lock()
        self.playing = False
        self.problem = ""
        try:
            initial = parse_state(state)
            if initial.csv:  # at a browser seat, a CSV only from the seat's own folder
                initial = initial.with_(csv=str(readable(initial.csv)))
        except (StateError, OutsideSeatFolder) as exc:
            initial, self.problem = PlaygroundState(), f"That state cannot be used: {exc}"
        self.pending = initial if initial.csv else None
        """A state on the learner's own points, read once the screen is up (in a thread)."""
        try:
            self.playground = Playground(initial.with_(csv="") if initial.csv else initial)
        except DataError as exc:
            self.problem = f"Those points cannot be used: {exc}"
            self.playground = Playground(PlaygroundState())
        self.snapshot: Snapshot | None = None
        self.draw_s = 0.0
        """How long the last `show` took (the worker paces its frames by it)."""
        self.keras_run: str | None = None
        self.keras_dir: Path | None = None
        self.keras: PlaygroundBoundary | None = None
        self.keras_view = False
        self.keras_timer: Timer | None = None

    @property
    def state(self) -> PlaygroundState:
        return self.playground.state

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="playground"):
            yield Controls(self.state, id="pg-controls")
            with Vertical(id="pg-middle"):
                with Horizontal(id="pg-maps"):
                    yield BoundaryMap(id="pg-map")
                    yield BoundaryMap(id="pg-keras-map")
                yield Static(id="pg-chart")
            yield NetworkView(self.state, id="pg-network")
        yield Static(id="pg-losses")
        yield Static(Text(HINT, style="dim"), id="pg-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one(Controls).focus()
        self.query_one(Controls).border_title = "Settings"
        self.query_one(NetworkView).border_title = "Network"
        self.call_after_refresh(self.redraw)
        if self.problem:
            self.notify(self.problem, severity="error", timeout=10, markup=False)
        if self.pending is not None:
            self.load_points(self.pending, "Those points cannot be used")

    def on_resize(self) -> None:
        # A square map: two pixels a character row, so as many columns as pixel rows.
        middle = self.query_one("#pg-middle")
        rows = max(8, self.size.height - 9)
        maps = 2 if self.side_by_side else 1
        # The network's columns first (in L1 … L6 out on one row), then the map.
        network = max(22, NetworkView.columns_needed(len(self.state.networkShape)) + 2)
        middle.styles.width = min(
            maps * 2 * rows + maps + 1, max(20, self.size.width - 24 - network)
        )
        self.query_one("#pg-keras-map").display = self.side_by_side
        self.call_after_refresh(self.redraw)

    @property
    def side_by_side(self) -> bool:
        """Keras's boundary beside the Playground's: when there is one and room for both."""
        return self.keras is not None and self.keras_view and self.size.width >= SIDE_BY_SIDE

    def on_screen_suspend(self) -> None:
        self.playing = False  # not shown: not training (as a hidden browser tab)

    def on_boundary_map_resized(self) -> None:
        self.redraw()  # a snapshot is taken at the map's size

    # ----- training -------------------------------------------------------------------------
    def share_target(self) -> Shared | None:
        """ctrl+s: the Playground on this setup (its state string)."""
        from tui_dl.lessons.share.codes import Shared
        from tui_dl.lessons.tries import Target

        return Shared(Target("playground", state=self.state.to_string()))

    def action_play(self) -> None:
        if self.playing:
            self.playing = False
            self.call_later(self.redraw)
            return
        if self.playground.stopped:
            self.say(self.playground.stopped)
            return
        self.playing = True
        self.train_loop()

    @work(thread=True, exclusive=True, group="playground")
    def train_loop(self) -> None:
        worker = get_current_worker()
        # The training thread hands the interpreter back every 0.5 ms instead of every 5: a
        # key then waits for it a fraction of a millisecond, not up to 5 ms at every step of
        # its handling (measured: key → repaint p95 112 ms at 5 ms, see BENCHMARKS.md).
        switch = sys.getswitchinterval()
        sys.setswitchinterval(SWITCH_S)
        try:
            self._train(worker)
        finally:
            sys.setswitchinterval(switch)

    def _train(self, worker: Any) -> None:
        last = 0.0
        while self.playing and not worker.is_cancelled:
            if time.monotonic() - self.app.collector.last_key < KEY_HOLD_S:
                time.sleep(0.005)  # a key is being answered: the interpreter is the app's
                continue
            with self.engine_lock:
                alive = self.playground.step()
            now = time.monotonic()
            # Drawing shares the interpreter with training: a costly picture (a large
            # terminal) is drawn less often, never more than a third of the time.
            if now - last >= max(FRAME_S, 3 * self.draw_s) or not alive:
                last = now
                self.from_thread(self.show, self.take_snapshot())
                time.sleep(self.draw_s)  # the app paints the frame with the interpreter to itself
            if not alive:
                self.playing = False
                self.from_thread(self.say, self.playground.stopped)

    def action_step(self) -> None:
        self.playing = False
        with self.engine_lock:
            self.playground.step()
        self.redraw()
        if self.playground.stopped:
            self.say(self.playground.stopped)

    def action_reset(self) -> None:
        self.playing = False
        with self.engine_lock:
            self.playground.reset()
        self.redraw()

    def action_regenerate(self) -> None:
        """New points: a fresh seed drawn as the web draws one."""
        from tui_dl.engine.playground.rng import SeededRandom

        seed = SeededRandom(f"{self.state.seed}/{time.time_ns()}").new_seed()
        self.change(seed=seed)

    # ----- changing the setup -----------------------------------------------------------------
    @on(Controls.Changed)
    def setting_changed(self, event: Controls.Changed) -> None:
        if event.key == "layers":
            self.set_layers(int(event.value))
        else:
            self.change(**{event.key: event.value})

    def set_layers(self, layers: int) -> None:
        shape = list(self.state.networkShape)
        while len(shape) < layers:
            shape.append(2)  # the web adds a layer of two
        shape = shape[:layers]
        self.change(networkShape=shape, **self.per_layer(len(shape)))

    def per_layer(self, layers: int) -> dict[str, Any]:
        """The per-layer activations and dropout, kept in step with the layer count."""
        changes: dict[str, Any] = {}
        if self.state.activations:
            acts = list(self.state.activations) + [self.state.activation] * layers
            changes["activations"] = acts[:layers]
        if self.state.dropout:
            changes["dropout"] = (list(self.state.dropout) + [0.0] * layers)[:layers]
        return changes

    def change(self, **changes: Any) -> bool:
        """A new state if it can be; the network starts again unless only live values or the
        picture changed. False (and the reason said) when it cannot be."""
        try:
            new = self.state.with_(**changes)
        except StateError as exc:
            self.say(f"Not changed: {exc}", error=True)
            return False
        if set(changes) <= LIVE | VIEW:
            with self.engine_lock:
                self.playground.state = new
                if set(changes) & {"stopEpochs", "stopLoss"}:
                    self.playground.stopped = ""
        elif new.csv:  # the learner's file: read in a thread, the screen answering meanwhile
            self.playing = False
            self.load_points(new)
            return True
        else:
            try:
                fresh = Playground(new)
            except DataError as exc:
                self.say(f"Not changed: {exc}", error=True)
                return False
            self.playing = False
            with self.engine_lock:
                self.playground = fresh
        self.query_one(Controls).show(new)
        if "networkShape" in changes:
            self.on_resize()  # the network's width changes the map's
        if not self.playing:  # playing, the next frame (within 1/15 s) shows it
            self.redraw()
        return True

    @work(thread=True, exclusive=True, group="points")
    def load_points(self, new: PlaygroundState, failed: str = "Not changed") -> None:
        """A setup on the learner's own points, made off the UI thread: the CSV is read (or
        refused: over its size limit, a folder, a FIFO) while keys are still answered."""
        worker = get_current_worker()
        try:
            fresh = Playground(new)
        except DataError as exc:
            self.from_thread(self.say, f"{failed}: {exc}", True)
            return
        if not worker.is_cancelled:  # else a later choice replaced this one
            self.from_thread(self.points_loaded, fresh)

    def points_loaded(self, fresh: Playground) -> None:
        # What was changed on the screen while the file was read (a rate, the test points
        # shown) stays as it is now.
        fresh.state = fresh.state.with_(**{key: getattr(self.state, key) for key in LIVE | VIEW})
        self.playing = False
        with self.engine_lock:
            self.playground = fresh
        self.query_one(Controls).show(fresh.state)
        self.redraw()

    def action_flip(self, key: str) -> None:
        self.change(**{key: not getattr(self.state, key)})

    def action_switch_panel(self) -> None:
        network = self.query_one(NetworkView)
        if network.has_focus:
            self.query_one(Controls).focus()
        else:
            network.focus()

    def focused_hidden_layer(self) -> int | None:
        network = self.query_one(NetworkView)
        layer = network.focus_layer - 1
        if not 0 <= layer < len(self.state.networkShape):
            self.say("Tab to the network and choose a hidden layer (←→) first.")
            return None
        return layer

    def action_neurons(self, delta: int) -> None:
        layer = self.focused_hidden_layer()
        if layer is None:
            return
        shape = list(self.state.networkShape)
        shape[layer] = max(1, min(MAX_NEURONS, shape[layer] + delta))
        if shape != self.state.networkShape:
            self.change(networkShape=shape)

    def action_layer_activation(self) -> None:
        layer = self.focused_hidden_layer()
        if layer is None:
            return
        acts = self.state.layer_activations()
        acts[layer] = ACTIVATIONS[(ACTIVATIONS.index(acts[layer]) + 1) % len(ACTIVATIONS)]
        self.change(activations=acts)

    def action_layer_dropout(self) -> None:
        layer = self.focused_hidden_layer()
        if layer is None:
            return
        rates = self.state.layer_dropout()
        now = rates[layer]
        rates[layer] = DROPOUTS[(DROPOUTS.index(now) + 1) % len(DROPOUTS)] if now in DROPOUTS else 0
        self.change(dropout=rates)

    def action_edit_weight(self) -> None:
        network = self.query_one(NetworkView)
        layer, neuron = network.focused
        if layer == 0 or not network.has_focus:
            self.say("Tab to the network, focus a neuron (not an input), `w` picks a weight.")
            return
        source = network.focus_weight
        current = float(self.playground.network.weights[layer - 1][source, neuron])
        title = f"Weight {network.name_of(layer - 1, source)} → {network.name_of(layer, neuron)}"

        def apply(text: str | None) -> None:
            if text is None:
                return
            try:
                value = float(text)
                if value != value or abs(value) > 1e6:
                    raise ValueError
            except ValueError:
                self.say(f"Not a weight: {text!r} (a number, e.g. -0.5)", error=True)
                return
            with self.engine_lock:
                self.playground.network.weights[layer - 1][source, neuron] = value
                self.playground.history.append(self.playground._losses())
            self.redraw()

        self.app.push_screen(TextDialog(title, f"{current:.4f}", "enter sets it"), apply)

    def action_show_state(self) -> None:
        url = self.state.web_url()
        self.app.copy_to_clipboard(url)
        note = (
            "Copied to the clipboard where the terminal allows it (OSC 52). "
            f"Here: tui-dl playground '{self.state.to_string()}'"
        )
        self.app.push_screen(TextDialog("This setup, as the web Playground's URL", url, note))

    def action_export(self) -> None:
        from tui_dl.engine.playground.export import keras_script

        try:
            folder = export_folder(paths.home() / "playground")  # a seat's: its own folder
            target = folder / f"playground-{time.strftime('%Y%m%d-%H%M%S')}.py"
            with self.engine_lock:
                script = keras_script(self.playground)
            folder.mkdir(parents=True, exist_ok=True)
            paths.write_atomic(target, script)
        except (OSError, OutsideSeatFolder) as exc:
            self.say(f"Could not write the script: {exc}", error=True)
            return
        self.say(f"Keras script written: {target} (python {target.name} runs it)")

    # ----- the same network in Keras, for real --------------------------------------------
    def action_keras(self) -> None:
        """Launch this setup as the `playground` experiment: a child process with TensorFlow
        trains the same layers from the same first weights on the same points."""
        if self.keras_run is not None and self.keras_timer is not None:
            self.say("Keras is still training this network (v shows it; cancel it in Runs).")
            return
        from tui_dl.engine.experiments import get_experiment

        params = {p.name: p.default for p in get_experiment("playground").params}
        params.update(state=self.state.to_string(), epochs=self.state.stopEpochs or 300)
        self.keras, self.keras_view = None, True
        self.launch_keras(params)

    @work(thread=True, exclusive=True, group="keras")
    def launch_keras(self, params: dict[str, Any]) -> None:
        try:
            run_id = self.app.source.launch("playground", params, "cpu")
            run_dir = self.app.source.info(run_id).run_dir
        except (OSError, ValueError, LookupError) as exc:
            self.from_thread(self.say, f"Keras could not start: {exc}", True)
            return
        self.from_thread(self.keras_started, run_id, run_dir, params["epochs"])

    def keras_started(self, run_id: str, run_dir: Path, epochs: int) -> None:
        self.keras_run, self.keras_dir = run_id, run_dir
        self.say(
            f"Keras is training this network for {epochs} epochs ({run_id}); its boundary "
            "shows here as it forms — v switches between it and the Playground's."
        )
        self.keras_timer = self.set_interval(1.0, self.poll_keras)

    @work(thread=True, exclusive=True, group="keras-poll")
    def poll_keras(self) -> None:
        from tui_dl.analysis.artifacts import load_playground_boundary

        if self.keras_run is None or self.keras_dir is None:
            return
        try:
            boundary: PlaygroundBoundary | None = load_playground_boundary(self.keras_dir)
        except (OSError, ValueError, KeyError):
            boundary = None  # not written yet (TensorFlow is still starting)
        active = self.app.source.is_active(self.keras_run)
        self.from_thread(self.keras_update, boundary, active)

    def keras_update(self, boundary: PlaygroundBoundary | None, active: bool) -> None:
        if boundary is not None:
            self.keras = boundary
        if not active and self.keras_timer is not None:
            self.keras_timer.stop()
            self.keras_timer = None
            info = self.app.source.info(self.keras_run) if self.keras_run else None
            status = info.status if info is not None else "ended"
            self.say(f"The Keras run {status}" + ("" if boundary else " before its first epoch"))
        if self.keras_view:
            self.redraw(keep_snapshot=True)

    def keras_pixels(self, where: BoundaryMap) -> Any:
        """The Keras boundary at `where`'s size (it was written at the run's own)."""
        assert self.keras is not None
        columns, rows = where.pixel_size()
        out = self.keras.outputs
        return downsample(out if out.shape[-1] > 2 else self.keras.value, rows, columns)

    def action_keras_view(self) -> None:
        if self.keras is None:
            self.say("No Keras run yet: k trains this network in Keras.")
            return
        self.keras_view = not self.keras_view
        self.redraw(keep_snapshot=True)

    def action_open_csv(self) -> None:
        from tui_dl.ui.dialogs.file_picker import FilePicker

        def picked(path: Path | None) -> None:
            if path is not None:
                self.change(csv=str(path))

        self.app.push_screen(FilePicker(Path.cwd(), "Choose a CSV of x1,x2,label"), picked)

    def action_back(self) -> None:
        self.playing = False
        self.app.pop_screen()

    # ----- drawing ---------------------------------------------------------------------------
    @on(NetworkView.Focused)
    def neuron_focused(self) -> None:
        self.redraw(keep_snapshot=True)

    def take_snapshot(self) -> Snapshot:
        columns, rows = self.query_one("#pg-map", BoundaryMap).pixel_size()
        with self.engine_lock:
            return self.playground.snapshot(columns, rows)

    def redraw(self, keep_snapshot: bool = False) -> None:
        if not self.is_attached or not self.query("#pg-map"):
            return
        if keep_snapshot and self.snapshot is not None:
            self.show(self.snapshot)
        else:
            self.show(self.take_snapshot())

    def show(self, snap: Snapshot) -> None:
        started = time.perf_counter()
        self.draw(snap)
        self.draw_s = 2 * (time.perf_counter() - started)  # and about as long to paint it

    def draw(self, snap: Snapshot) -> None:
        self.snapshot = snap
        state, points = self.state, self.playground.points
        network = self.query_one(NetworkView)
        network.show(state, snap)
        neuron = network.neuron_grid()
        keras = self.keras if self.keras_view else None
        beside = self.side_by_side
        if self.query_one("#pg-keras-map").display != beside:
            self.on_resize()  # one map or two: the middle's width changes
        if keras is not None and neuron is None and not beside:
            pixels = self.keras_pixels(self.query_one("#pg-map", BoundaryMap))
            title = f"Keras, epoch {keras.epoch}/{keras.epochs}"
        elif neuron is not None:
            pixels = neuron
            title = f"{network.name_of(*network.focused)} output"  # short: the title fits 80×24
        else:
            out = snap.grid[-1]
            pixels = out if out.shape[-1] > 2 else self.playground.value(out)
            title = "Boundary" if not state.regression else "Prediction"
        groups = [(points.train_xy, points.train_y, False)]
        if state.showTestData:
            groups.append((points.test_xy, points.test_y, True))
        self.query_one("#pg-map", BoundaryMap).show_rows(
            boundary_rows(pixels, groups, classes=points.classes, discretize=state.discretize)
        )
        if beside and keras is not None:
            keras_map = self.query_one("#pg-keras-map", BoundaryMap)
            keras_map.show_rows(
                boundary_rows(
                    self.keras_pixels(keras_map),
                    groups,
                    classes=points.classes,
                    discretize=state.discretize,
                )
            )
            title += f" | Keras, epoch {keras.epoch}/{keras.epochs}"
        set_titles(  # the CSV's path, as text
            self.query_one("#pg-middle"),
            f"{title} · {state.data_name}",
            legend(points.classes, state.showTestData),
        )
        chart_width = self.query_one("#pg-chart", Static).size.width or 30
        self.query_one("#pg-chart", Static).update(chart_text(snap, chart_width))
        losses = losses_text(snap, state.regression, confusion=self.size.height >= 40)
        if self.keras is not None and len(self.keras.losses):
            train, test = self.keras.losses[-1]
            losses.append(f"\nKeras epoch {self.keras.epoch}: ", "bold")
            losses.append(f"train loss {train:.3f}  test loss {test:.3f}")
            if not self.keras_view:
                losses.append("  (v: its boundary)", "dim")
        if snap.stopped:
            losses.append(f"\n{snap.stopped}", "yellow")
        self.query_one("#pg-losses", Static).update(losses)
        sub_title = "playing" if self.playing else "paused"
        if self.sub_title != sub_title:
            self.sub_title = sub_title

    def say(self, text: str, error: bool = False) -> None:
        self.notify(text, severity="error" if error else "information", timeout=6)
