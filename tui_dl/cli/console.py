"""The consoles every command prints through: text is text.

What a command prints carries values from outside — its arguments, paths, a CSV, run folders,
seat names, an exception's message. Rich reads a `str` as markup (and `:name:` as an emoji):
`--learning-rate '[/]'` ended in a MarkupError and `pip install 'tui-dl[gpu]'` lost its
`[gpu]`. These consoles read neither, so a `str` prints as it is, in a table cell too; the
command line's own colours go in `Text` (or `style=`), never in a string.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from tui_dl.engine.store import RunInfo


def console(stderr: bool = False) -> Console:
    """A console that prints every `str` as typed: no markup, no emoji codes."""
    return Console(stderr=stderr, markup=False, emoji=False)


def said(label: str, style: str, message: object) -> Text:
    """`label: message` with the label in `style` and the message as plain text."""
    return Text.assemble((f"{label}:", style), " ", str(message))


def error(err: Console, message: object) -> None:
    """`error: …` in red, the message as text."""
    err.print(said("error", "red", message), highlight=False, soft_wrap=True)


def warning(err: Console, message: object) -> None:
    """`warning: …` in yellow, the message as text."""
    err.print(said("warning", "yellow", message), highlight=False, soft_wrap=True)


def run_named(name: str, err: Console) -> RunInfo | None:
    """The run `name` names (an id, a unique prefix, `latest`), believed; None once `err`
    has said why there is none or why it cannot be believed."""
    from tui_dl.engine.store import RunStore

    store = RunStore()
    try:
        info = store.info(store.resolve(name))
    except (LookupError, OSError, ValueError) as exc:
        error(err, str(exc.args[0] if exc.args else exc))
        return None
    if info.problem:
        error(err, f"run {info.run_id} is unreadable: {info.problem}")
        return None
    return info
