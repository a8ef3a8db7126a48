"""The GPU beside a run, live: its memory used and how busy it is (what the run itself holds,
when the driver says), read through NVML every two seconds; where there is no GPU, one line
saying so, read once."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.widgets import Static

POLL_S = 2.0


class GpuLine(Static):
    DEFAULT_CSS = """
    GpuLine { height: auto; max-height: 2; color: $text-muted; }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.device = "cpu"
        self.run_id: str | None = None

    def on_mount(self) -> None:
        self.read()

    def follow(self, device: str, run_id: str | None) -> None:
        """Show the GPU `device` names (a run's, or the form's choice)."""
        if (device, run_id) != (self.device, self.run_id):
            self.device, self.run_id = device, run_id
            self.read()

    @work(thread=True, exclusive=True, group="gpu-line")
    def read(self) -> None:
        line, live = self.app.source.gpu_line(self.device, self.run_id)  # type: ignore[attr-defined]
        self.app.call_from_thread(self._show, line, live)

    def _show(self, line: str, live: bool) -> None:
        self.update(Text(line))  # a GPU's name, as the driver gives it
        if live and self.is_attached:
            self.set_timer(POLL_S, self.read)
