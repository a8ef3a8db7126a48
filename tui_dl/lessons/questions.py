"""A lesson's check questions: the `---questions---` section at the end of its file.

An instructor writes them as plain lines, so they are parsed here line by line and every
mistake is a `LessonError` naming the file and the line, like a page's:

    ? Which of these can a single perceptron learn?
    - [x] OR
      > Yes: one straight line separates its classes.
    - [ ] XOR
      > No straight line separates XOR's two classes.

    ? A 3×3 filter slides over a 28×28 image without padding. How wide is the feature map?
    = 26
      > 28 − 3 + 1 = 26 positions fit across.

`? ` starts a question; an optional `@page N` line after it names the page that teaches it
(the lesson's closing page sends a learner who missed it there); then either 2–6 choices
(`- [ ] text`, exactly one `- [x] text`) or one number (`= VALUE` or `= VALUE ± TOLERANCE`,
by default 1 % of the value, 1e-9 for 0). `= 50 %` asks for a percentage: a bare `50` typed
is then read as 50 %, and `0.5` or `1/2` count as well. Every answer line and every `=` line
is followed by one indented `> ` explanation line. Blank lines between questions and `#`
comment lines anywhere are allowed.

The choices are shown in an order of their own for each learner and question
(`shown_order`): the file's order says nothing about which one is right.

A learner's answer is kept under the question's `key`, a hash of its text and its answers:
a question an instructor edits gets a new key, so an answer given to the old one is not
shown against the new.
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import re
from dataclasses import dataclass, field

from tui_dl.lessons.numbers import Reading, format_percent, format_value, read_reading

QUESTIONS_BREAK = "---questions---"
MIN_CHOICES, MAX_CHOICES = 2, 6
CHOICE_LINE = re.compile(r"^- \[([ xX])\] (.*)$")
NUMBER_LINE = re.compile(r"^=\s*(?P<value>[^±]+?)\s*(?:(?:±|\+/-)\s*(?P<tolerance>.+?))?\s*$")
EXPLANATION_LINE = re.compile(r"^\s+> ?(.*)$")
PAGE_LINE = re.compile(r"^@page\s+(\d+)$")
SEAT_ENV = "TUI_DL_SEAT"
"""A workshop seat's name (`tui_dl.engine.workshop.seats`): the learner, where there is one."""
RELATIVE_TOLERANCE = 0.01
ZERO_TOLERANCE = 1e-9


class QuestionError(ValueError):
    """One malformed line: its number and what is wrong (content.py adds the file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Verdict:
    """What the learner is told once they answer."""

    right: bool
    explanation: str
    reading: str = ""
    """How a typed number was read ('read 1/2 as 0.5'); '' for a choice."""


@dataclass(frozen=True)
class Choice:
    text: str
    right: bool
    explanation: str
    line: int


@dataclass(frozen=True)
class Question:
    prompt: str
    line: int
    """Where its `? ` line is, for messages."""
    page: int | None = field(default=None, kw_only=True)
    """The 1-based page that teaches it (`@page N`), or None."""

    @property
    def key(self) -> str:
        """A hash of the question's text and answers: the learner's answer is kept under it."""
        return hashlib.sha256(self.fingerprint().encode("utf-8")).hexdigest()[:16]

    def fingerprint(self) -> str:
        return self.prompt

    def check(self, answer: str) -> Verdict:
        """Whether `answer` is right, and the explanation to show for it."""
        raise NotImplementedError


@dataclass(frozen=True)
class ChoiceQuestion(Question):
    choices: tuple[Choice, ...] = ()

    def fingerprint(self) -> str:
        marks = "\n".join(f"{'x' if c.right else ' '} {c.text}" for c in self.choices)
        return f"{self.prompt}\n{marks}"

    @property
    def right_choice(self) -> Choice:
        return next(choice for choice in self.choices if choice.right)

    def shown_order(self, seed: str) -> tuple[int, ...]:
        """The choices' indexes in the order this learner sees them: shuffled by a hash of
        `seed` (the learner) and the question's key, so the same learner sees the same order
        on every return, and the file's order tells nothing."""
        digest = hashlib.sha256(f"{seed}\n{self.key}".encode()).digest()
        order = list(range(len(self.choices)))
        random.Random(int.from_bytes(digest[:8], "big")).shuffle(order)
        return tuple(order)

    def index(self, answer: str) -> int | None:
        """Which choice reads `answer` (None: none does any more)."""
        return next((i for i, c in enumerate(self.choices) if c.text == answer), None)

    def check(self, answer: str) -> Verdict:
        found = self.index(answer)
        if found is None:
            raise ValueError(f"{answer!r} is not one of the answers")
        choice = self.choices[found]
        return Verdict(choice.right, choice.explanation)


