"""A lesson's check questions, one at a time: choose or type, and read why at once.

Multiple choice: ↑↓ move, enter answers, or the number shown beside a choice answers it; the
choices come in an order of their own for each learner (`ChoiceQuestion.shown_order`). A
number: type it (`0.5`, `.5`, `50 %`, `1/2`, `1,000`), enter answers, and the verdict says how
it was read; a character no number holds is refused at once, with what was expected. The
explanation for the answer given, and whether it was right, shows as soon as it is given;
answering again replaces it. ←→ (or n p) move between questions, and at either end they are
left to the lesson screen: back to the pages, or on to the lesson's end. Marks are
characters (❯ ✓ ✗ •), so the page reads the same with NO_COLOR.

The widget keeps no file: each answer is posted as `QuestionsPanel.Answered`, and the
lesson screen saves it with the learner's progress.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from tui_dl.lessons.numbers import EXPECTED
from tui_dl.lessons.progress import Answer
from tui_dl.lessons.questions import ChoiceQuestion, NumberQuestion, Question, Verdict

NUMBER_CHARS = set("0123456789.-−+eE/%, ")
"""What a number answer may be typed with (`1e-3`, `−0.5`, `50 %`, `1/2`, `1,000`)."""
MAX_TYPED = 24
NUMBER_KEYS = "type a number · backspace · enter answer · ←→ or n p: other questions"


def choice_keys(count: int) -> str:
    return f"↑↓ choose, enter answers · or 1–{count} · ←→ or n p: other questions"


INLINE = re.compile(
    r"(`[^`]+`|\*\*[^*]+\*\*|(?<!\w)\*[^*\s][^*]*\*(?!\w)|(?<!\w)_[^_\s][^_]*_(?!\w))"
)
"""Markdown's inline marks a question may use: `code`, **bold**, *italic*, _italic_."""


def inline_markdown(source: str, style: str = "") -> Text:
    """A line of Markdown as styled text: the marks go, their meaning stays."""
    text = Text(style=style)
    for part in INLINE.split(source):
        if not part:
            continue
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            text.append(part[1:-1], "bold reverse")
        elif part.startswith("**") and part.endswith("**") and len(part) > 3:
            text.append(part[2:-2], "bold")
        elif part[0] in "*_" and part[-1] == part[0] and len(part) > 2:
            text.append(part[1:-1], "italic")
        else:
            text.append(part)
    return text


