"""The course in order: its lessons, the Playground, the experiments, the GAN Lab, the
mammogram project last — one number per step, what the learner has done of each, and the
next thing to do.

`COURSE` is the course's order (shared/COURSE.md): a lesson by its id, or a target in the
words a lesson's `try:` uses (`lab mnist-mlp`, `playground STATE`, `screen ganlab`). A
lesson's place is its file's `order:` (so an instructor's own lesson, absent from `COURSE`,
still takes its place), and a lesson whose file is not there is left out: the map works with
whatever lessons exist.

`course_steps` numbers the steps, and it alone: home's lesson list, the command palette,
`tui-dl lessons`, `tui-dl course` and the map all show its number, so "step 6" is the same
step everywhere.

What was done is handed in, not looked up: the lessons as read, the learner's progress, the
experiments with a finished run (the caller asks its run store), the screens opened. So this
module needs neither the UI nor the engine's processes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tui_dl.engine.experiments import EXPERIMENTS
from tui_dl.lessons.content import Lesson
from tui_dl.lessons.progress import LessonProgress
from tui_dl.lessons.tries import COURSE_KINDS, Target, parse_target

PLAYGROUND_PRESET = "dataset=circle&networkShape=3"
"""The course's first hands-on: the circle, one hidden layer of 3 neurons (2 cannot)."""


@dataclass(frozen=True)
class Step:
    order: int
    target: str
    """`lesson ID`, or a try target (`lab mnist-mlp`, `playground STATE`, `screen NAME`)."""
    title: str = ""
    """What the map calls it ('' for a lesson: its file's title; for a lab: the experiment's)."""
    kind: str = ""
    """The map's word for it ('' : the target's kind; 'project' for the mammogram)."""

    @property
    def parsed(self) -> Target:
        return parse_target(self.target, COURSE_KINDS)


COURSE: tuple[Step, ...] = (
    Step(10, "lesson gradient-descent"),
    Step(20, "lesson softmax"),
    Step(30, "lesson history"),
    Step(40, f"playground {PLAYGROUND_PRESET}", "The Playground: a circle, 3 neurons"),
    Step(50, "lesson backprop"),
    Step(60, "lesson activation-functions"),
    Step(70, "lesson optimizers"),
    Step(80, "lesson overfitting"),
    Step(90, "lab tf-lowlevel"),
    Step(100, "lab mnist-mlp"),
    Step(110, "lab mnist-mlp-dropout"),
    Step(120, "lab votes-kfold"),
    Step(130, "lesson cnn"),
    Step(140, "lab mnist-cnn"),
    Step(150, "lesson rnn"),
    Step(160, "lab imdb-lstm"),
    Step(170, "lesson transfer"),
    Step(180, "lab transfer-digits"),
    Step(190, "lab transfer-imagenet", "The model zoo: where it looked, how sure it was"),
    Step(200, "lesson tuning"),
    Step(210, "screen sweep", "Sweep: learning rates × batch sizes", kind="sweep"),
    Step(220, "lesson normalising"),
    Step(230, "lesson ethics"),
    Step(240, "lesson vae"),
    Step(250, "lab fashion-vae"),
    Step(260, "lesson gan"),
    Step(270, "screen ganlab", "The GAN Lab: a 2-D GAN, live"),
    Step(280, "lab fashion-gan"),
    Step(290, "lab mammogram", "The mammogram project", kind="project"),
)

DONE_WHEN: dict[str, str] = {
    "lesson": "all pages read, all questions answered",
    "lab": "a finished run",
    "project": "a finished run",
    "playground": "opened",
    "sweep": "a finished sweep, or opened",
    "screen": "opened",
}
"""What "done" means for each kind of step: the map's legend says it, the map computes it.
A run or a sweep counts wherever it was started (the app, `tui-dl run`, `tui-dl sweep`); a
screen however it was opened."""


def screen_of(target: Target) -> str:
    """The screen (its registry name) whose opening does a step that leaves no run: the
    Playground, the sweep, the GAN Lab; '' for a lesson or a lab."""
    if target.kind == "playground":
        return "playground"
    if target.kind in ("screen", "sweep"):
        return target.name if target.kind == "screen" else "sweep"
    return ""


VISITED_SCREENS = frozenset(filter(None, (screen_of(step.parsed) for step in COURSE)))
"""The screens the app records as opened, whichever way they were opened."""


@dataclass(frozen=True)
class CourseStep:
    """One step of the course, numbered: what every surface calls "step N"."""

    number: int
    order: int
    kind: str
    """lesson, lab, project, playground, sweep, screen."""
    title: str
    target: Target
    lesson: Lesson | None = None


