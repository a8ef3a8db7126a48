"""The course's first hands-on, in the terminal: the TensorFlow Playground, keyboard-driven.

Settings on the left (↑↓ choose, ←→ change), the decision boundary in the middle with the
points on it, the network on the right (tab to it: ←→↑↓ focus a neuron, whose picture then
fills the middle; `w` picks one of its incoming weights and `e` edits it). Space plays and
pauses, `.` trains one epoch, `r` starts the network again, `g` draws new points.

The numpy engine (tui_dl.engine.playground) trains in a worker thread, an epoch at a time,
under a lock, as every live training screen's does (screens/live.py); about fifteen times a
second the worker copies out a snapshot (every neuron's output over the plane, the weights, the
losses), and only the snapshot is drawn. `k` trains the same network in Keras beside it
(screens/playground_keras.py).
"""

from __future__ import annotations

import time
from collections.abc import Set
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static

from tui_dl import paths
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
from tui_dl.ui.render.boundary import TEST_MARKS, TRAIN_MARKS, boundary_rows
from tui_dl.ui.render.plain import set_titles
from tui_dl.ui.screens.playground_keras import KerasTwinScreen
from tui_dl.ui.serve.seat_files import OutsideSeatFolder, export_folder, readable
from tui_dl.ui.widgets.boundary_map import BoundaryMap
from tui_dl.ui.widgets.keys_footer import KeysFooter
from tui_dl.ui.widgets.playground.controls import Controls
from tui_dl.ui.widgets.playground.losses import chart_text, losses_text
from tui_dl.ui.widgets.playground.network_view import NetworkView

if TYPE_CHECKING:
    from tui_dl.lessons.share.codes import Shared

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


class PlaygroundScreen(KerasTwinScreen):
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

    MAP = "#pg-map"
    LIVE = LIVE | VIEW
    SETUP_ERROR = StateError
    CSV_PROMPT = "Choose a CSV of x1,x2,label"

    def __init__(
        self, experiment: str = "playground", run_id: str | None = None, state: str = ""
    ) -> None:
        problem = ""
        try:
            initial = parse_state(state)
            if initial.csv:  # at a browser seat, a CSV only from the seat's own folder
                initial = initial.with_(csv=str(readable(initial.csv)))
        except (StateError, OutsideSeatFolder) as exc:
            initial, problem = PlaygroundState(), f"That state cannot be used: {exc}"
        try:
            playground = Playground(initial.with_(csv="") if initial.csv else initial)
        except DataError as exc:
            problem = f"Those points cannot be used: {exc}"
            playground = Playground(PlaygroundState())
        super().__init__(playground)
        self.problem = problem
        self.pending = initial if initial.csv else None
        """A state on the learner's own points, read once the screen is up (in a thread)."""

    @property
    def playground(self) -> Playground:
        return self.session

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

    # ----- training -------------------------------------------------------------------------
    def share_target(self) -> Shared | None:
        """ctrl+s: the Playground on this setup (its state string)."""
        from tui_dl.lessons.share.codes import Shared
        from tui_dl.lessons.tries import Target

        return Shared(Target("playground", state=self.state.to_string()))

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

    def setup_of(self, session: Playground) -> PlaygroundState:
        return session.state

    def make_session(self, setup: PlaygroundState) -> Playground:
        return Playground(setup)

    def retune(self, session: Playground, setup: PlaygroundState, changed: Set[str]) -> None:
        session.state = setup
        if changed & {"stopEpochs", "stopLoss"}:
            session.stopped = ""

    def reads_file(self, setup: PlaygroundState) -> bool:
        return bool(setup.csv)

    def show_setup(self, setup: PlaygroundState) -> None:
        self.query_one(Controls).show(setup)

    def setup_changed(self, changed: Set[str]) -> None:
        if "networkShape" in changed:
            self.on_resize()  # the network's width changes the map's

    def csv_changes(self, path: Path) -> dict[str, Any]:
        return {"csv": str(path)}

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

    # ----- drawing ---------------------------------------------------------------------------
    @on(NetworkView.Focused)
    def neuron_focused(self) -> None:
        self.redraw(keep_snapshot=True)

    def draw(self, snap: Snapshot) -> None:
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
