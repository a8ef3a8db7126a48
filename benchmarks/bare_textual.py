"""The anchor for first_frame.py: the least a Textual app paints — a header, the text the
benchmark waits for, a footer with one key — so that the app's own share of its first frame
can be told from Textual's and the machine's on the same day."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class Bare(App[None]):
    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Experiments")
        yield Footer()


if __name__ == "__main__":
    Bare().run()
