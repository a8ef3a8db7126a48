"""The ethics checklist: the course's questions to answer before a model meets people.

Plain data and files, no UI: the lesson's checklist widget, the mammogram project and
`tui-dl ethics export` all use this module. A learner's answers are their work, so a file
that cannot be read is never overwritten: loading it raises an `EthicsError` naming the file,
and so does saving over it, until the learner fixes or removes it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tui_dl import paths
from tui_dl.paths import write_atomic

PROJECT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,63}$")
OFFERED_PROJECTS = ("general", "mammogram")
"""Checklists offered by name; any other valid project name works too."""
FORMAT = 1


class EthicsError(ValueError):
    """A bad project name or a checklist file that cannot be used; the message says which."""


@dataclass(frozen=True)
class Item:
    id: str
    title: str
    explanation: str
    about_data: bool = False
    """A question that looking at the pictures answers (balance, objects photographed
    together): the checklist offers to open the data view of a folder."""


ITEMS: tuple[Item, ...] = (
    Item(
        "false-positives",
        "False positives: what does a false alarm cost?",
        "A false positive says yes when the answer is no. In a mammogram screen that can mean "
        "a frightened patient and a biopsy or surgery nobody needed; in a car, braking hard "
        "for a shadow. Say who pays for each false alarm.",
    ),
    Item(
        "false-negatives",
        "False negatives: what does a miss cost?",
        "A false negative says no when the answer is yes: a cancer sent home as benign, a "
        "stopped car the autopilot does not see. Decide which kind of error is worse here and "
        "tune the threshold for that, not for accuracy alone.",
    ),
    Item(
        "rare-failures",
        "Even 99.9 % fails one use in a thousand",
        "Multiply the error rate by how often the model will be used. Who notices the "
        "failures, and what happens to the people behind them?",
    ),
    Item(
        "label-bias",
        "Hidden bias in human-labelled data",
        "A model trained on past human decisions (who was hired, who got a loan, which scan "
        "was called malignant) learns the prejudices in those decisions too, and repeats them "
        "with a look of objectivity.",
    ),
    Item(
        "protected-attributes",
        "Protected attributes are not features",
        "Race, sex, age, religion and similar attributes should not be inputs to a decision "
        "about a person. List the features and check each one.",
    ),
    Item(
        "proxy-features",
        "Proxies leak what you removed",
        "Dropping a protected attribute is not enough when another feature stands in for it: "
        "years of experience tracks age, a postcode can track ethnicity. Look for features "
        "that let the model rebuild what you left out.",
    ),
    Item(
        "better-than-human",
        "Is it really better than a person?",
        "Compare it with the people who do the job today, on the same cases. If it is not "
        "clearly better, or not better for everyone, offer it as an aid to the expert (a "
        "second opinion for the radiologist), not as a replacement.",
    ),
    Item(
        "unintended-uses",
        "Unintended and malicious uses",
        "Ask what else the model could be used for: a simulator can become a targeting tool, "
        "a recommender a tool for political manipulation. You are allowed to say no.",
    ),
    Item(
        "spurious-cues",
        "Spurious cues in the data",
        "A model may learn the background instead of the subject: wolves recognised by the "
        "snow around them, a laptop that makes it answer 'mouse' because the two are always "
        "photographed together. Look at where it looks, and balance the data.",
        about_data=True,
    ),
    Item(
        "confidence",
        "A confident answer is not a correct one",
        "The model must pick one of the classes it knows, however strange the input, and may "
        "do so at 99 %. A low score does not prove the model bad either. Sanity-check its "
        "answers on inputs it was never meant to see.",
    ),
    Item(
        "diverse-review",
        "Review the predictions, per group, with a diverse team",
        "Check error rates separately for the groups the model affects; tweaking the images "
        "(contrast, greyscale) does not remove bias. People with different backgrounds spot "
        "different problems.",
    ),
)
ITEM_IDS = tuple(item.id for item in ITEMS)


@dataclass
class Entry:
    checked: bool = False
    note: str = ""


@dataclass
class Checklist:
    project: str
    entries: dict[str, Entry] = field(default_factory=dict)
    """By item id; ids no longer in ITEMS are kept so nothing a learner wrote is lost."""

    def entry(self, item_id: str) -> Entry:
        return self.entries.setdefault(item_id, Entry())

    @property
    def done(self) -> int:
        return sum(1 for item in ITEMS if self.entry(item.id).checked)


def validate_project(project: str) -> str:
    if not PROJECT_NAME.match(project or ""):
        raise EthicsError(
            f"project name {project!r}: use letters, digits and '-' (e.g. general, mammogram)"
        )
    return project


def checklist_path(project: str) -> Path:
    return paths.home() / "ethics" / f"{validate_project(project)}.json"


def load_checklist(project: str) -> Checklist:
    """The saved checklist, or an empty one for a project never saved."""
    path = checklist_path(project)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Checklist(project)
    except (OSError, UnicodeDecodeError) as exc:
        raise EthicsError(f"{path}: cannot be read ({exc})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise EthicsError(
            f"{path}:{exc.lineno}: not valid JSON ({exc.msg}, column {exc.colno}); fix it or "
            "move it away — tui-dl will not overwrite it"
        ) from None
    return Checklist(project, _entries(path, raw))


def _entries(path: Path, raw: object) -> dict[str, Entry]:
    items = raw.get("items") if isinstance(raw, dict) else None
    if not isinstance(items, dict):
        raise EthicsError(f"{path}: expected an object with an 'items' object inside")
    entries = {}
    for item_id, value in items.items():
        if not isinstance(value, dict):
            raise EthicsError(f"{path}: item {item_id!r} should be an object")
        checked, note = value.get("checked", False), value.get("note", "")
        if not isinstance(checked, bool) or not isinstance(note, str):
            raise EthicsError(
                f"{path}: item {item_id!r} needs 'checked' true/false and 'note' text"
            )
        entries[str(item_id)] = Entry(checked, note)
    return entries


def save_checklist(checklist: Checklist) -> Path:
    """Write atomically; refuse to replace a file that does not load (it may be hand work)."""
    path = checklist_path(checklist.project)
    with paths.locked(path):
        if path.exists():
            load_checklist(checklist.project)  # raises EthicsError for a file we cannot read
        _write(path, checklist)
    return path


def update_entry(project: str, item_id: str, entry: Entry) -> Checklist:
    """Keep one item's tick and note, read-modify-write under a lock: what another app of the
    learner's saved meanwhile stays. Returns the checklist as saved."""
    path = checklist_path(project)
    with paths.locked(path):
        checklist = load_checklist(project)  # EthicsError for a file we cannot read
        checklist.entries[item_id] = Entry(entry.checked, entry.note)
        _write(path, checklist)
    return checklist