def course_steps(lessons: Iterable[Lesson], course: tuple[Step, ...] = COURSE) -> list[CourseStep]:
    """Every step in the course's order, numbered from 1: `COURSE` with the lessons that exist,
    each lesson at its file's `order:` (an instructor's own lesson too)."""
    by_id = {lesson.id: lesson for lesson in lessons}
    unnumbered: list[tuple[int, str, str, Target, Lesson | None]] = []
    for step in course:
        target = step.parsed
        if target.kind == "lesson":
            lesson = by_id.pop(target.name, None)
            if lesson is not None:
                unnumbered.append(_lesson(lesson))
        else:
            title = step.title or (
                EXPERIMENTS[target.name].title if target.kind == "lab" else target.name
            )
            unnumbered.append((step.order, step.kind or target.kind, title, target, None))
    unnumbered += [_lesson(lesson) for lesson in by_id.values()]
    unnumbered.sort(key=lambda step: step[0])  # stable: the course's order among equals
    return [CourseStep(number, *step) for number, step in enumerate(unnumbered, start=1)]


def _lesson(lesson: Lesson) -> tuple[int, str, str, Target, Lesson | None]:
    return (lesson.order, "lesson", lesson.title, Target("lesson", lesson.id), lesson)


def lesson_numbers(lessons: Iterable[Lesson]) -> dict[str, int]:
    """Each lesson's step number, by its id (the number home and `tui-dl lessons` show)."""
    return {
        step.target.name: step.number for step in course_steps(lessons) if step.lesson is not None
    }


@dataclass(frozen=True)
class MapStep:
    """One step as the learner's map shows it."""

    number: int
    """The step's number, the same on every surface (`course_steps`)."""
    order: int
    kind: str
    """lesson, lab, project, playground, sweep, screen."""
    title: str
    target: Target
    done: bool
    detail: str
    """'5/5 pages · 4/5 right', 'a finished run', 'not run yet', 'opened'."""

    def as_dict(self) -> dict[str, object]:
        return {
            "number": self.number,
            "order": self.order,
            "kind": self.kind,
            "title": self.title,
            "target": self.target.text,
            "done": self.done,
            "detail": self.detail,
            "done_when": DONE_WHEN.get(self.kind, ""),
        }


@dataclass(frozen=True)
class CourseMap:
    steps: tuple[MapStep, ...]

    @property
    def next(self) -> int | None:
        """The index of the first step not done (None: all done)."""
        return next((i for i, step in enumerate(self.steps) if not step.done), None)

    @property
    def done(self) -> int:
        return sum(step.done for step in self.steps)

    def legend(self) -> list[tuple[str, str]]:
        """(the kinds, what done means for them) for the kinds on this map, in map order:
        [('lesson', 'every page read…'), ('lab, project', 'a finished run…'), …]."""
        rules: dict[str, list[str]] = {}
        for step in self.steps:
            kinds = rules.setdefault(DONE_WHEN.get(step.kind, "opened"), [])
            if step.kind not in kinds:
                kinds.append(step.kind)
        return [(", ".join(kinds), rule) for rule, kinds in rules.items()]


def course_map(
    lessons: Iterable[Lesson],
    progress: dict[str, LessonProgress],
    finished: Iterable[str] = (),
    visited: Iterable[str] = (),
    course: tuple[Step, ...] = COURSE,
    swept: bool = False,
) -> CourseMap:
    """The map: `finished` names the experiments with a finished run, `visited` the screens
    opened (`VISITED_SCREENS`; a target's text, as older versions recorded it, counts too),
    `swept` says the latest sweep ran to its end (started from the app or `tui-dl sweep`)."""
    finished, visited = set(finished), set(visited)
    steps: list[MapStep] = []
    for step in course_steps(lessons, course):
        if step.lesson is not None:
            done, detail = _lesson_done(step.lesson, progress.get(step.lesson.id))
        elif step.target.kind == "lab":
            done = step.target.name in finished
            detail = "a finished run" if done else "not run yet"
        elif step.kind == "sweep" and swept:
            done, detail = True, "a finished sweep"
        else:
            done = screen_of(step.target) in visited or step.target.text in visited
            detail = "opened" if done else "not opened yet"
        steps.append(
            MapStep(step.number, step.order, step.kind, step.title, step.target, done, detail)
        )
    return CourseMap(tuple(steps))


def _lesson_done(lesson: Lesson, progress: LessonProgress | None) -> tuple[bool, str]:
    entry = progress or LessonProgress()
    pages, keys = len(lesson.pages), lesson.question_keys
    return entry.done(pages, keys), entry.label(pages, keys)


def course_lines(course: CourseMap) -> list[str]:
    """The map as text (`tui-dl course`): a mark, the step, what was done; ▶ the next; what
    done means for each kind of step."""
    upcoming = course.next
    titles = max((len(step.title) for step in course.steps), default=0)
    kinds = max((len(step.kind) for step in course.steps), default=0)
    lines = []
    for index, step in enumerate(course.steps):
        mark = "✓" if step.done else ("▶" if index == upcoming else "·")
        lines.append(
            f"{mark} {step.number:>2}. {step.title:<{titles}}  {step.kind:<{kinds}}  {step.detail}"
        )
    total = len(course.steps)
    if upcoming is None:
        lines.append(f"All {total} steps done.")
    else:
        step = course.steps[upcoming]
        lines.append(f"{course.done} of {total} done. Next: {step.number}. {step.title}.")
    lines.append("✓ done means:")
    lines += [f"  {kinds}: {rule}" for kinds, rule in course.legend()]
    lines.append("  (a run or a sweep counts from the app or the CLI, a screen however opened)")
    return lines
