"""Small wording helpers shared by the CLI and the screens."""

from __future__ import annotations

import time


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f} %"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def ago(timestamp: float, now: float | None = None) -> str:
    delta = (now or time.time()) - timestamp
    if delta < 60:
        return "just now"
    if delta < 3600:
        return f"{int(delta // 60)} min ago"
    if delta < 86400:
        return f"{int(delta // 3600)} h ago"
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(timestamp))


def sentence(text: str) -> str:
    """First letter up, the rest as written ("starting TensorFlow" → "Starting TensorFlow")."""
    return text[:1].upper() + text[1:]


def bar(value: float, width: int = 10) -> str:
    """A probability as a bar of eighth blocks: 0.5 over 10 columns → '█████'."""
    eighths = int(round(max(0.0, min(1.0, value)) * width * 8))
    full, part = divmod(eighths, 8)
    return ("█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")).ljust(width)


def one_line(text: str) -> str:
    """`text` with every control character (a newline, a tab, an escape) written as its
    escape: one line, whatever a path or a cell held ("a\\nb" → "a\\\\nb")."""
    return "".join(
        ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text
    )


def clipped(text: str, width: int) -> str:
    """`text` on one line in at most `width` terminal cells, cut with an ellipsis where it is
    longer ("triangles", 6 → "trian…"): a class name in a column, whatever a folder was called."""
    from rich.cells import cell_len, set_cell_size

    text = one_line(text)
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    return set_cell_size(text, width - 1).rstrip(" ") + "…"