@dataclass(frozen=True)
class NumberQuestion(Question):
    value: float = 0.0
    tolerance: float = ZERO_TOLERANCE
    explanation: str = ""
    percent: bool = False
    """Asked as a percentage (`= 50 %`): a bare number typed is read as one."""

    def fingerprint(self) -> str:
        unit = " %" if self.percent else ""
        return f"{self.prompt}\n= {self.value!r}{unit} ± {self.tolerance!r}"

    def read(self, answer: str) -> Reading:
        """`answer` as this question reads it (ValueError: it is no number). For a
        percentage, a bare number is a percentage, unless it is right as a fraction."""
        reading = read_reading(answer)
        if self.percent and reading.form == "number" and not self._near(reading.value):
            return Reading(reading.value / 100, "percent", reading.text)
        return reading

    def check(self, answer: str) -> Verdict:
        reading = self.read(answer)
        return Verdict(self._near(reading.value), self.explanation, self._said(reading))

    def _near(self, given: float) -> bool:
        slack = 1e-12 * max(1.0, abs(self.value))  # 0.1 + 0.2 is still 0.3
        return abs(given - self.value) <= self.tolerance + slack

    def _said(self, reading: Reading) -> str:
        """'read 1/2 as 0.5', 'read 50 as 50 %': how the answer was understood."""
        if self.percent:
            if reading.text.replace(" ", "") == format_percent(reading.value).replace(" ", ""):
                return ""
            return f"read {reading.text} as {format_percent(reading.value)}"
        return reading.describe()

    @property
    def shown(self) -> str:
        """The expected answer as the learner reads it: '26', '0.25 (± 0.01)', '50 % (0.5)'."""
        value = format_percent(self.value) if self.percent else format_value(self.value)
        if self.percent:
            value += f" ({format_value(self.value)})"
        default = default_tolerance(self.value)
        if math.isclose(self.tolerance, default, rel_tol=1e-9, abs_tol=1e-15):
            return value
        slack = format_percent(self.tolerance) if self.percent else f"{self.tolerance:g}"
        return f"{value} (± {slack})"


def read_number(text: str) -> float:
    """A typed number's value: '26', '-0.5', '−0.5', '1e-3', '50 %', '1/2', '1,000'."""
    return read_reading(text).value


def learner_seed() -> str:
    """Who is answering, for the order of the choices: the workshop seat, else the user."""
    seat = os.environ.get(SEAT_ENV, "").strip()
    if seat:
        return f"seat:{seat}"
    import getpass  # here: it imports termios, which the lessons' parsing does not need

    try:
        return f"user:{getpass.getuser()}"
    except (KeyError, OSError):
        return "user:"


def default_tolerance(value: float) -> float:
    return abs(value) * RELATIVE_TOLERANCE if value else ZERO_TOLERANCE


@dataclass
class _Draft:
    """The question being read: its answers so far."""

    prompt: str
    line: int
    choices: list[tuple[str, bool, int]]
    number: tuple[float, float, bool] | None = None
    """(value, tolerance, asked as a percentage)."""
    explanations: list[str] = field(default_factory=list)
    page: int | None = None


def parse_questions(lines: list[str], start: int, pages: int | None = None) -> tuple[Question, ...]:
    """The questions in `lines` (1-based `start` is the line after `---questions---`);
    `pages`, the lesson's page count, bounds each `@page N`.

    Raises QuestionError at the first malformed line.
    """
    questions: list[Question] = []
    draft: _Draft | None = None
    waiting: tuple[int, str] | None = None
    """An answer line still owed its explanation: (its line, what it is)."""
    explained = False
    """The last line read was an explanation (a second one in a row is a mistake)."""

    def close() -> None:
        if draft is not None:
            questions.append(_finish(draft))

    for number, raw in enumerate(lines[start - 1 :], start=start):
        line = raw.rstrip()
        text = line.strip()
        if text.startswith("#"):
            continue
        explanation = EXPLANATION_LINE.match(line)
        if explanation:
            if waiting is None:
                raise QuestionError(
                    number,
                    "one explanation line per answer: this answer already has one"
                    if explained
                    else "an explanation ('  > ...') must follow an answer",
                )
            if not explanation.group(1).strip():
                raise QuestionError(number, "the explanation after '>' is empty")
            assert draft is not None
            draft.explanations.append(explanation.group(1).strip())
            waiting, explained = None, True
            continue
        if waiting is not None:
            raise _unexplained(*waiting)
        explained = False
        if not text:
            continue
        if text.startswith("?"):
            if not text.startswith("? ") or not text[2:].strip():
                raise QuestionError(number, "a question is written '? The question'")
            close()
            draft = _Draft(text[2:].strip(), number, [])
        elif text.startswith("@page"):
            _read_page(draft, text, number, pages)
        elif text in (QUESTIONS_BREAK, "---page---") or text.startswith("@widget"):
            raise QuestionError(
                number, f"{text!r} after {QUESTIONS_BREAK}: the questions end the lesson"
            )
        elif line != line.lstrip():
            raise QuestionError(
                number,
                f"unexpected indented line {text!r}: only an explanation ('  > ...') is indented",
            )
        elif text.startswith(">"):
            raise QuestionError(number, "an explanation line is indented: '  > why'")
        elif draft is None:
            raise QuestionError(
                number, f"{text!r} comes before any question: a question starts with '? '"
            )
        elif text.startswith("-"):
            waiting = (number, _read_choice(draft, text, number))
        elif text.startswith("="):
            waiting = (number, _read_number(draft, text, number))
        else:
            raise QuestionError(
                number,
                f"unexpected line {text!r}: a question starts with '? ', a choice with "
                "'- [ ] ' or '- [x] ', a number answer with '= ', an explanation with '  > '",
            )
    if waiting is not None:
        raise _unexplained(*waiting)
    close()
    if not questions:
        raise QuestionError(start - 1, f"no questions after {QUESTIONS_BREAK}")
    return tuple(questions)


