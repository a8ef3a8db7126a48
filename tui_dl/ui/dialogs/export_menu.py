"""`x` on a finished run: write it out as a Keras script, its model.keras, a TFLite file or a
notebook (what its experiment offers, `export.offered`), into the user's exports folder; the
work in a worker thread (the TFLite file in a job's child process), its phases shown, then
where the file went."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tui_dl.engine.events import TERMINAL_EVENTS
from tui_dl.engine.export import EXPORTS

if TYPE_CHECKING:
    from textual import getters

    from tui_dl.ui.app import TuiDlApp

KINDS = tuple(EXPORTS)
JOB_TIMEOUT_S = 1800


class ExportMenu(ModalScreen[None]):
    if TYPE_CHECKING:  # Textual's own typed getter; at run time the app is the same object
        app = getters.app(TuiDlApp)

    DEFAULT_CSS = """
    ExportMenu { align: center middle; }
    ExportMenu > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    ExportMenu OptionList, ExportMenu OptionList:focus { height: auto; border: none; }
    ExportMenu Static { height: auto; color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape,x", "dismiss(None)", "Close"),
        *(Binding(str(i), f"pick({i - 1})", show=False) for i in range(1, len(KINDS) + 1)),
    ]

    def __init__(self, run_id: str, folder: Path, kinds: tuple[str, ...] = KINDS) -> None:
        super().__init__()
        self.run_id, self.folder, self.kinds = run_id, folder, kinds
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = f"Export {self.run_id}"
            yield OptionList(
                *(
                    Option(Text.assemble((f"{i + 1}  ", "bold"), EXPORTS[kind][0]))
                    for i, kind in enumerate(self.kinds)
                ),
                id="export-options",
            )
            yield Static(
                Text(f"enter or 1–{len(self.kinds)} writes it into {self.folder} · escape: close"),
                id="export-status",
            )

    def say(self, text: str) -> None:
        self.query_one("#export-status", Static).update(Text(text))

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.kinds) and not self.busy:
            self.busy = True
            self.say(f"writing {EXPORTS[self.kinds[index]][0]}…")
            self.write(self.kinds[index])

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.action_pick(event.option_index)

    @work(thread=True, exclusive=True, group="export")
    def write(self, kind: str) -> None:
        from tui_dl.engine.export import (
            copy_model,
            default_name,
            destination,
            exportable,
            write_script,
        )

        source = self.app.source
        try:
            info = source.info(self.run_id)
            exportable(info, kind)
            # The app's own folder, the run's own name: a second export replaces the first.
            target = destination(self.folder, default_name(info, kind), force=True)
            if kind in ("script", "notebook"):
                size, checked = write_script(info, target, kind == "notebook"), ""
            elif kind == "keras":
                size, checked = copy_model(info, target), ""
            else:
                size, checked = self.converted(target)
        except Exception as exc:  # noqa: BLE001 — a refusal, a full disk, a failed job: said
            self.app.call_from_thread(self.done, f"Not exported: {exc}", None)
            return
        said = f"Written to {target} ({size:,} bytes).{checked}"
        self.app.call_from_thread(self.done, said, str(target))

    def converted(self, target: Path) -> tuple[int, str]:
        """The TFLite job started and followed (in this worker's thread)."""
        source = self.app.source
        reader = source.job_reader(source.start_job(self.run_id, "tflite", {"path": str(target)}))
        deadline = time.monotonic() + JOB_TIMEOUT_S
        while time.monotonic() < deadline:
            for event in reader.read_new():
                if event.get("event") == "phase":
                    self.app.call_from_thread(self.say, f"… {event.get('phase', '')}")
                elif event.get("event") in TERMINAL_EVENTS:
                    if event["event"] != "finished":
                        raise RuntimeError(event.get("message") or "the TFLite job failed")
                    return int(event.get("bytes", 0)), (
                        f" Checked on {event.get('compared', '')}: at most "
                        f"{float(event.get('max_difference', 0)):.2g} from the Keras model."
                    )
            time.sleep(0.2)
        raise RuntimeError("the TFLite job took too long")

    def done(self, said: str, path: str | None) -> None:
        self.busy = False
        self.say(said + " · escape: close")
        if path is not None:
            self.app.notify(path, title="Exported", markup=False)
