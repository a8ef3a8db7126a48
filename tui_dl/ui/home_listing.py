"""What home's two lists show, read by a helper process while the app imports Textual.

Home lists each lesson with how far the learner got and each experiment with the course's
figure. Working that out needs the lessons' and the catalogue's modules (~20 ms of imports on a
2-core machine, most of it Python building their dataclasses) and every lesson file parsed
(~4 ms). In the app's own process that came before its first frame, on one core, while the
other was idle. So a plain start (`tui-dl`: `tui_dl.cli.app`) first starts
`python -P -m tui_dl.ui.home_listing`, which works it out and writes it as JSON (~60 ms) while the
app imports Textual (~100 ms), and home takes the answer when it mounts.

Home works the listing out itself (`compute`, the same function) whenever there is no answer to
take: where the app is built without the command line (the tests), on every later refresh, and
when the helper failed, wrote what does not check out, or had not answered within `WAIT_S` (it
is ended then). With fewer than two cores to run on, the helper would only compete with the app
for one: none is started. Its answer is checked like any file (`typed_problem`) before home
shows it, and shown as text.

Only the standard library is imported here before `compute` runs: the app imports this module
before its first frame.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from tui_dl.engine.experiments import Experiment

HELPER = "tui_dl.ui.home_listing"
"""The helper's module: `python -P -m` it, and it writes the listing to its stdout."""
WAIT_S = 0.5
"""How long home waits, when it mounts, for a helper that has not answered yet (it answers in
~60 ms, well before the app gets there; a slower one is ended and home reads for itself)."""
LIMIT = 1024 * 1024
"""More than a listing of the course can be (~5 KB): a longer answer is not parsed."""


class LessonRow(TypedDict):
    id: str
    number: int
    """Its step on the course map (the lessons go 1, 2, 3, 5…: step 4 is the Playground)."""
    title: str
    summary: str
    done: bool
    """Every page read and every question answered."""
    label: str
    """How far the learner got, on a wide terminal: '2/5 pages · 1/5 right'."""
    short: str
    """The same on a narrow one: '2/5', with '· 1/5 right' once a question is answered."""


class ExperimentRow(TypedDict):
    id: str
    title: str
    summary: str
    course: str
    """'The course: 98 % test accuracy.'"""


class Listing(TypedDict):
    lessons: list[LessonRow]
    problems: list[str]
    """Lesson files that could not be read, each said as it is."""
    trouble: str | None
    """A progress file that could not be read (it was set aside), or None."""
    experiments: list[ExperimentRow]


def compute() -> Listing:
    """The listing, worked out in this process."""
    from tui_dl.engine.experiments import EXPERIMENTS
    from tui_dl.lessons import LessonProgress, load_lessons, load_progress
    from tui_dl.lessons.course import lesson_numbers

    lessons, problems = load_lessons()
    progress, trouble = load_progress()
    numbers = lesson_numbers(lessons)
    rows: list[LessonRow] = []
    for lesson in lessons:
        entry = progress.get(lesson.id) or LessonProgress()
        pages, keys = len(lesson.pages), lesson.question_keys
        short = f"{entry.pages_read(pages)}/{pages}"
        if entry.answered(keys):
            short += f" · {entry.right(keys)}/{len(keys)} right"
        rows.append(
            LessonRow(
                id=lesson.id,
                number=numbers[lesson.id],
                title=lesson.title,
                summary=lesson.summary,
                done=entry.done(pages, keys),
                label=entry.label(pages, keys),
                short=short,
            )
        )
    experiments = [
        ExperimentRow(id=e.name, title=e.title, summary=e.summary, course=_course(e))
        for e in EXPERIMENTS.values()
    ]
    return Listing(lessons=rows, problems=problems, trouble=trouble, experiments=experiments)


def _course(experiment: Experiment) -> str:
    from tui_dl.engine.experiments import metric

    ref = experiment.reference
    if ref.value is None:
        return "The course: no figure of its own."
    shown = metric(ref.metric)
    return f"The course: {shown.format(ref.value, 0)} {shown.short}."


# ----- the helper -------------------------------------------------------------------------------
_helper: subprocess.Popen[bytes] | None = None


def start() -> None:
    """Start the helper, if this process may run on two cores and none was started."""
    global _helper
    if _helper is not None or _cores() < 2:
        return
    try:
        _helper = subprocess.Popen(
            # -P: `-m` would put the working folder first on the module path, and a
            # `tui_dl/` someone left where the learner starts the app would run as them.
            [sys.executable, "-P", "-m", HELPER],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
    except OSError:  # no process to be had: home reads for itself
        _helper = None


def _cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def take(wait_s: float = WAIT_S) -> Listing | None:
    """The helper's listing, once; None when there is none to take or it does not check out
    (home then works it out itself). Waits up to `wait_s` for a helper still working."""
    global _helper
    helper, _helper = _helper, None
    if helper is None:
        return None
    try:
        out, _ = helper.communicate(timeout=wait_s)
    except subprocess.TimeoutExpired:
        helper.kill()
        helper.communicate()
        return None
    if helper.returncode != 0 or len(out) > LIMIT:
        return None
    return checked(out)


def checked(out: bytes) -> Listing | None:
    """The listing in `out`, or None when it is not one."""
    from tui_dl.engine.trust import loads, typed_problem

    try:
        listing = loads(out)
    except ValueError:
        return None
    if typed_problem(listing, Listing) is not None:
        return None
    return listing


def main() -> int:
    sys.stdout.buffer.write(json.dumps(compute(), ensure_ascii=False).encode("utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