def _unexplained(line: int, what: str) -> QuestionError:
    return QuestionError(
        line, f"{what} needs its explanation on the next line, indented: '  > why'"
    )


def _read_page(draft: _Draft | None, text: str, number: int, pages: int | None) -> None:
    match = PAGE_LINE.match(text)
    if not match:
        raise QuestionError(number, "the page that teaches a question is written '@page N'")
    if draft is None or draft.choices or draft.number is not None or draft.page is not None:
        raise QuestionError(number, "'@page N' goes once, on the line after its question")
    page = int(match.group(1))
    if page < 1 or (pages is not None and page > pages):
        raise QuestionError(number, f"@page {page}: the lesson's pages are 1 to {pages}")
    draft.page = page


def _read_choice(draft: _Draft, text: str, number: int) -> str:
    match = CHOICE_LINE.match(text)
    if not match or not match.group(2).strip():
        raise QuestionError(number, "a choice is written '- [ ] text' or '- [x] text'")
    if draft.number is not None:
        raise QuestionError(
            number, "this question already has a number answer ('='): choices or a number"
        )
    choice = match.group(2).strip()
    if any(choice == seen for seen, _, _ in draft.choices):
        raise QuestionError(number, f"two choices read {choice!r}: each must differ")
    draft.choices.append((choice, match.group(1) in "xX", number))
    return "this choice"


def _read_number(draft: _Draft, text: str, number: int) -> str:
    if draft.choices:
        raise QuestionError(
            number, "this question already has choices ('- [ ]'): choices or a number"
        )
    if draft.number is not None:
        raise QuestionError(number, "one '= VALUE' line per question")
    match = NUMBER_LINE.match(text)
    if not match:
        raise QuestionError(number, "a number answer is written '= VALUE' or '= VALUE ± TOL'")
    written = match.group("value").strip()
    percent = written.endswith("%")
    try:
        value = read_number(written)
    except ValueError as exc:
        raise QuestionError(number, f"the answer {exc}") from None
    tolerance = default_tolerance(value)
    if match.group("tolerance") is not None:
        slack = match.group("tolerance").strip()
        try:
            tolerance = read_number(slack)
        except ValueError as exc:
            raise QuestionError(number, f"the tolerance {exc}") from None
        if percent and not slack.endswith("%"):
            tolerance /= 100  # `= 50 % ± 2`: two percentage points
        if tolerance < 0:
            raise QuestionError(number, "the tolerance after '±' must be 0 or more")
    draft.number = (value, tolerance, percent)
    return "the number answer"


def _finish(draft: _Draft) -> Question:
    explanations = draft.explanations
    if draft.number is not None:
        value, tolerance, percent = draft.number
        return NumberQuestion(
            draft.prompt, draft.line, value, tolerance, explanations[0], percent, page=draft.page
        )
    if not draft.choices:
        raise QuestionError(
            draft.line, "this question has no answers: add '- [ ] ' choices or an '= VALUE' line"
        )
    count = len(draft.choices)
    if not MIN_CHOICES <= count <= MAX_CHOICES:
        raise QuestionError(
            draft.line,
            f"this question has {count} choice{'s' if count != 1 else ''}; "
            f"a multiple-choice question has {MIN_CHOICES} to {MAX_CHOICES}",
        )
    right = sum(marked for _, marked, _ in draft.choices)
    if right != 1:
        raise QuestionError(
            draft.line,
            f"this question marks {right} choices right with [x]; exactly one must be",
        )
    choices = tuple(
        Choice(text, marked, explanation, line)
        for (text, marked, line), explanation in zip(draft.choices, explanations, strict=True)
    )
    return ChoiceQuestion(draft.prompt, draft.line, choices, page=draft.page)


def split_questions(lines: list[str], body_start: int) -> tuple[int, int | None]:
    """(the line where the pages end, the `---questions---` line or None)."""
    for number, line in enumerate(lines[body_start - 1 :], start=body_start):
        if line.strip() == QUESTIONS_BREAK:
            return number - 1, number
    return len(lines), None
