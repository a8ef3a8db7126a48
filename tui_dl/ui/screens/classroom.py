"""The instructor's class view: every seat and user, what each runs or last ran, live; a
leaderboard per experiment; the queue and the GPUs. `enter` opens a learner's run in the lab
(read-only for whoever does not own it: only its owner or the instructor may cancel it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Static

from tui_dl.engine.experiments import EXPERIMENTS
from tui_dl.ui.render.plain import TextTable
from tui_dl.ui.render.status_marks import status_mark
from tui_dl.ui.screens.app_screen import AppScreen
from tui_dl.ui.widgets.keys_footer import KeysFooter

if TYPE_CHECKING:
    from tui_dl.analysis.classroom.state import ClassState, Person
    from tui_dl.lessons.share.codes import Shared

REFRESH_S = 2.0


class ClassScreen(AppScreen):
    BINDINGS = [
        Binding("enter", "open", "Open run", show=True),
        Binding("left_square_bracket", "board(-1)", "Prev board", key_display="["),
        Binding("right_square_bracket", "board(1)", "Next board", key_display="]"),
        Binding("c", "cancel", "Cancel run"),
        Binding("b", "push", "Code to all"),
        Binding("f5", "refresh", "Refresh", show=False),  # it refreshes itself every few s
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    ClassScreen #class-people { height: 1fr; border: round $primary; }
    ClassScreen #class-lower { height: auto; max-height: 12; }
    ClassScreen #class-board { width: 1fr; height: auto; max-height: 12;
                               border: round $secondary; padding: 0 1; }
    ClassScreen #class-room { width: 1fr; height: auto; max-height: 12;
                              border: round $secondary; padding: 0 1; }
    ClassScreen #class-hint { height: auto; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.state: ClassState | None = None
        self.board = 0
        """Which experiment's leaderboard shows (an index into the state's boards)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical():
            yield TextTable(id="class-people", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="class-lower"):
                yield Static("", id="class-board")
                yield Static("", id="class-room")
            yield Static("", id="class-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        from tui_dl import paths

        self.title = "tui-dl — the class"
        self.sub_title = str(paths.workshop() or "this user's runs (no workshop folder)")
        table = self.query_one(DataTable)
        table.border_title = "The room"
        for column in ("who", "where", "experiment", "now", "result", "course", "runs"):
            table.add_column(column, key=column)
        self.query_one("#class-board", Static).border_title = "Leaderboard"
        self.query_one("#class-room", Static).border_title = "Queue and GPUs"
        self.action_refresh()
        self.set_interval(REFRESH_S, self.action_refresh)

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="class")
    def load(self) -> None:
        state = self.app.source.class_state()
        self.from_thread(self.show, state)

    # ----- showing it ----------------------------------------------------------------------
    def show(self, state: ClassState) -> None:
        from tui_dl.analysis.classroom.state import progress_words, result_words

        self.state = state
        table = self.query_one(DataTable)
        selected = self.selected_key()
        table.clear()
        for person in state.people:
            run = person.current
            if run is None:
                table.add_row(person.label, person.where, "—", "no run yet", "", "", "0",
                              key=person.key)  # fmt: skip
                continue
            mark, style = status_mark(run.status)
            mine, course = result_words(run)
            table.add_row(
                person.label,
                person.where,
                run.experiment,
                Text.assemble((mark + " ", style), progress_words(run)),
                mine,
                course,
                str(len(person.runs)),
                key=person.key,
            )
        keys = [p.key for p in state.people]
        if selected in keys:
            table.move_cursor(row=keys.index(selected))
        live = sum(1 for p in state.people if p.live)
        table.border_subtitle = f"{len(state.people)} here · {live} running"
        self.show_board()
        self.show_room(state)
        self.refresh_bindings()  # the footer follows the seats (cancel, open, the boards)
        self.query_one("#class-hint", Static).update(
            "Nobody has sat down or run anything yet. Seats appear as learners open the "
            "served link or run something over SSH."
            if not state.people
            else "enter opens the selected person's run · [ ] another experiment's board · "
            "b puts a share code on every seat"
        )

    def show_board(self) -> None:
        board = self.query_one("#class-board", Static)
        boards = list(self.state.leaderboards.items()) if self.state else []
        if not boards:
            board.update("No finished runs yet: the best of each will be listed here.")
            return
        self.board %= len(boards)
        name, entries = boards[self.board]
        title = EXPERIMENTS[name].title if name in EXPERIMENTS else name
        course = EXPERIMENTS[name].reference.text if name in EXPERIMENTS else ""
        lines = Text(f"{title}  ({self.board + 1} of {len(boards)})\n", style="bold")
        if course:
            lines.append(f"the course: {course}\n", style="dim")
        for place, entry in enumerate(entries[:8], 1):
            lines.append(f"{place:>2}. {entry.label[:20]:<20} {entry.text:>8}\n")
        board.update(lines)

    def show_room(self, state: ClassState) -> None:
        lines = []
        for device, queue in state.queue.devices.items():
            word = "CPU" if device == "cpu" else f"GPU {device[3:]}"
            waiting = f", {len(queue.waiting)} waiting" if queue.waiting else ""
            lines.append(f"{word}: {len(queue.held)} of {queue.slots} slots busy{waiting}")
        if not lines:
            lines.append("Queue: no run has asked for a slot yet")
        gpus = state.gpus
        lines += [gpus] if isinstance(gpus, str) else [g.line for g in gpus]
        self.query_one("#class-room", Static).update(Text("\n".join(lines)))

    # ----- keys ----------------------------------------------------------------------------
    def selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def selected(self) -> Person | None:
        key = self.selected_key()
        return self.state.person(key) if self.state and key else None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The footer offers what the selected seat has: its run to open, a live one to
        cancel; the code for every seat only to the instructor."""
        person = self.selected()
        if action == "open":
            return person is not None and person.current is not None
        if action == "cancel":
            return person is not None and person.live is not None
        if action == "push":
            from tui_dl.engine.workshop.folder import is_instructor
            from tui_dl.engine.workshop.seats import current_seat

            return current_seat() is None and is_instructor()
        if action == "board":
            return self.state is not None and len(self.state.leaderboards) > 1
        return True

    @on(DataTable.RowHighlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        person = self.selected()
        run = person.current if person else None
        if run is None:
            self.notify("No run to open for this seat yet.", severity="warning")
            return
        self.app.open_run(run.run_id)

    def action_board(self, step: int) -> None:
        self.board += step
        self.show_board()

    def action_cancel(self) -> None:
        person = self.selected()
        run = person.live if person else None
        if run is None:
            self.notify("Nothing of theirs is running.", severity="warning")
            return
        from tui_dl.engine.workshop.folder import cancel_refusal

        refusal = cancel_refusal(run.run_dir, run.spec)  # a seat: its own runs only
        if refusal:
            self.notify(refusal, title="Not cancelled", severity="warning", markup=False)
            return
        self.cancel(run.run_id)

    @work(thread=True, group="cancel")
    def cancel(self, run_id: str) -> None:
        try:
            self.app.source.cancel(run_id)
        except OSError as exc:  # another's run and not the instructor: says whose
            self.app.call_from_thread(
                self.app.notify, str(exc), title="Not cancelled", severity="warning"
            )
            return
        self.app.call_from_thread(self.app.notify, f"Cancelled {run_id}.")
        self.from_thread(self.action_refresh)

    def action_push(self) -> None:
        """b: put a share code on every seat (each seat's app offers it at once) — the
        instructor's alone, never a browser seat's."""
        from tui_dl.engine.workshop.folder import is_instructor
        from tui_dl.engine.workshop.seats import current_seat
        from tui_dl.ui.dialogs.share_code import OpenCode

        if current_seat() is not None or not is_instructor():
            self.notify(
                "Only the instructor puts a code on every seat (ctrl+s shows this screen's "
                "code, to pass on yourself).",
                title="Not from a learner's seat",
                severity="warning",
            )
            return
        self.app.push_screen(
            OpenCode("Put a code on every seat", go="put it on every seat"), self.pushed
        )

    def pushed(self, shared: Shared | None) -> None:
        if shared is None:
            return
        from tui_dl.engine.workshop.board import push_code
        from tui_dl.lessons.share.codes import describe, encode

        try:
            push_code(encode(shared))
        except OSError as exc:
            self.notify(f"Could not write the board: {exc}", severity="error")
            return
        self.notify(f"Every seat is offered {describe(shared)}.", title="Shared")

    def action_back(self) -> None:
        self.app.switch_to_home()
