"""`tui-dl sweep`: the sweep engine in the foreground, a line per cell and a final table."""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui_dl.cli.console import console, error
from tui_dl.cli.parser import settings
from tui_dl.cli.warnings import warn_about_data_folder
from tui_dl.engine.events import ENDED, Status
from tui_dl.engine.sweeps.grid import axis_label, point_text, split_lists, value_text
from tui_dl.engine.sweeps.launch import cancel_sweep, launch_sweep
from tui_dl.engine.sweeps.lessons import LESSONS
from tui_dl.engine.sweeps.spread import Group, best_group, group_cells, most_varied
from tui_dl.engine.sweeps.state import CellState, SweepState, higher_is_better, track_sweep
from tui_dl.text import percent

POLL_S = 0.2


def sweep_from_args(args: argparse.Namespace) -> int:
    shared, lists = split_lists(args.experiment, settings(args))
    return sweep_command(
        args.experiment,
        shared,
        args.lr,
        args.batch_sizes,
        args.device,
        args.data_dir,
        args.json,
        cluster=args.cluster,
        gpu_share=args.gpu_share,
        axes=lists,
        seeds=args.seeds,
    )


def sweep_command(
    experiment: str,
    params: dict[str, Any],
    learning_rates: str | None,
    batch_sizes: str | None,
    device: str,
    data_dir: str | None,
    as_json: bool,
    cluster: str | None = None,
    gpu_share: float | None = None,
    axes: dict[str, str] | None = None,
    seeds: str | int = 1,
) -> int:
    """Exit 0 when at least one cell finished, 1 when none did, 2 for bad input, 130 on ctrl+c."""
    err = console(stderr=True)
    warn_about_data_folder(err, data_dir)
    try:
        handle = launch_sweep(
            experiment, params, learning_rates, batch_sizes, device, data_dir,
            cluster=cluster, gpu_share=gpu_share, axes=axes, seeds=seeds,
        )  # fmt: skip
    except ValueError as exc:
        error(err, exc)
        return 2
    err.print(Text.assemble("sweep ", (handle.run_id, "bold"), f" — {handle.run_dir}"))
    tracker = track_sweep(handle.run_dir)
    reported: dict[int, str] = {}
    try:
        while True:
            if tracker.update():
                _report_progress(err, tracker.state, reported)
            if tracker.state.done:
                break
            time.sleep(POLL_S)
    except KeyboardInterrupt:
        err.print("cancelling…")
        cancel_sweep(handle.run_dir)
        tracker.update()
    handle.wait(10)
    tracker.update()
    state = tracker.state
    err.print(result_table(state))
    if state.seeds > 1:
        err.print(spread_table(state))
    for line in lesson_lines(state):
        err.print(line)
    if as_json:
        print(json.dumps(sweep_report(state, str(handle.run_dir))))
    if state.status == Status.CANCELLED:
        return 130
    return 0 if any(c.status == Status.FINISHED for c in state.cells) else 1


def _report_progress(err: Console, state: SweepState, reported: dict[int, str]) -> None:
    """One line when a cell starts and one when it ends (with its result)."""
    total = len(state.cells)
    for index, cell in enumerate(state.cells):
        before = reported.get(index, Status.PENDING)
        if cell.status == before or cell.status in (Status.PENDING, Status.SKIPPED):
            continue
        ended = cell.status in ENDED
        if before in ENDED or (not ended and before != Status.PENDING):
            continue
        reported[index] = cell.status
        where = f"cell {index + 1}/{total}  {point_text(cell.settings, cell.seed)}"
        if not ended:
            err.print(f"{where}  started (run {cell.run_id})")
        elif cell.status == Status.FINISHED:
            err.print(f"{where}  finished: {_metric(state.metric, cell.metric)}")
        else:
            reason = cell.message.splitlines()[0] if cell.message else ""
            err.print(f"{where}  {cell.status}{': ' + reason if reason else ''}")


def _value(metric: str, value: float | None) -> str:
    if value is None:
        return "—"
    return percent(value) if "accuracy" in metric else f"{value:.4f}"


def _metric(metric: str, value: float | None) -> str:
    return f"{metric.replace('_', ' ')} {_value(metric, value)}"


def result_table(state: SweepState) -> Table:
    axes = state.axes
    seeded = state.seeds > 1
    columns = [axis_label(a) for a in axes] + (["seed"] if seeded else [])
    table = Table(*columns, "status", "epochs", state.metric.replace("_", " "), "lesson")
    for index, cell in enumerate(state.cells):
        star = "★ " if index == state.best and not seeded else ""
        table.add_row(
            *(value_text(cell.settings.get(a, "")) for a in axes),
            *([str(cell.seed)] if seeded else []),
            cell.status,
            f"{cell.epoch}/{cell.epochs}" if cell.epochs else "",
            _value(state.metric, cell.metric),
            star + cell.verdict.text,
        )
    return table


