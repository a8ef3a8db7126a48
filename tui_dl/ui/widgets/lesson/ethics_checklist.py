"""The ethics checklist of one project: tick what you have considered, note what you found.

Every change is saved at once (the learner's notes are their work). When the saved file
cannot be read, the widget shows why and changes nothing, so the file is never overwritten.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tui_dl.lessons.ethics import (
    ITEMS,
    Checklist,
    EthicsError,
    checklist_markdown,
    checklist_path,
    load_checklist,
    saved_projects,
    update_entry,
)
from tui_dl.lessons.progress import write_atomic
from tui_dl.ui.serve.seat_files import OutsideSeatFolder, export_folder
from tui_dl.ui.widgets.text_field import TextField

KEYS = "space tick · enter note · o project · e export"


class EthicsChecklist(Vertical):
    BINDINGS = [
        Binding("space", "tick", "Tick"),
        Binding("o", "other_project", "Project"),
        Binding("e", "export", "Export"),
        Binding("d", "look_at_data", "Look at data"),
        Binding("escape", "leave_note", "Back to list", show=False),
    ]

    def __init__(self, project: str = "general", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.project = project
        self.checklist = Checklist(project)
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="ethics-status")
        yield OptionList(id="ethics-items")
        yield Static(id="ethics-explanation")
        yield TextField(
            placeholder="a note on this item — enter saves",
            id="ethics-note",
            compact=True,
            select_on_focus=False,
        )

    def on_mount(self) -> None:
        self.load(self.project)

    @property
    def items(self) -> OptionList:
        return self.query_one("#ethics-items", OptionList)

    @property
    def note(self) -> Input:
        return self.query_one("#ethics-note", Input)

    def load(self, project: str) -> None:
        self.project = project
        try:
            self.checklist, self.error = load_checklist(project), None
        except EthicsError as exc:
            self.checklist, self.error = Checklist(project), str(exc)
            self.notify(self.error, title="Checklist not loaded", severity="error", timeout=10)
        highlighted = self.items.highlighted or 0
        self.items.clear_options()
        self.items.add_options([Option(self._label(item), id=item.id) for item in ITEMS])
        self.items.highlighted = highlighted
        self.note.disabled = self.error is not None
        self._show_item()

    def _label(self, item) -> Text:
        entry = self.checklist.entry(item.id)
        text = Text("☑ " if entry.checked else "☐ ", "bold green" if entry.checked else "")
        text.append(item.title)
        if entry.note.strip():
            text.append("  ✎", "dim")
        return text

    @property
    def current(self):
        return ITEMS[self.items.highlighted or 0]

    def _show_item(self) -> None:
        status = Text()
        status.append(self.project, "bold")
        status.append(f" · {self.checklist.done}/{len(ITEMS)} ticked · ")
        if self.error:
            status.append(self.error, "bold red")
        else:
            status.append(KEYS, "dim")
        self.query_one("#ethics-status", Static).update(status)
        self.query_one("#ethics-explanation", Static).update(self.current.explanation)
        self.note.value = self.checklist.entry(self.current.id).note
        self.refresh_bindings()  # `d` is offered on the questions about data only

    @on(OptionList.OptionHighlighted, "#ethics-items")
    def _highlighted(self) -> None:
        self._show_item()

    @on(OptionList.OptionSelected, "#ethics-items")
    def _selected(self) -> None:
        if not self.error:
            self.note.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_note":
            return self.note.has_focus
        if action == "tick":
            return not self.note.has_focus
        if action == "look_at_data":
            return self.current.about_data and not self.note.has_focus
        return True

    def action_look_at_data(self) -> None:
        """A question the pictures answer: the data view, on a folder the learner picks."""
        from tui_dl.ui.navigation import NavigatingApp

        app = self.app
        if isinstance(app, NavigatingApp):
            app.open_folder("my-images-data", pick=True)

    def action_tick(self) -> None:
        if self.error:
            self.notify(self.error, severity="error")
            return
        entry = self.checklist.entry(self.current.id)
        entry.checked = not entry.checked
        self._save(self.current.id)

    def action_leave_note(self) -> None:
        self._save_note()
        self.items.focus()

    @on(Input.Submitted, "#ethics-note")
    def _note_submitted(self) -> None:
        self.action_leave_note()

    def _save_note(self) -> None:
        entry = self.checklist.entry(self.current.id)
        if not self.error and entry.note != self.note.value:
            entry.note = self.note.value
            self._save(self.current.id)

    def _save(self, item_id: str) -> None:
        """This item saved; the others as the file has them (another app of the learner's
        may have changed one meanwhile)."""
        try:
            self.checklist = update_entry(self.project, item_id, self.checklist.entry(item_id))
        except (EthicsError, OSError) as exc:
            self.error = str(exc)
        for index, item in enumerate(ITEMS):
            self.items.replace_option_prompt_at_index(index, self._label(item))
        self._show_item()

    def action_other_project(self) -> None:
        self._save_note()
        projects = saved_projects()
        position = projects.index(self.project) if self.project in projects else -1
        self.load(projects[(position + 1) % len(projects)])

    def action_export(self) -> None:
        """Markdown beside the saved checklist; `tui-dl ethics export` writes the same text."""
        self._save_note()
        path = checklist_path(self.project).with_suffix(".md")
        try:  # at a browser seat, into the seat's own folder
            path = export_folder(path.parent) / path.name
            write_atomic(path, checklist_markdown(self.checklist))
        except (OSError, OutsideSeatFolder) as exc:
            self.notify(str(exc), title="Export failed", severity="error")
            return
        self.notify(str(path), title="Checklist exported")
