"""`--screen probe`: confidence is not correctness.

The trained model is shown things it never learned — clothes, blank and noisy images, digits
in negative or pushed off-centre — and its confidence is set beside what it actually knows.
"""

from __future__ import annotations

import numpy as np
from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from tui_dl.analysis.artifacts import has_probe, load_probe
from tui_dl.analysis.predictions import Predictions
from tui_dl.engine.events import Event
from tui_dl.text import percent
from tui_dl.ui.render.digits import render_digit
from tui_dl.ui.screens.run_views.predictions import PredictionsScreen

LESSON = (
    "A classifier always answers: softmax spreads 100 % over the classes it knows, whatever it "
    "is shown. High confidence on clothes, noise or a shifted digit means the number measures "
    "how sure it is among its own classes — not whether it knows what it is looking at. From "
    "the ethics checklist: a confident answer is not a correct one; check inputs are the kind "
    "it was trained on, and say what it must not be used for."
)


class ProbeScreen(PredictionsScreen):
    TITLE_TEXT = "confidence is not correctness"
    BINDINGS = [
        Binding("down,j", "pick(1)", "Next row"),
        Binding("up,k", "pick(-1)", "Previous", show=False),
        *PredictionsScreen.BINDINGS,
    ]

    def __init__(self, run_id: str) -> None:
        super().__init__(run_id)
        self.summary: dict = {}
        self.examples: dict[str, np.ndarray] = {}
        self.group = 0

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="probe-body"):
            yield Static("", id="probe-table")
            yield Static(LESSON, id="probe-lesson")
            with Horizontal(id="probe-examples"):
                yield Static("", classes="digit", id="probe-example-0")
                yield Static("", classes="digit", id="probe-example-1")
                yield Static("", id="probe-example-text")

    def show(self, predictions: Predictions, finished: dict) -> None:
        if has_probe(self.folder) or has_probe(self.notes):
            self.load_probe()
        else:
            self.run_job("probe", {}, self.job_done)

    def job_done(self, event: dict) -> None:
        if event["event"] == Event.FAILED:
            self.say(f"The probe failed: {event.get('message', '')}", True)
        else:
            self.load_probe()

    def load_probe(self) -> None:
        try:
            probe = load_probe(self.notes if has_probe(self.notes) else self.folder)
        except (OSError, ValueError) as exc:  # a damaged report: say so, stay usable
            self.say(f"unreadable: {exc}", True)
            return
        self.summary = probe.summary
        self.examples = {"images": probe.images, "pred": probe.pred, "conf": probe.conf}
        self.refresh_view()

    def refresh_view(self) -> None:
        names = self.summary.get("class_names", [])
        table = Table(expand=True, padding=(0, 1), box=box.SIMPLE_HEAD, show_edge=False)
        table.add_column("shown", no_wrap=True)
        table.add_column("n", justify="right")
        table.add_column("mean conf.", justify="right")
        table.add_column("≥ 90 % sure", justify="right")
        table.add_column("right", justify="right")
        table.add_column("usual answer", no_wrap=True)
        for i, g in enumerate(self.summary["groups"]):
            confident = Text(
                percent(g["confident_share"], 0),
                style="bold red" if g["accuracy"] is None and g["confident_share"] >= 0.2 else "",
            )
            table.add_row(  # the probe's file's words, as text
                Text(("▸ " if i == self.group else "  ") + g["name"]),
                str(g["n"]),
                percent(g["mean_confidence"], 0),
                confident,
                "—" if g["accuracy"] is None else percent(g["accuracy"], 0),
                Text(
                    f"{names[g['top_answer']] if names else g['top_answer']} "
                    f"({percent(g['top_answer_share'], 0)})"
                ),
                style="bold" if i == self.group else "",
            )
        notes = "\n".join(self.summary.get("notes", []))
        self.query_one("#probe-table", Static).update(
            table if not notes else Group(table, Text(notes, style="dim"))
        )
        self.show_examples()

    def show_examples(self) -> None:
        group = self.summary["groups"][self.group]
        names = self.summary.get("class_names", [])
        slots = [self.query_one(f"#probe-example-{i}", Static) for i in (0, 1)]
        text = Text(f"{group['name']}: {group['description']}\n\n", style="bold")
        for slot, example in zip(slots, [*group["examples"], None, None], strict=False):
            if example is None:
                slot.update("")
                continue
            slot.update(render_digit(self.examples["images"][example]))
            label = names[int(self.examples["pred"][example])] if names else "?"
            text.append(f"→ {label}, {self.examples['conf'][example] * 100:.1f} % sure\n")
        text.append("\n(the two it was surest about)", style="dim")
        self.query_one("#probe-example-text", Static).update(text)

    def action_pick(self, step: int) -> None:
        if self.summary:
            self.group = (self.group + step) % len(self.summary["groups"])
            self.refresh_view()