def spread_table(state: SweepState) -> Table:
    """Each cell's runs pooled: mean ± standard deviation, and the lowest–highest."""
    groups = group_cells(state.cells)
    best = best_group(groups, higher_is_better(state.metric))
    metric = state.metric.replace("_", " ")
    table = Table(
        *(axis_label(a) for a in state.axes), "runs", f"{metric} mean ± sd", "lowest–highest",
        title=f"{state.seeds} seeds per cell (sd: sample standard deviation of its runs)",
    )  # fmt: skip
    for index, group in enumerate(groups):
        table.add_row(
            *(value_text(group.settings.get(a, "")) for a in state.axes),
            f"{len(group.results)}/{len(group.members)}",
            ("★ " if index == best else "") + spread_text(state.metric, group),
            _range(state.metric, group),
        )
    return table


def spread_text(metric: str, group: Group) -> str:
    if group.mean is None:
        return "—"
    if group.sd is None:
        return f"{_value(metric, group.mean)} (one run)"
    return f"{_value(metric, group.mean)} ± {_spread(metric, group.sd)}"


def _spread(metric: str, value: float) -> str:
    return f"{value * 100:.1f} pts" if "accuracy" in metric else f"{value:.4f}"


def _range(metric: str, group: Group) -> str:
    if group.low is None or group.high is None:
        return "—"
    return f"{_value(metric, group.low)}–{_value(metric, group.high)}"


def lesson_lines(state: SweepState) -> list[str]:
    lines = []
    if state.seeds > 1:
        groups = group_cells(state.cells)
        top = best_group(groups, higher_is_better(state.metric))
        if top is not None:
            group = groups[top]
            lines.append(
                f"best on average: {point_text(group.settings)} — "
                f"{state.metric.replace('_', ' ')} {spread_text(state.metric, group)}"
            )
        varied = most_varied(groups)
        if varied is not None:
            most, least = varied
            lines.append(
                f"most varied from run to run: {point_text(most.settings)} "
                f"(sd {_spread(state.metric, most.sd or 0.0)}); least: "
                f"{point_text(least.settings)} (sd {_spread(state.metric, least.sd or 0.0)})"
            )
    elif state.best is not None:
        cell = state.cells[state.best]
        lines.append(f"best: {point_text(cell.settings)} — {_metric(state.metric, cell.metric)}")
    seen = {c.verdict.code for c in state.cells}
    lines += [f"{code.replace('-', ' ')}: {LESSONS[code]}" for code in LESSONS if code in seen]
    return lines


def _cell_report(cell: CellState) -> dict[str, Any]:
    return {
        "learning_rate": cell.learning_rate,
        "batch_size": cell.batch_size,
        "settings": cell.settings,
        "seed": cell.seed,
        "run_id": cell.run_id,
        "status": cell.status,
        "epochs_done": cell.epoch,
        "metric": cell.metric,
        "verdict": cell.verdict.code,
        "verdict_text": cell.verdict.text,
        "message": cell.message,
        "history": cell.history,
    }


def _group_report(group: Group) -> dict[str, Any]:
    return {
        "settings": group.settings,
        "runs": len(group.members),
        "results": group.results,
        "mean": group.mean,
        "sd": group.sd,
        "lowest": group.low,
        "highest": group.high,
    }


def sweep_report(state: SweepState, sweep_dir: str) -> dict[str, Any]:
    best = state.cells[state.best] if state.best is not None else None
    return {
        "sweep_id": state.sweep_id,
        "sweep_dir": sweep_dir,
        "experiment": state.experiment,
        "status": state.status,
        "metric": state.metric,
        "learning_rates": state.spec["learning_rates"],
        "batch_sizes": state.spec["batch_sizes"],
        "axes": state.axes,
        "seeds": state.seeds,
        "spread": "sample standard deviation (n - 1) of each cell's finished runs",
        "groups": [_group_report(g) for g in group_cells(state.cells)],
        "params": state.spec["params"],
        "device": state.spec["device"],
        "cells": [_cell_report(c) for c in state.cells],
        "best": None
        if best is None
        else {
            "learning_rate": best.learning_rate,
            "batch_size": best.batch_size,
            "settings": best.settings,
            "run_id": best.run_id,
            "metric": best.metric,
        },
    }
