"""The ethics checklist: saved per project, exported, and careful with files it cannot read."""

from __future__ import annotations

import json

import pytest

from tui_dl import cli
from tui_dl.lessons.ethics import (
    ITEM_IDS,
    ITEMS,
    Checklist,
    EthicsError,
    checklist_markdown,
    checklist_path,
    load_checklist,
    save_checklist,
    saved_projects,
)
from tui_dl.paths import home


def test_items_cover_the_course_concerns_with_unique_ids():
    assert len(set(ITEM_IDS)) == len(ITEMS) >= 10
    text = " ".join(f"{i.title} {i.explanation}" for i in ITEMS).lower()
    for words in (
        "false positive",
        "false negative",
        "surgery",
        "bias",
        "protected",
        "experience",
        "aid",
        "say no",
        "snow",
        "mouse",
        "confident",
    ):
        assert words in text, words


def test_an_unknown_project_starts_empty():
    checklist = load_checklist("mammogram")
    assert checklist.project == "mammogram"
    assert checklist.done == 0
    assert not checklist_path("mammogram").exists()


def test_save_and_load_round_trip_per_project():
    checklist = load_checklist("mammogram")
    checklist.entry("false-negatives").checked = True
    checklist.entry("false-negatives").note = "a missed cancer costs a life"
    path = save_checklist(checklist)
    assert path == home() / "ethics" / "mammogram.json"
    again = load_checklist("mammogram")
    assert again.entry("false-negatives").checked
    assert again.entry("false-negatives").note == "a missed cancer costs a life"
    assert again.done == 1
    assert load_checklist("general").done == 0
    assert saved_projects() == ["general", "mammogram"]
    assert not list(path.parent.glob("*.tmp"))  # the atomic write left nothing behind


@pytest.mark.parametrize("name", ["", "../etc", "a b", "x/y", "-lead", "ü"])
def test_project_names_are_validated(name):
    with pytest.raises(EthicsError, match="project name"):
        load_checklist(name)


def test_markdown_export_lists_every_item_with_notes():
    checklist = Checklist("general")
    checklist.entry("proxy-features").checked = True
    checklist.entry("proxy-features").note = "years worked ~ age\nremoved it"
    checklist.entries["retired-item"] = type(checklist.entry("x"))(False, "old thought")
    text = checklist_markdown(checklist)
    assert text.startswith("# Ethics checklist — general")
    assert "1 of 11 questions answered" in text
    assert "- [x] **Proxies leak what you removed**" in text
    assert "  > years worked ~ age\n  > removed it" in text
    assert text.count("- [ ] ") == len(ITEMS) - 1
    assert "retired-item: old thought" in text


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"items": {"confidence": {"checked": tru', "not valid JSON"),
        ("[1, 2]", "expected an object"),
        ('{"items": {"confidence": "yes"}}', "should be an object"),
        ('{"items": {"confidence": {"checked": "yes"}}}', "needs 'checked'"),
    ],
)
def test_a_corrupt_file_is_named_and_never_overwritten(content, words):
    path = checklist_path("general")
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EthicsError) as caught:
        load_checklist("general")
    assert str(path) in str(caught.value) and words in str(caught.value)
    with pytest.raises(EthicsError):
        save_checklist(Checklist("general"))
    assert path.read_text(encoding="utf-8") == content


def test_a_corrupt_file_names_its_line():
    path = checklist_path("general")
    path.parent.mkdir(parents=True)
    path.write_text('{\n  "items": {\n    oops\n  }\n}\n', encoding="utf-8")
    with pytest.raises(EthicsError, match=rf"{path}:3: not valid JSON"):
        load_checklist("general")


def test_hand_edits_that_keep_the_format_are_read():
    path = checklist_path("general")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"items": {"confidence": {"checked": True}}}), encoding="utf-8")
    assert load_checklist("general").entry("confidence").checked


def test_cli_exports_markdown_to_stdout_and_to_a_file(tmp_path, capsys):
    checklist = Checklist("mammogram")
    checklist.entry("false-positives").checked = True
    save_checklist(checklist)
    assert cli.main(["ethics", "export", "mammogram"]) == 0
    out = capsys.readouterr().out
    assert out == checklist_markdown(load_checklist("mammogram"))
    target = tmp_path / "report.md"
    assert cli.main(["ethics", "export", "mammogram", "--out", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == out


def test_cli_export_names_a_corrupt_file(capsys):
    path = checklist_path("general")
    path.parent.mkdir(parents=True)
    path.write_text("{", encoding="utf-8")
    assert cli.main(["ethics", "export", "general"]) == 1
    assert str(path) in capsys.readouterr().err
    assert cli.main(["ethics", "export", "../x"]) == 1
