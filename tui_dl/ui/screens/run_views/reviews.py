"""`--screen reviews`: what the IMDB numbers mean, and what the trained LSTM makes of your words.

The run folder holds a few test reviews as the model gets them (lists of word indices), the
vocabulary to turn them back into words and, once training has finished, the model's verdicts,
its most confident mistakes and its weights as plain arrays. A sentence the learner types is
scored here in numpy, word by word, so the verdict's path through the sentence can be shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical, VerticalScroll
from textual.widgets import Input, Static

from tui_dl.analysis.sentiment import (
    NoSentimentModel,
    Reading,
    SentimentModel,
    describe,
    load_reviews,
    load_vocabulary,
)
from tui_dl.data.reviews import Vocabulary, window
from tui_dl.text import percent
from tui_dl.ui.screens.run_views.base import BACK, RunViewScreen
from tui_dl.ui.widgets.text_field import TextField

if TYPE_CHECKING:
    from tui_dl.engine.store import RunInfo

EXPERIMENT = "imdb-lstm"
SHOWN_INDICES = 24
"""How many of a review's indices to print as numbers before its words."""
WIDE = 120
"""From this many columns on, the review and the sentence stand side by side."""
SWING = 0.05
"""A word that moves the verdict by this much gets an arrow."""


def verdict_text(probability: float | None, label: int | None = None) -> Text:
    if probability is None:
        return Text("model: not trained yet", style="dim")
    text = Text("model: ")
    text.append(describe(probability), style="green" if probability >= 0.5 else "red")
    if label is not None:
        right = (probability >= 0.5) == bool(label)
        text.append(" ✓" if right else " ✗ wrong", style="bold green" if right else "bold red")
    return text


def opinion_style(p: float) -> str:
    if math.isnan(p):
        return "dim"
    if p >= 0.65:
        return "bold green"
    if p >= 0.55:
        return "green"
    if p <= 0.35:
        return "bold red"
    if p <= 0.45:
        return "red"
    return ""


def reading_text(reading: Reading) -> Text:
    """Each word coloured by the verdict after it; ▲/▼ where a word swung the verdict."""
    text = Text()
    before = reading.prior
    for k, (typed, seen, p) in enumerate(
        zip(reading.typed, reading.words, reading.opinions, strict=True)
    ):
        if k:
            text.append(" ")
        if math.isnan(p):  # outside the model's window: never read
            text.append(typed, style="dim strike")
            continue
        word = typed if seen != "<unk>" else f"{typed}?"
        text.append(word, style=opinion_style(p))
        if p - before >= SWING:
            text.append("▲", style="green")
        elif before - p >= SWING:
            text.append("▼", style="red")
        before = p
    return text


@dataclass(frozen=True)
class Reviews:
    """What the screen reads from an imdb-lstm run's folder."""

    report: dict[str, Any]
    vocabulary: Vocabulary
    model: SentimentModel | None
    """None until training has finished (`problem` says why)."""
    problem: str


