"""The mammogram project's report as Markdown: every table, then the ethics checklist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tui_dl.engine import runfiles
from tui_dl.paths import write_atomic


def checklist_section(project: str) -> str:
    """The ethics checklist's state for the report; if it cannot be read, the report says so
    (and is still written: a broken checklist file must not cost the learner their results)."""
    from tui_dl.lessons.ethics import EthicsError, checklist_markdown, load_checklist

    try:
        return checklist_markdown(load_checklist(project))
    except (EthicsError, OSError) as exc:
        return f"## Ethics checklist\n\n(could not be read: {exc})\n"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def referee_verdict(
    network_accuracy: float, cutoff_accuracy: float, network_auc: float, radiologists_auc: float
) -> str:
    """Who wins, said from the numbers: accuracy at the network's 0.5 against the radiologists'
    best BI-RADS cut-off, then the ranking (AUC). Each figure beside its owner's name, and a
    tie where the shown figures are equal (80.5 % against 80.5 % is no win)."""
    net_acc, ref_acc = _pct(network_accuracy), _pct(cutoff_accuracy)
    if net_acc == ref_acc:
        accuracy = (
            f"The network and the radiologists' best cut-off are equally accurate ({net_acc} each)"
        )
        net_ahead: bool | None = None
    elif network_accuracy > cutoff_accuracy:
        accuracy = (
            "The network is more accurate than the radiologists' best cut-off "
            f"({net_acc} against {ref_acc})"
        )
        net_ahead = True
    else:
        accuracy = (
            "The radiologists' best cut-off is more accurate than the network "
            f"({ref_acc} against {net_acc})"
        )
        net_ahead = False
    net_auc, ref_auc = f"{network_auc:.3f}", f"{radiologists_auc:.3f}"
    if net_auc == ref_auc:
        return f"{accuracy}; as a ranking of the cases they rank equally well (AUC {net_auc} each)."
    ranks_better = network_auc > radiologists_auc
    joint = "and" if net_ahead is None or net_ahead == ranks_better else "but"
    if ranks_better:
        return (
            f"{accuracy}, {joint} the network ranks the cases better "
            f"(AUC {net_auc} against the radiologists' {ref_auc})."
        )
    return (
        f"{accuracy}, {joint} the radiologists' grades rank the cases better "
        f"(AUC {ref_auc} against the network's {net_auc})."
    )


def best_cutoff(report: dict[str, Any]) -> dict[str, Any]:
    """The radiologists' BI-RADS cut-off with the highest accuracy."""
    return max(report["radiologists"]["cutoffs"].values(), key=lambda r: r["accuracy"])


def report_verdict(report: dict[str, Any]) -> str:
    """`referee_verdict` for a k-fold report."""
    net, refs = report["network"], report["radiologists"]
    return referee_verdict(
        net["accuracy_mean"], best_cutoff(report)["accuracy"], net["auc"], refs["roc"]["auc"]
    )


def markdown_report(run_id: str, report: dict[str, Any], checklist: str = "") -> str:
    data, net, refs = report["data"], report["network"], report["radiologists"]
    lines = [
        "# Mammographic masses: benign or malignant?",
        "",
        f"Run `{run_id}` · {report['k']}-fold stratified cross-validation · data: {data['source']}",
        "",
        "## The data",
        "",
        f"- {data['raw_rows']} rows read; {data['rows_incomplete']} have a missing value; "
        f"{data['kept_rows']} complete rows kept.",
        "- Missing per column: " + ", ".join(f"{k} {v}" for k, v in data["missing"].items()) + ".",
        f"- Malignant: {_pct(data['malignant_rate_complete'])} of complete rows, "
        f"{_pct(data['malignant_rate_incomplete'])} of incomplete ones.",
    ]
    for flag in data["out_of_range"]:
        values = ", ".join(f"{v} ×{n}" for v, n in flag["values"].items())
        lines.append(f"- {flag['column']} outside its promised range: {values} — {flag['action']}")
    lines += [
        "- Features: age, shape, margin, density. BI-RADS is left out: it is the "
        "radiologist's own verdict and would hand the model the answer.",
        "- Each fold's StandardScaler is fitted on that fold's training rows only.",
        "",
        "## The network, fold by fold",
        "",
        "| fold | accuracy | sensitivity | specificity | rows |",
        "|---:|---:|---:|---:|---:|",
    ]
    for i, fold in enumerate(net["per_fold"], start=1):
        lines.append(
            f"| {i} | {_pct(fold['accuracy'])} | {_pct(fold['sensitivity'])} | "
            f"{_pct(fold['specificity'])} | {fold['n']} |"
        )
    c = net["pooled_confusion"]
    lines += [
        "",
        f"Mean accuracy **{_pct(net['accuracy_mean'])} ± {_pct(net['accuracy_std'])}** "
        "(the course: about 80 %); ROC AUC from out-of-fold probabilities "
        f"**{net['auc']:.3f}**.",
        "",
        "Pooled over the folds, at a threshold of 0.5:",
        "",
        "| | said malignant | said benign |",
        "|---|---:|---:|",
        f"| malignant | {c['tp']} found | {c['fn']} missed cancers |",
        f"| benign | {c['fp']} unnecessary biopsies | {c['tn']} |",
        "",
        "## The radiologists as referee",
        "",
        f"Their BI-RADS grade as a classifier on the {refs['rows']} rows with a valid grade "
        f"({refs['left_out']} left out); as a score, AUC {refs['roc']['auc']:.3f}.",
        "",
        "| rule | accuracy | sensitivity | specificity |",
        "|---|---:|---:|---:|",
    ]
    for rule, r in refs["cutoffs"].items():
        lines.append(
            f"| BI-RADS {rule.replace('>=', '≥ ')} | {_pct(r['accuracy'])} | "
            f"{_pct(r['sensitivity'])} | {_pct(r['specificity'])} |"
        )
    lines.append(
        f"| the network (0.5) | {_pct(net['accuracy_mean'])} | "
        f"{_pct(net['sensitivity'])} | {_pct(net['specificity'])} |"
    )
    lines += [
        "",
        report_verdict(report),
        "",
        "## Classic models on the same folds",
        "",
        "| model | accuracy | AUC |",
        "|---|---:|---:|",
    ]
    for row in report["baselines"]:
        lines.append(
            f"| {row['name']} | {_pct(row['accuracy_mean'])} ± "
            f"{_pct(row['accuracy_std'])} | {row['auc']:.3f} |"
        )
    if checklist:
        lines += ["", checklist.strip()]
    return "\n".join(lines) + "\n"


def save_project_report(run_dir: Path, run_id: str, report: dict[str, Any]) -> Path:
    """report.md in the run folder: every table, and the mammogram ethics checklist's state.
    Raises OSError when the folder cannot be written."""
    path = Path(run_dir) / runfiles.PROJECT_REPORT
    write_atomic(path, markdown_report(run_id, report, checklist_section("mammogram")))
    return path
