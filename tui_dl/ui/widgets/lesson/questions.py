"""A lesson's check questions, one at a time: choose or type, and read why at once.

Multiple choice: ↑↓ move, enter answers; a number: type it, enter answers. The explanation
for the answer given, and whether it was right, shows as soon as it is given; answering
again replaces it. ←→ (or n p) move between questions, and at either end they are left to
the lesson screen, which turns back to the pages. Marks are characters (❯ ✓ ✗ •), so the
page reads the same with NO_COLOR.

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

from tui_dl.lessons.progress import Answer
from tui_dl.lessons.questions import ChoiceQuestion, NumberQuestion, Question

NUMBER_CHARS = set("0123456789.-−+eE")
"""What a number answer may be typed with (`1e-3`, `−0.5`)."""
MAX_TYPED = 24
CHOICE_KEYS = "↑↓ choose · enter answer · ←→ or n p: other questions"
NUMBER_KEYS = "type a number · backspace · enter answer · ←→ or n p: other questions"
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
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.questions = questions
        self.answers: dict[str, Answer] = {}
        self.index = 0
        self.cursor = [0] * len(questions)
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
                self.cursor[i] = found
            else:
                self.typed[i] = answer.choice
            self.answers[question.key] = answer
        self.show()

    @property
    def question(self) -> Question:
        return self.questions[self.index]

    @property
    def typing(self) -> bool:
        """Whether digits are this widget's now (a number question)."""
        return isinstance(self.question, NumberQuestion)

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
        """Digits and the like type a number answer (elsewhere they are left to the screen:
        its 1…9 open the lesson's "try it" entries)."""
        if not self.typing:
            return
        char = event.character
        if char and char in NUMBER_CHARS and len(self.typed[self.index]) < MAX_TYPED:
            event.stop()
            event.prevent_default()
            self.typed[self.index] += char
            self.problem = ""
            self.show()

    def action_answer(self) -> None:
        question = self.question
        if isinstance(question, ChoiceQuestion):
            given = question.choices[self.cursor[self.index]].text
        else:
            given = self.typed[self.index].strip()
            if not given:
                self.problem = "Type a number first, then enter."
                self.show()
                return
        try:
            verdict = question.check(given)
        except ValueError as exc:
            self.problem = f"{exc}: type digits, a point, a minus or e (1e-3)."
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
        keys = CHOICE_KEYS if isinstance(question, ChoiceQuestion) else NUMBER_KEYS
        self.query_one("#question-keys", Static).update(keys)

    def _choices(self, body: Text, question: ChoiceQuestion) -> None:
        answer = self.answers.get(question.key)
        chosen = question.index(answer.choice) if answer else None
        for i, choice in enumerate(question.choices):
            here = i == self.cursor[self.index]
            body.append("❯ " if here else "  ", "bold yellow")
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
        if answer.right:
            body.append(f"✓ Right ({answer.choice}). ", "bold green")
        else:
            body.append(f"✗ Not quite ({answer.choice}): the answer is ", "bold red")
            body.append(f"{question.shown}. ", "bold")
        body.append_text(inline_markdown(question.explanation))
        body.append("\n")