class ReviewsScreen(RunViewScreen[Reviews]):
    BINDINGS = [
        Binding("right,n", "step(1)", "Next review"),
        Binding("left,b", "step(-1)", "Previous", show=False),
        Binding("w", "mistakes", "Mistakes"),
        BACK,
    ]
    TITLE_TEXT = "reading reviews"
    MESSAGE = "reviews-stats"
    NOT_YET = "No reviews yet: the run writes them once it has loaded the data."

    def __init__(self, run_id: str) -> None:
        super().__init__(run_id)
        self.report: dict[str, Any] = {}
        self.vocabulary: Vocabulary | None = None
        self.model: SentimentModel | None = None
        self.entries: list[tuple[str, dict[str, Any]]] = []
        self.position = 0

    def compose_body(self) -> ComposeResult:
        with Vertical(id="reviews"):
            yield Static("Loading the run's reviews…", id=self.MESSAGE)
            with Container(id="reviews-panes"):
                with VerticalScroll(id="review-box") as box:
                    box.border_title = "A test review"
                    yield Static("", id="review-numbers")
                    yield Static("", id="review-words")
                with Vertical(id="sentence-box") as box:
                    box.border_title = "Your own sentence"
                    yield TextField(
                        placeholder="Type a review and press Enter",
                        id="sentence",
                        disabled=True,
                        compact=True,
                    )
                    yield Static("", id="sentence-verdict")
        yield Static(
            "→/← reviews · w the model's worst mistakes · tab to type · esc back",
            id="reviews-hint",
        )

    def on_resize(self) -> None:
        self.set_class(self.size.width >= WIDE, "-wide")

    def read(self, info: RunInfo) -> Reviews:
        if info.experiment != EXPERIMENT:
            raise LookupError(
                f"run {self.run_id} is a {info.experiment} run; reviews belong to "
                f"{EXPERIMENT} runs (tui-dl --screen reviews --run ID)"
            )
        report = load_reviews(info.run_dir)
        try:
            vocabulary = load_vocabulary(info.run_dir)
        except NoSentimentModel as exc:  # no words to read the reviews with: nothing to show
            raise LookupError(str(exc)) from exc
        try:
            return Reviews(report, vocabulary, SentimentModel.load(info.run_dir), "")
        except NoSentimentModel as exc:
            return Reviews(report, vocabulary, None, str(exc))

    def loaded(self, found: Reviews, info: RunInfo) -> None:
        self.report, self.vocabulary, self.model = found.report, found.vocabulary, found.model
        samples, wrong = self.report.get("samples", []), self.report.get("wrong", [])
        self.entries = [("Test review", s) for s in samples] + [
            ("Confident mistake", s) for s in wrong
        ]
        self.query_one("#reviews-stats", Static).update(self.stats_text())
        sentence = self.query_one("#sentence", Input)
        if found.model is not None:
            sentence.disabled = False
        else:
            self.query_one("#sentence-verdict", Static).update(Text(found.problem, "dim"))
        self.show_entry()
        self.query_one("#review-box").focus()

    def stats_text(self) -> Text:
        r = self.report
        text = Text(
            f"{r.get('vocabulary', 0):,} words · cut to {r.get('maxlen')} · 0 pad, 1 start, "
            "2 <unk>, a word: its rank + 3\n",
            style="dim",
        )
        by_label = r.get("by_label")
        if by_label:
            text.append("Right on the test set: ")
            counts = [c["n"] for c in by_label.values()]
            for k, (name, c) in enumerate(by_label.items()):
                share = c["right"] / c["n"] if c["n"] else None
                text.append((" · " if k else "") + f"{percent(share, 0)} of {name}")
            text.append(" reviews")
            each = (
                f"{counts[0]:,} each"
                if len(set(counts)) == 1
                else " / ".join(f"{n:,}" for n in counts)
            )
            text.append(f" ({each})", style="dim")
        else:
            text.append("Training has not finished: no verdicts yet.", style="dim")
        return text

    def show_entry(self) -> None:
        box = self.query_one("#review-box", VerticalScroll)
        if not self.entries or self.vocabulary is None:
            box.border_title = "A test review"
            self.query_one("#review-words", Static).update("This run saved no reviews.")
            return
        group, entry = self.entries[self.position]
        same = [e for g, e in self.entries if g == group]
        truth = "positive" if entry["label"] else "negative"
        box.border_title = (
            f"{group} {same.index(entry) + 1} of {len(same)} · #{entry['index']} · really {truth}"
        )
        box.border_subtitle = verdict_text(entry.get("probability"), entry["label"]).markup
        indices = entry["indices"]
        numbers = " ".join(str(i) for i in indices[:SHOWN_INDICES])
        more = f" … ({len(indices)} in all)" if len(indices) > SHOWN_INDICES else ""
        self.query_one("#review-numbers", Static).update(
            Text.assemble(("What the network gets: ", "bold"), numbers + more)
        )
        self.query_one("#review-words", Static).update(self.words_text(indices))
        box.scroll_home(animate=False)

    def words_text(self, indices: list[int]) -> Text:
        """The review decoded; words the model never reads (cut off) dimmed and struck out."""
        assert self.vocabulary is not None
        maxlen = int(self.report.get("maxlen", len(indices)))
        first, last = window(len(indices), maxlen, self.report.get("truncate", "start"))
        text = Text.assemble(("Decoded: ", "bold"))
        for k, index in enumerate(indices):
            word = self.vocabulary.word(index)
            style = "dim strike" if not first <= k < last else ""
            if word.startswith("<"):
                style += " italic cyan"
            text.append(word + " ", style=style.strip())
        if last - first < len(indices):
            text.append(
                f"\n(struck out: the words beyond the {maxlen} the model reads)", style="dim"
            )
        return text

    @on(Input.Submitted, "#sentence")
    def score(self, event: Input.Submitted) -> None:
        verdict = self.query_one("#sentence-verdict", Static)
        if self.model is None:
            return
        if not event.value.strip():
            verdict.update(Text("Type a few words first.", style="yellow"))
            return
        reading = self.model.read(event.value)
        p = reading.probability
        text = Text.assemble(
            ("Verdict: ", "bold"), (describe(p), "green" if p >= 0.5 else "red"), "\n"
        )
        if not reading.words:
            text = Text(
                "No words the model knows in that (letters and digits only). It answers "
                f"anyway: {describe(reading.probability)}.",
                style="yellow",
            )
        else:
            text.append_text(reading_text(reading))
        if reading.unknown:
            text.append(
                "\nNot in its vocabulary (read as <unk>): " + ", ".join(reading.unknown),
                style="dim",
            )
        verdict.update(text)

    def action_step(self, step: int) -> None:
        if self.entries:
            self.position = (self.position + step) % len(self.entries)
            self.show_entry()

    def action_mistakes(self) -> None:
        firsts = [i for i, (g, _) in enumerate(self.entries) if g == "Confident mistake"]
        if not firsts:
            self.notify(
                "Not one test review wrong."
                if self.report.get("by_label")
                else "No mistakes to show yet: they come when training has finished."
            )
            return
        later = [i for i in firsts if i > self.position]
        self.position = later[0] if later else firsts[0]
        self.show_entry()
