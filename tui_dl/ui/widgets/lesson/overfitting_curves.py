"""A network fitting 12 noisy points while it trains: the fit, and training against validation.

Left, the points and the network's curve: ● the 12 training points, ∘ the validation points
it never trains on, the curve in braille; once early stopping would have stopped, the curve
of its best epoch (the weights `restore_best_weights` keeps) in `·`. Right, both losses per
epoch on a log scale — training in braille, validation in `∘` — and a │ line where early
stopping would stop. Characters tell every series apart under NO_COLOR. The maths is
`tui_dl.lessons.widgets.overfitting`.
"""

from __future__ import annotations

import numpy as np
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static

from tui_dl.lessons.widgets.overfitting import DROPOUT, PATIENCE, FitRun
from tui_dl.ui.widgets.axis_plot import AxisPlot
from tui_dl.ui.widgets.offered import follow_keys
from tui_dl.ui.widgets.player import Player

SEED = 5
"""Points on which the story shows clearly: without dropout the validation loss climbs
about fourfold after its best epoch; with it, far less."""
EPOCHS_PER_TICK = 40
PLAY_S = 0.2
CURVE = np.linspace(-1.0, 1.0, 121)
SHOWN = 200
"""Loss curves are thinned to at most this many points before plotting."""
FLOOR = 1e-5
"""Losses below this are drawn at it (a log scale has no 0)."""
KEYS = "space play · s step (40 epochs) · d dropout · r restart · x new points"
BLUE, ORANGE, GREEN, GREY, RED = (
    (80, 140, 255),
    (240, 150, 50),
    (110, 210, 110),
    (170, 170, 170),
    (255, 110, 110),
)


def thin(values: list[float]) -> tuple[list[int], list[float]]:
    """(epochs, values), at most SHOWN of them, the last always kept."""
    if not values:
        return [], []
    index = np.unique(np.linspace(0, len(values) - 1, min(SHOWN, len(values))).astype(int))
    return (index + 1).tolist(), [values[i] for i in index]


def summary(run: FitRun) -> str:
    """One run in a line, to compare with the next: best and final validation loss."""
    stop = run.early_stop()
    best = run.validation_loss[stop.best - 1]
    return (
        f"dropout {'on' if run.dropout else 'off'}, best validation {best:.3f} at epoch "
        f"{stop.best}, {run.validation_loss[-1]:.3f} at {run.epochs}"
    )


