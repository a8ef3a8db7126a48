"""`tui-dl runs --compare ID ID... [--baseline ID] [--sort KEY] [--json]`: runs side by side,
a column for each setting or result that differs among them, what they share said once. Too
wide for the terminal, the table turns: a row per setting or result, a column per run."""

from __future__ import annotations

import json

from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from tui_dl.analysis.compare import (
    DELTA_STYLES,
    Compared,
    CompareRefused,
    Result,
    compare_runs,
    shown_result,
    shown_setting,
)
from tui_dl.cli.console import console, error
from tui_dl.engine.store import RunInfo, RunStore, short_ids


def compare_command(ids: list[str], baseline: str | None, sort: str | None, as_json: bool) -> int:
    err = console(stderr=True)
    store = RunStore()
    try:
        folders = [store.resolve(i) for i in ids]
        base = store.resolve(baseline).name if baseline else None
        compared = compare_runs([store.info(folder) for folder in folders], base)
        if sort:
            compared = _sorted(compared, sort)
    except (LookupError, CompareRefused) as exc:
        error(err, exc.args[0] if exc.args else exc)
        return 2
    if as_json:
        print(json.dumps(compared.as_dict()))
        return 0
    out = console()
    wide = table(compared)
    fits = Measurement.get(out, out.options.update_width(10_000), wide).maximum <= out.width
    if fits:
        out.print(wide)
    else:
        out.print(legend(compared))
        out.print(turned(compared))
    out.print(Text(same_line(compared), style="dim"))
    return 0


def _sorted(compared: Compared, name: str) -> Compared:
    """By a result, best first (accuracy highest, loss lowest); by a setting, smallest first."""
    known = {r.key for r in compared.results} | set(compared.settings) | {"experiment", "status"}
    if name not in known:
        raise CompareRefused(f"cannot sort by {name!r}: give one of {', '.join(sorted(known))}")
    result = next((r for r in compared.results if r.key == name), None)
    return compared.sorted_by(name, descending=result is not None and result.higher_is_better)


def same_line(compared: Compared) -> str:
    """What every run shares, said once: settings, status, results."""
    parts = [f"{compared.labels.get(k, k)} {shown_setting(v)}" for k, v in compared.shared.items()]
    if not compared.statuses_differ:
        parts.insert(0, f"status {compared.runs[0].status_words}")
    differ = compared.results_that_differ()
    parts += [
        f"{r.label} {shown_result(r, r.read(compared.runs[0]))}"
        for r in compared.results
        if r not in differ
    ]
    return f"The same in every run: {', '.join(parts)}." if parts else ""


def _result_cell(compared: Compared, info: RunInfo, result: Result) -> Text:
    value, delta, better = compared.result_words(info, result)
    return Text.assemble(value, (f" {delta}" if delta else "", DELTA_STYLES[better]))


def _name(compared: Compared, info: RunInfo, ids: dict[str, str]) -> Text:
    return Text(ids[info.run_id] + (" (baseline)" if info.run_id == compared.baseline else ""))


def table(compared: Compared) -> Table:
    """A row per run, a column per setting or result that differs."""
    ids = short_ids([info.run_id for info in compared.runs])
    out = Table(box=None, pad_edge=False, collapse_padding=True)
    out.add_column("run", no_wrap=True)
    if compared.experiments_differ:
        out.add_column("experiment")
    for name in compared.settings:
        out.add_column(compared.labels.get(name, name), style="cyan", no_wrap=True)
    if compared.statuses_differ:
        out.add_column("status")
    results = compared.results_that_differ()
    for result in results:
        out.add_column(result.label, justify="right", no_wrap=True)
    for info in compared.runs:
        cells: list[Text] = [_name(compared, info, ids)]
        if compared.experiments_differ:
            cells.append(Text(info.experiment))
        cells += [Text(shown_setting(compared.setting(info, n))) for n in compared.settings]
        if compared.statuses_differ:
            cells.append(Text(info.status_words))
        cells += [_result_cell(compared, info, r) for r in results]
        out.add_row(*cells)
    return out


def turned(compared: Compared) -> Table:
    """The same table turned for a narrow terminal: a row per setting or result, a column
    per run, headed #1, #2… (`legend` names them)."""
    out = Table(box=None, pad_edge=False, collapse_padding=True)
    out.add_column("")
    for number, info in enumerate(compared.runs, 1):
        pinned = " (baseline)" if info.run_id == compared.baseline else ""
        out.add_column(f"#{number}{pinned}", justify="right")
    if compared.experiments_differ:
        out.add_row("experiment", *(Text(i.experiment) for i in compared.runs))
    for name in compared.settings:
        out.add_row(
            Text(compared.labels.get(name, name), style="cyan"),
            *(Text(shown_setting(compared.setting(i, name))) for i in compared.runs),
        )
    if compared.statuses_differ:
        out.add_row("status", *(Text(i.status_words) for i in compared.runs))
    for result in compared.results_that_differ():
        out.add_row(result.label, *(_result_cell(compared, i, result) for i in compared.runs))
    return out


def legend(compared: Compared) -> Text:
    """Which run each #N of the turned table is."""
    ids = short_ids([info.run_id for info in compared.runs])
    return Text("\n".join(f"#{n} {ids[i.run_id]}" for n, i in enumerate(compared.runs, 1)))
