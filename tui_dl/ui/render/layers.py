"""A model's summary as a table — layer, type, output shape, parameters trainable and frozen,
and a bar of its share of the model's parameters — for the model view and `tui-dl model`.
Rich only: every name from the file is Text."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from tui_dl.analysis.layers.summary import ModelSummary, children, total
from tui_dl.text import bar

BAR = 6
"""The share bar's columns on a narrow screen; WIDE_BAR from WIDE columns on."""
WIDE, WIDE_BAR = 120, 24


def parameters(n: int) -> str:
    return f"{n:,}" if n else "0"


def share_bar(part: int, whole: int, columns: int, style: str) -> Text:
    """`part`'s share of `whole` in eighth blocks; a sliver for a part too small to see."""
    drawn = bar(part / whole, columns).rstrip() if whole else ""
    return Text(drawn or ("▏" if part else ""), style=style)


def share_words(part: int, whole: int) -> str:
    """`part` of `whole` as a percentage that is never 0.0 % for a part that is not 0."""
    if part and part / (whole or 1) < 0.001:
        return "< 0.1 %"
    return f"{part / (whole or 1):.1%}".replace("%", " %")


def per_example(shape: str) -> str:
    """An output shape without the batch Keras writes first: `(None, 26, 26, 32)` →
    `(26, 26, 32)`."""
    dims = shape.replace("(None, ", "(").replace("(None,)", "()")
    one = dims.removeprefix("(").removesuffix(")")
    return f"({one},)" if one.isdigit() else dims  # a tuple of one, as Python writes it


def totals_text(summary: ModelSummary) -> Text:
    """The model's totals in one sentence, and where the parameters are."""
    whole = total(summary)
    out = Text()
    out.append(Text(f"{summary['model']} ({summary['type']})", style="bold"))
    out.append(f": {parameters(whole)} parameters, {parameters(summary['trainable'])} trainable")
    frozen = summary["frozen"]
    out.append(f", {parameters(frozen)} frozen", style="cyan" if frozen else "")
    top = [row for row in summary["layers"] if row["depth"] == 0]
    heaviest = max(top, key=total, default=None)
    if heaviest is not None and whole:
        out.append(". ")
        out.append(Text(heaviest["name"], style="bold"))
        out.append(f" holds {share_words(total(heaviest), whole)} of them")
    out.append(".\n")
    out.append(Text(f"From {summary['source']}", style="dim"))
    if summary["note"]:
        out.append(Text(f", {summary['note']}", style="dim"))
    out.append(" · shapes per example (Keras adds None, the batch)", style="dim")
    return out


def layer_table(
    summary: ModelSummary,
    rows: list[int],
    opened: set[int] | None = None,
    cursor: int | None = None,
    width: int = 80,
) -> Table:
    """The `rows` of the summary; a nested model is marked ▸ (closed) or ▾ (its layers shown,
    indented under it); the row `cursor` is picked out."""
    narrow = width < WIDE  # the names share what is left; wide, each takes what it needs
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, padding=(0, 1), expand=narrow)
    columns = BAR if narrow else WIDE_BAR
    for title, ratio in (("layer", 3), ("type", 2), ("output shape", 3)):
        table.add_column(title, no_wrap=True, overflow="ellipsis", ratio=ratio if narrow else None)
    table.add_column("trainable", justify="right", no_wrap=True)
    table.add_column("frozen", justify="right", no_wrap=True)
    table.add_column("share", no_wrap=True, width=columns)
    whole = total(summary) or 1
    layers = summary["layers"]
    for index in rows:
        row = layers[index]
        inside = len(children(summary, index))
        mark = ("▾ " if opened is None or index in opened else "▸ ") if inside else "  "
        name = Text("  " * row["depth"] + mark)
        name.append(row["name"])
        kind = Text(row["type"]) + (Text(f" ({inside})", style="dim") if inside else Text())
        bar_text = share_bar(row["trainable"], whole, columns, "green")
        bar_text.append(share_bar(row["frozen"], whole, columns, "cyan"))
        table.add_row(
            name,
            kind,
            Text(per_example(row["shape"])),
            parameters(row["trainable"]),
            Text(parameters(row["frozen"]), style="cyan" if row["frozen"] else "dim"),
            bar_text,
            style="reverse" if index == cursor else ("dim" if row["depth"] else ""),
        )
    return table


def picked_text(summary: ModelSummary, index: int) -> Text:
    """The picked layer whole, as a line under the table (where its cells may be cut)."""
    row = summary["layers"][index]
    inside = len(children(summary, index))
    out = Text(row["name"], style="bold")
    out.append(Text(f" · {row['type']}"))
    if inside:
        out.append(f" of {inside} layers")
    out.append(Text(f" · output {per_example(row['shape'])}"))
    out.append(f" · {parameters(row['trainable'])} trainable, {parameters(row['frozen'])} frozen")
    out.append(f" · {share_words(total(row), total(summary))} of the model")
    return out