class OverfittingCurves(Player, can_focus=True):
    DEFAULT_CSS = """
    OverfittingCurves:focus { background: $boost; }
    #overfit-plots { height: 1fr; }
    #overfit-legends { height: 1; }
    .overfit-legend { width: 1fr; height: 1; padding: 0 1; color: $text-muted; }
    #overfit-fit, #overfit-loss { width: 1fr; height: 1fr; }
    #overfit-readout { height: auto; padding: 0 1; }
    """
    PLAY_S = PLAY_S
    BINDINGS = [
        Binding("space", "play", "Play/pause"),
        Binding("s,full_stop", "step", "Step"),
        Binding("d", "dropout", "Dropout"),
        Binding("r", "reset", "Restart"),
        Binding("x", "new_points", "New points"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.run = FitRun(SEED)
        self.previous: str | None = None
        self.play_on_show = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="overfit-legends"):
            yield Static("● train ∘ validation ⣿ net · best", classes="overfit-legend")
            yield Static("loss: ⣿ train ∘ validation │ stop", classes="overfit-legend")
        with Horizontal(id="overfit-plots"):
            yield AxisPlot(id="overfit-fit")
            yield AxisPlot(id="overfit-loss")
        yield Static(id="overfit-readout")

    def start_with(self, words: tuple[str, ...]) -> None:
        """A page's start (`@widget overfitting playing`): training from the first time the
        page shows, so the run its text talks about is there to see."""
        if words != ("playing",):
            raise ValueError("overfitting starts 'playing' or paused")
        self.play_on_show = True

    def on_mount(self) -> None:
        self.redraw()

    def on_show(self) -> None:
        if self.play_on_show and not self.playing and not self.run.epochs:
            self.play_on_show = False
            self.action_play()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """r is offered once there is something to restart."""
        return action != "reset" or self.playing or self.run.epochs > 0

    def advance(self) -> None:
        self.run.train(EPOCHS_PER_TICK)

    def played_out(self) -> bool:
        return self.run.done

    def replay(self) -> None:
        if self.run.done:
            self.restart(self.run.seed, self.run.dropout)

    # ----- keys -------------------------------------------------------------------------------

    def action_dropout(self) -> None:
        """The same points and starting weights, dropout switched: a fair comparison."""
        self.restart(self.run.seed, not self.run.dropout)

    def action_reset(self) -> None:
        self.restart(self.run.seed, self.run.dropout)

    def action_new_points(self) -> None:
        self.restart(self.run.seed + 1, self.run.dropout)
        self.previous = None

    def restart(self, seed: int, dropout: bool) -> None:
        self.pause()
        if self.run.epochs:
            self.previous = summary(self.run)
        self.run = FitRun(seed, dropout)
        self.redraw()

    # ----- drawing ----------------------------------------------------------------------------
    def redraw(self) -> None:
        follow_keys(self, self.playing or self.run.epochs > 0)  # the footer's r
        self.draw_fit()
        self.draw_losses()
        self.query_one("#overfit-readout", Static).update(self.readout())

    def draw_fit(self) -> None:
        run = self.run
        plot = self.query_one("#overfit-fit", AxisPlot)
        plt = plot.plt
        plt.clear_data()
        plot.x_labels = False
        xs = CURVE.tolist()
        plt.scatter(run.validation_x[:, 0].tolist(), run.validation_y[:, 0].tolist(),
                    marker="∘", color=GREY)  # fmt: skip
        stop = run.early_stop()
        if stop.stop is not None:
            plt.plot(xs, np.clip(run.predict_best(CURVE), -3, 3).tolist(), marker="·",
                     color=GREEN)  # fmt: skip
        plt.plot(xs, np.clip(run.predict(CURVE), -3, 3).tolist(), marker="braille", color=BLUE)
        plt.scatter(run.train_x[:, 0].tolist(), run.train_y[:, 0].tolist(), marker="●",
                    color=ORANGE)  # fmt: skip
        plot.x_span = (-1.0, 1.0)
        plot.y_span = (-2.0, 2.0)
        plot.refresh()

    def draw_losses(self) -> None:
        run = self.run
        plot = self.query_one("#overfit-loss", AxisPlot)
        plt = plot.plt
        plt.clear_data()
        plot.x_span = (0, max(run.epochs, 200))
        plot.y_log = True
        low, high = -2, 0
        if run.epochs:
            epochs, train = thin(run.train_loss)
            _, validation = thin(run.validation_loss)
            train_log = np.log10(np.maximum(train, FLOOR)).tolist()
            validation_log = np.log10(np.maximum(validation, FLOOR)).tolist()
            low = min(low, int(np.floor(min(train_log + validation_log))))
            high = max(high, int(np.ceil(max(train_log + validation_log))))
            plt.plot(epochs, validation_log, marker="∘", color=ORANGE)
            plt.plot(epochs, train_log, marker="braille", color=BLUE)
            stop = run.early_stop()
            if stop.stop is not None:
                plt.vline(stop.stop, RED)
        plot.y_span = (low, high)
        plot.refresh()

    def readout(self) -> Text:
        run = self.run
        text = Text()
        text.append(f"epoch {run.epochs}", "bold")
        state = "on" if run.dropout else "off"
        text.append(f" · dropout {state}{f' ({DROPOUT:g})' if run.dropout else ''}", "bold yellow")
        if run.epochs:
            text.append(f" · train {run.train_loss[-1]:.4f}")
            text.append(f" · validation {run.validation_loss[-1]:.4f}")
        text.append(" · playing…\n" if self.playing else "\n")
        text.append_text(self.verdict())
        if self.previous:
            text.append(f"last run: {self.previous}\n", "dim")
        text.append(KEYS, "dim")
        return text

    def verdict(self) -> Text:
        run = self.run
        if not run.epochs:
            return Text("space trains: the whole training set each epoch, by Adam\n")
        stop = run.early_stop()
        best = f"epoch {stop.best} ({run.validation_loss[stop.best - 1]:.3f})"
        if stop.stop is None:
            return Text(f"best validation so far: {best}; patience {PATIENCE} epochs\n")
        text = Text(f"early stopping (patience {PATIENCE}) stops at {stop.stop}", "bold #ff7070")
        text.append(f", keeping {best}{' · done' if run.done else ''}\n")
        return text
