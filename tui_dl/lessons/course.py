"""The course in order: its lessons, the Playground, the experiments, the project, the GAN
Lab — what the learner has done of each, and the next thing to do.

`COURSE` is the course's order (shared/COURSE.md, items 1–17): a lesson by its id, or a
target in the words a lesson's `try:` uses (`lab mnist-mlp`, `playground STATE`, `screen
ganlab`). A lesson's place is its file's `order:` (so an instructor's own lesson, absent from
`COURSE`, still takes its place), and a lesson whose file is not there is left out: the map
works with whatever lessons exist.

What was done is handed in, not looked up: the lessons as read, the learner's progress, the
experiments with a finished run (the caller asks its run store), the targets opened. So this
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
    Step(25, "lab tf-lowlevel"),
    Step(30, "lesson history"),
    Step(35, "lesson backprop"),
    Step(40, f"playground {PLAYGROUND_PRESET}", "The Playground: a circle, 3 neurons"),
    Step(50, "lesson activation-functions"),
    Step(60, "lesson optimizers"),
    Step(65, "lab mnist-mlp"),
    Step(70, "lesson overfitting"),
    Step(75, "lab mnist-mlp-dropout"),
    Step(80, "lesson tuning"),
    Step(85, "screen sweep", "Sweep: learning rates × batch sizes", kind="sweep"),
    Step(90, "lesson normalising"),
    Step(95, "lab votes-kfold"),
    Step(100, "lesson cnn"),
    Step(105, "lab mnist-cnn"),
    Step(110, "lesson rnn"),
    Step(115, "lab imdb-lstm"),
    Step(120, "lesson transfer"),
    Step(125, "lab transfer-digits"),
    Step(130, "lab transfer-imagenet", "The model zoo: where it looked, how sure it was"),
    Step(150, "lesson ethics"),
    Step(155, "lab mammogram", "The mammogram project", kind="project"),
    Step(160, "lesson vae"),
    Step(165, "lab fashion-vae"),
    Step(170, "lesson gan"),
    Step(175, "lab fashion-gan"),
    Step(180, "screen ganlab", "The GAN Lab: a 2-D GAN, live"),
)


@dataclass(frozen=True)
class MapStep:
    """One step as the learner's map shows it."""

    order: int
    kind: str
    """lesson, lab, project, playground, screen."""
    title: str
    target: Target
    done: bool
    detail: str
    """'5/5 pages · 4/5 right', 'a finished run', 'not run yet', 'opened'."""

    def as_dict(self) -> dict[str, object]:
        return {
            "order": self.order,
            "kind": self.kind,
            "title": self.title,
            "target": self.target.text,
            "done": self.done,
            "detail": self.detail,
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


def course_map(
    lessons: Iterable[Lesson],
    progress: dict[str, LessonProgress],
    finished: Iterable[str] = (),
    visited: Iterable[str] = (),
    course: tuple[Step, ...] = COURSE,
) -> CourseMap:
    """The map: `finished` names the experiments with a finished run, `visited` the targets
    (`Target.text`) opened that leave no run (the Playground, the sweep, the GAN Lab)."""
    by_id = {lesson.id: lesson for lesson in lessons}
    finished, visited = set(finished), set(visited)
    steps: list[MapStep] = []
    for step in course:
        target = step.parsed
        if target.kind == "lesson":
            lesson = by_id.pop(target.name, None)
            if lesson is not None:
                steps.append(_lesson_step(lesson, progress.get(lesson.id)))
        else:
            steps.append(_other_step(step, target, finished, visited))
    steps += [_lesson_step(lesson, progress.get(lesson.id)) for lesson in by_id.values()]
    return CourseMap(tuple(sorted(steps, key=lambda s: s.order)))


def _lesson_step(lesson: Lesson, progress: LessonProgress | None) -> MapStep:
    entry = progress or LessonProgress()
    pages, keys = len(lesson.pages), lesson.question_keys
    return MapStep(
        lesson.order,
        "lesson",
        lesson.title,
        Target("lesson", lesson.id),
        entry.done(pages, keys),
        entry.label(pages, keys),
    )


def _other_step(step: Step, target: Target, finished: set[str], visited: set[str]) -> MapStep:
    if target.kind == "lab":
        experiment = EXPERIMENTS[target.name]
        done = target.name in finished
        detail = "a finished run" if done else "not run yet"
        title = step.title or experiment.title
    else:
        done = target.text in visited
        detail = "opened" if done else "not opened yet"
        title = step.title or target.name
    return MapStep(step.order, step.kind or target.kind, title, target, done, detail)


def course_lines(course: CourseMap) -> list[str]:
    """The map as text (`tui-dl course`): a mark, the step, what was done; ▶ the next."""
    upcoming = course.next
    lines = []
    for index, step in enumerate(course.steps):
        mark = "✓" if step.done else ("▶" if index == upcoming else "·")
        lines.append(f"{mark} {index + 1:>2}. {step.title:<46} {step.kind:<10} {step.detail}")
    total = len(course.steps)
    if upcoming is None:
        lines.append(f"All {total} steps done.")
    else:
        lines.append(f"{course.done} of {total} done. Next: {course.steps[upcoming].title}.")
    return lines