def _write(path: Path, checklist: Checklist) -> None:
    data = {
        "format": FORMAT,
        "project": checklist.project,
        "saved": datetime.now().isoformat(timespec="seconds"),
        "items": {
            key: {"checked": entry.checked, "note": entry.note}
            for key, entry in checklist.entries.items()
            if entry.checked or entry.note
        },
    }
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def saved_projects() -> list[str]:
    """Projects with a saved checklist, plus the ones always offered."""
    folder = paths.home() / "ethics"
    found = {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()
    return list(OFFERED_PROJECTS) + sorted(found - set(OFFERED_PROJECTS))


def checklist_markdown(checklist: Checklist) -> str:
    """A Markdown report: a task list of every item, its explanation and the learner's note."""
    lines = [
        f"# Ethics checklist — {checklist.project}",
        "",
        f"{checklist.done} of {len(ITEMS)} questions answered.",
        "",
    ]
    for item in ITEMS:
        entry = checklist.entry(item.id)
        lines.append(f"- [{'x' if entry.checked else ' '}] **{item.title}**")
        lines.append(f"  {item.explanation}")
        if entry.note.strip():
            lines.extend(f"  > {line}" for line in entry.note.strip().splitlines())
        lines.append("")
    extra = {k: e for k, e in checklist.entries.items() if k not in ITEM_IDS and e.note}
    if extra:
        lines.append("## Notes on items no longer in the checklist")
        lines.append("")
        lines.extend(f"- {key}: {entry.note}" for key, entry in extra.items())
        lines.append("")
    return "\n".join(lines)