class QuestionsPanel(VerticalScroll, can_focus=True, inherit_bindings=False):
    """The questions page: `answers` are the learner's saved ones, by question key."""

    DEFAULT_CSS = """
    QuestionsPanel { height: 1fr; padding: 0 1; }
    QuestionsPanel:focus { background: $boost; }
    QuestionsPanel #question-score { height: auto; }
    QuestionsPanel #question-body { height: auto; }
    QuestionsPanel #question-keys { height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding("up,k", "move(-1)", "Choice ↑", show=False),
        Binding("down,j", "move(1)", "Choice ↓", show=False),
        Binding("enter", "answer", "Answer"),
        Binding("n,right", "question(1)", "Next", key_display="n"),
        Binding("p,left", "question(-1)", "Previous", key_display="p"),
        Binding("backspace", "erase", "Erase", show=False),
        Binding("home", "go(0)", "First", show=False),
        Binding("end", "go(-1)", "Last", show=False),
        Binding("pagedown", "scroll_page_down", show=False),
        Binding("pageup", "scroll_page_up", show=False),
    ]

    class Answered(Message):
        """The learner answered a question (the screen saves it)."""

        def __init__(self, key: str, answer: Answer) -> None:
            super().__init__()
            self.key = key
            self.answer = answer

    class Moved(Message):
        """Another question is shown (the screen's hint says which keys are its own)."""

    def __init__(
        self,
        questions: tuple[Question, ...],
        answers: dict[str, Answer] | None = None,
        *,
        seed: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.questions = questions
        self.orders = [
            q.shown_order(seed) if isinstance(q, ChoiceQuestion) else () for q in questions
        ]
        """Each question's choices in the order shown (indexes into its `choices`)."""
        self.answers: dict[str, Answer] = {}
        self.index = 0
        self.cursor = [0] * len(questions)
        """Each question's highlighted choice: a place in the shown order."""
        self.typed = [""] * len(questions)
        self.problem = ""
        """Why enter did nothing (no number typed, not a number): shown until the next key."""
        self.set_answers(answers or {})

    def compose(self) -> ComposeResult:
        yield Static(id="question-score")
        yield Static(id="question-body")
        yield Static(id="question-keys")

    def on_mount(self) -> None:
        self.show()

    # ----- state ---------------------------------------------------------------------------
    def set_answers(self, answers: dict[str, Answer]) -> None:
        """The saved answers that still fit their question (an edited one has a new key)."""
        self.answers = {}
        for i, question in enumerate(self.questions):
            answer = answers.get(question.key)
            if answer is None:
                continue
            if isinstance(question, ChoiceQuestion):
                found = question.index(answer.choice)
                if found is None:
                    continue
                self.cursor[i] = self.orders[i].index(found)
            else:
                self.typed[i] = answer.choice
            self.answers[question.key] = answer
        self.show()

    @property
    def question(self) -> Question:
        return self.questions[self.index]

    @property
    def typing(self) -> bool:
        """Whether a number is being typed (digits are this widget's on every question:
        they pick a choice too)."""
        return isinstance(self.question, NumberQuestion)

    def shown_choice(self, place: int) -> int:
        """The index in `choices` of the choice shown at `place` (0-based)."""
        return self.orders[self.index][place]

    @property
    def right(self) -> int:
        return sum(a.right for k, a in self.answers.items() if k in self._keys)

    @property
    def _keys(self) -> set[str]:
        return {q.key for q in self.questions}

    def score(self) -> str:
        """'3 of 5 right', and how many are still open."""
        total, answered = len(self.questions), len(self.answers)
        line = f"{self.right} of {total} right"
        return line if answered == total else f"{line} · {total - answered} not answered yet"

    # ----- keys ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "question":
            step = int(str(parameters[0]))
            return 0 <= self.index + step < len(self.questions)  # else: the screen's page key
        if action == "move":
            return isinstance(self.question, ChoiceQuestion)
        if action == "erase":
            return isinstance(self.question, NumberQuestion)
        return True

    def action_question(self, step: int) -> None:
        self.go_to(self.index + step)

    def action_go(self, index: int) -> None:
        self.go_to(index % len(self.questions))

    def go_to(self, index: int) -> None:
        self.index = max(0, min(len(self.questions) - 1, index))
        self.problem = ""
        self.show()
        self.scroll_home(animate=False)
        self.post_message(self.Moved())

    def action_move(self, step: int) -> None:
        question = self.question
        if isinstance(question, ChoiceQuestion):
            self.cursor[self.index] = (self.cursor[self.index] + step) % len(question.choices)
            self.problem = ""
            self.show()

    def action_erase(self) -> None:
        self.typed[self.index] = self.typed[self.index][:-1]
        self.problem = ""
        self.show()

    def on_key(self, event: events.Key) -> None:
        """Digits pick a choice by its shown number, or type a number answer with the other
        characters a number holds; a character no number holds is refused out loud."""
        question, char = self.question, event.character
        if isinstance(question, ChoiceQuestion):
            if char and char.isdigit():
                event.stop()
                event.prevent_default()
                self._pick(question, int(char))
            return
        if not char or not char.isprintable():
            return
        if char in NUMBER_CHARS:
            event.stop()
            event.prevent_default()
            if len(self.typed[self.index]) >= MAX_TYPED:
                self.problem = f"At most {MAX_TYPED} characters."
            else:
                self.typed[self.index] += char
                self.problem = ""
            self.show()
        elif event.key not in self.screen.active_bindings:
            event.stop()
            event.prevent_default()
            self.problem = f"{char!r} is not part of a number: type {EXPECTED}."
            self.show()

    def _pick(self, question: ChoiceQuestion, number: int) -> None:
        if not 1 <= number <= len(question.choices):
            self.problem = f"This question has choices 1 to {len(question.choices)}."
            self.show()
            return
        self.cursor[self.index] = number - 1
        self.action_answer()

    def action_answer(self) -> None:
        question = self.question
        if isinstance(question, ChoiceQuestion):
            given = question.choices[self.shown_choice(self.cursor[self.index])].text
        else:
            given = " ".join(self.typed[self.index].split())
            if not given:
                self.problem = f"Type a number first ({EXPECTED}), then enter."
                self.show()
                return
        try:
            verdict = question.check(given)
        except ValueError as exc:
            self.problem = f"Not read: {exc}."
            self.show()
            return
        answer = Answer(given, verdict.right)
        self.answers[question.key] = answer
        self.problem = ""
        self.show()
        self.post_message(self.Answered(question.key, answer))

    # ----- drawing -------------------------------------------------------------------------
    def show(self) -> None:
        if not self.query("#question-body"):  # not composed yet: on_mount draws it
            return
        question = self.question
        head = Text()
        head.append(f"Check question {self.index + 1} of {len(self.questions)}", "bold")
        head.append(f"   {self.score()}", "dim")
        self.query_one("#question-score", Static).update(head)
        body = Text()
        body.append("\n")
        body.append_text(inline_markdown(question.prompt, "bold"))
        body.append("\n\n")
        if isinstance(question, ChoiceQuestion):
            self._choices(body, question)
        elif isinstance(question, NumberQuestion):
            self._number(body, question)
        if self.problem:
            body.append(f"\n{self.problem}\n", "yellow")
        self.query_one("#question-body", Static).update(body)
        keys = (
            choice_keys(len(question.choices))
            if isinstance(question, ChoiceQuestion)
            else NUMBER_KEYS
        )
        self.query_one("#question-keys", Static).update(keys)

    def _choices(self, body: Text, question: ChoiceQuestion) -> None:
        answer = self.answers.get(question.key)
        chosen = question.index(answer.choice) if answer else None
        for place, i in enumerate(self.orders[self.index]):
            choice = question.choices[i]
            here = place == self.cursor[self.index]
            body.append("❯ " if here else "  ", "bold yellow")
            body.append(f"{place + 1} ", "bold" if here else "dim")
            body.append("(•) " if i == chosen else "( ) ", "bold" if i == chosen else "")
            body.append_text(inline_markdown(choice.text, "bold" if here else ""))
            if i == chosen:
                body.append("  ✓ right" if choice.right else "  ✗ not right",
                            "bold green" if choice.right else "bold red")  # fmt: skip
            body.append("\n")
        if answer is not None and chosen is not None:
            picked = question.choices[chosen]
            body.append("\n")
            body.append("✓ Right. " if picked.right else "✗ Not right. ",
                        "bold green" if picked.right else "bold red")  # fmt: skip
            body.append_text(inline_markdown(picked.explanation))
            if not picked.right:
                body.append("\nChoose another and press enter to try again.", "dim")
            body.append("\n")

    def _number(self, body: Text, question: NumberQuestion) -> None:
        typed = self.typed[self.index]
        body.append("Your answer: ", "bold")
        body.append(typed or " ", "reverse")
        body.append("▏\n")
        answer = self.answers.get(question.key)
        if answer is None:
            return
        body.append("\n")
        said = _reading(question, answer.choice) or answer.choice
        if answer.right:
            body.append(f"✓ Right ({said}). ", "bold green")
        else:
            body.append(f"✗ Not quite ({said}): the answer is ", "bold red")
            body.append(f"{question.shown}. ", "bold")
        body.append_text(inline_markdown(question.explanation))
        body.append("\n")


def _reading(question: NumberQuestion, typed: str) -> str:
    """How a saved answer reads ('read 1/2 as 0.5'), '' if as typed or no longer readable."""
    try:
        verdict: Verdict = question.check(typed)
    except ValueError:
        return ""
    return verdict.reading
