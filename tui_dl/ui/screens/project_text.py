"""What the project screen says at each step, as Rich renderables built from plain data."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Group
from rich.table import Table
from rich.text import Text

from tui_dl.analysis.mammogram import dropping_words
from tui_dl.analysis.mammogram_report import report_verdict
from tui_dl.engine.events import Event, Status
from tui_dl.text import duration, percent, sentence


def _table(*columns: str) -> Table:
    table = Table(box=box.SIMPLE_HEAD, padding=(0, 1), show_edge=False)
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i == 0 else "right", no_wrap=i == 0)
    return table


def data_steps(data: Any) -> dict[str, Any]:
    frame = data.frame
    head = _table("", *frame.columns)
    for index, row in frame.head(5).iterrows():
        head.add_row(str(index), *("?" if v != v else f"{v:g}" for v in row))
    describe = _table("", "count", "mean", "std", "min", "max")
    stats = frame.describe().T
    for column, row in stats.iterrows():
        describe.add_row(
            column,
            f"{row['count']:.0f}",
            f"{row['mean']:.2f}",
            f"{row['std']:.2f}",
            f"{row['min']:g}",
            f"{row['max']:g}",
        )
    missing = ", ".join(f"{c} {n}" for c, n in data.missing.items())
    step1 = Group(
        Text(f"Source: {data.source}\n", style="dim"),
        Text("The file as it is — no header, '?' where a value is missing:", style="bold"),
        Text("\n".join(data.raw_lines[:5]) + "\n"),
        Text("Read properly (names, '?' → missing):", style="bold"),
        head,
        Text(f"Missing values per column: {missing}.\n", style="bold"),
        describe,
    )
    odd = [
        Text("Is dropping the incomplete rows safe?", style="bold"),
        Text(dropping_words(data) + "\n"),
    ]
    for flag in data.out_of_range:
        values = ", ".join(f"{v:g} ({n}×)" for v, n in flag.values.items())
        odd += [
            Text(f"{flag.column} outside its promised range: {values}", style="bold yellow"),
            Text(flag.action + "\n"),
        ]
    if not data.out_of_range:
        odd.append(Text("Every value is within the ranges the dataset's description promises."))
    features = Group(
        Text(f"{len(data.kept)} complete rows kept of {len(frame)}.\n", style="bold"),
        Text(
            "Features: age, shape, margin, density. Shape and margin are categories whose "
            "order roughly means 'more irregular', so they are used as numbers, as the course "
            "does.\n"
        ),
        Text("Why not BI-RADS? ", style="bold"),
        Text(
            "It is the radiologist's own assessment of the same image — the verdict the model "
            "is supposed to make. Using it as an input would hand the model the answer; here "
            "it becomes the referee instead (step 7).\n"
        ),
        Text("Scaling, honestly: ", style="bold"),
        Text(
            "each fold fits its StandardScaler on its own training rows. The course fitted one "
            "scaler on all rows before splitting, which lets every test fold shape the "
            "training data's scaling — a small leak that flatters the score."
        ),
    )
    return {"data": step1, "odd": Group(*odd), "features": features}


def fold_table(folds: list[dict], live: dict, status: str | None, experiment: Any) -> Group:
    table = _table("fold", "accuracy", "sensitivity", "specificity", "time")
    for f in folds:
        table.add_row(
            f"{f['fold']} of {f['folds']}",
            percent(f["accuracy"]),
            percent(f["sensitivity"]),
            percent(f["specificity"]),
            duration(f.get("duration_s")),
        )
    lines = []
    if status is None and live:
        if live.get("event") == Event.PROGRESS and "fold" in live:
            lines.append(
                Text(
                    f"fold {live['fold']} of {live['folds']}: epoch {live['epoch']} of "
                    f"{live['epochs']} · ETA for this fold "
                    f"{duration(live.get('eta_s'))} · c cancels",
                    style="bold",
                )
            )
        else:
            lines.append(Text(f"{sentence(str(live.get('phase', 'starting')))}…", style="bold"))
    elif status == Status.FINISHED:
        lines.append(Text("All folds done — the report is in step 5.", style="bold green"))
    elif status == Status.FAILED:
        lines.append(Text(f"✗ {live.get('message', 'the run failed')}", style="bold red"))
    elif status == Status.CANCELLED:
        lines.append(Text("Cancelled.", style="yellow"))
    if not folds and status is None and not live:
        lines.append(
            Text(f"The course: {experiment.reference.text}. ctrl+r runs the folds.", style="dim")
        )
    return Group(*lines, table)


def report_summary(report: dict[str, Any]) -> Group:
    net = report["network"]
    table = _table("fold", "accuracy", "sensitivity", "specificity")
    for i, f in enumerate(net["per_fold"], start=1):
        table.add_row(
            str(i), percent(f["accuracy"]), percent(f["sensitivity"]), percent(f["specificity"])
        )
    c = net["pooled_confusion"]
    confusion = _table("pooled over folds", "said malignant", "said benign")
    confusion.add_row("malignant", f"{c['tp']} found", f"{c['fn']} missed")
    confusion.add_row("benign", f"{c['fp']} biopsies for nothing", f"{c['tn']}")
    head = Text()
    head.append(
        f"Mean accuracy {percent(net['accuracy_mean'])} ± {percent(net['accuracy_std'])}",
        style="bold",
    )
    head.append(f" over {report['k']} folds — the course: about 80 %. ROC AUC {net['auc']:.3f}.\n")
    return Group(head, table, confusion)


def referee_tables(report: dict[str, Any]) -> Group:
    net, refs = report["network"], report["radiologists"]
    duel = _table("who decides", "accuracy", "sensitivity", "specificity")
    for rule, r in refs["cutoffs"].items():
        duel.add_row(
            f"radiologists, BI-RADS {rule.replace('>=', '≥ ')}",
            percent(r["accuracy"]),
            percent(r["sensitivity"]),
            percent(r["specificity"]),
        )
    duel.add_row(
        "the network, threshold 0.5",
        percent(net["accuracy_mean"]),
        percent(net["sensitivity"]),
        percent(net["specificity"]),
    )
    verdict = Text(
        report_verdict(report) + " And the network learned from features the radiologists read "
        "off the images themselves: it imitates them. Sell a tool like this as an aid to a "
        "doctor, never as the doctor.\n",
        style="bold",
    )
    classics = _table("classic model, same folds", "accuracy", "± std", "AUC")
    for row in report["baselines"]:
        classics.add_row(
            row["name"],
            percent(row["accuracy_mean"]),
            percent(row["accuracy_std"]),
            f"{row['auc']:.3f}",
        )
    classics.add_row(
        "the network",
        percent(net["accuracy_mean"]),
        percent(net["accuracy_std"]),
        f"{net['auc']:.3f}",
        style="bold",
    )
    note = Text(
        f"Radiologists scored on the {refs['rows']} rows with a valid BI-RADS grade "
        f"({refs['left_out']} left out).\n",
        style="dim",
    )
    return Group(verdict, duel, note, classics)
