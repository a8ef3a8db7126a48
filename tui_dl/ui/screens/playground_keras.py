"""The Playground's network trained for real, in Keras: `k` launches the `playground`
experiment on the same setup (a child process with TensorFlow), and its boundary is read back
each second as it forms, to be drawn beside the Playground's (or instead of it, with `v`).

The Playground screen is built on this: the twin's launching and polling apart from the
numpy network's screen, its drawing there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.timer import Timer

from tui_dl.analysis.artifacts import PlaygroundBoundary
from tui_dl.engine.playground.session import Playground, Snapshot
from tui_dl.engine.playground.state import PlaygroundState
from tui_dl.ui.render.boundary import downsample
from tui_dl.ui.screens.live import LiveTrainingScreen
from tui_dl.ui.widgets.boundary_map import BoundaryMap

SIDE_BY_SIDE = 150
"""From this many columns the Keras boundary is drawn beside the Playground's, not instead."""


class KerasTwinScreen(LiveTrainingScreen[PlaygroundState, Playground, Snapshot]):
    def __init__(self, playground: Playground) -> None:
        super().__init__(playground)
        self.keras_run: str | None = None
        self.keras_dir: Path | None = None
        self.keras: PlaygroundBoundary | None = None
        self.keras_view = False
        self.keras_timer: Timer | None = None

    @property
    def state(self) -> PlaygroundState:
        return self.session.state

    @property
    def side_by_side(self) -> bool:
        """Keras's boundary beside the Playground's: when there is one and room for both."""
        return self.keras is not None and self.keras_view and self.size.width >= SIDE_BY_SIDE

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
