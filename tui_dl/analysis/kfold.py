"""Scoring a k-fold run: per fold, pooled over folds, and against the same folds' rivals.

The rivals are the radiologists (their BI-RADS grade used as a classifier: ≥ 4 and ≥ 5
call a mass malignant) and six classic scikit-learn models, each trained and scaled
inside exactly the folds the network used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypedDict

import numpy as np

from tui_dl.analysis.artifacts import (
    UnreadableArtifact,
    check_array,
    load_json,
    open_npz,
    save_json,
    save_npz,
)
from tui_dl.engine import runfiles

THRESHOLD = 0.5
ROC_POINTS = 200


def scaled_fold(x: np.ndarray, train_rows: np.ndarray, test_rows: np.ndarray):
    """(train, test, scaler) with the scaler fitted on this fold's training rows only.

    The course fitted one scaler on all 830 rows before splitting: then every fold's test
    rows have already shaped the scaling the model trains on — a small leak of the answer.
    """
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x[train_rows])
    return scaler.transform(x[train_rows]), scaler.transform(x[test_rows]), scaler


def threshold_counts(y: np.ndarray, probabilities: np.ndarray, threshold: float) -> dict:
    """What one decision threshold costs: missed cancers and needless biopsies, and rates."""
    c = confusion(y, (probabilities >= threshold).astype(int))
    return {"threshold": threshold, **c, **rates(c)}


def confusion(y: np.ndarray, predicted: np.ndarray) -> dict[str, int]:
    """tp: cancers found, fn: cancers missed, fp: benign masses sent to biopsy, tn."""
    return {
        "tp": int(((predicted == 1) & (y == 1)).sum()),
        "fn": int(((predicted == 0) & (y == 1)).sum()),
        "fp": int(((predicted == 1) & (y == 0)).sum()),
        "tn": int(((predicted == 0) & (y == 0)).sum()),
    }


def rates(c: dict[str, int]) -> dict[str, float]:
    n = sum(c.values())
    return {
        "accuracy": (c["tp"] + c["tn"]) / n if n else float("nan"),
        "sensitivity": c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan"),
        "specificity": c["tn"] / (c["tn"] + c["fp"]) if c["tn"] + c["fp"] else float("nan"),
    }


def fold_metrics(y: np.ndarray, probabilities: np.ndarray) -> dict[str, float]:
    c = confusion(y, (probabilities >= THRESHOLD).astype(int))
    return {**{k: round(v, 4) for k, v in rates(c).items()}, "n": int(len(y))}


def roc(y: np.ndarray, scores: np.ndarray) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score, roc_curve

    fpr, tpr, _ = roc_curve(y, scores)
    if len(fpr) > ROC_POINTS:
        keep = np.unique(np.linspace(0, len(fpr) - 1, ROC_POINTS).astype(int))
        fpr, tpr = fpr[keep], tpr[keep]
    return {
        "fpr": [round(float(v), 4) for v in fpr],
        "tpr": [round(float(v), 4) for v in tpr],
        "auc": round(float(roc_auc_score(y, scores)), 4),
    }


def radiologists(y: np.ndarray, birads: np.ndarray) -> dict[str, Any]:
    """BI-RADS on the rows that carry a valid 1–5 grade, as two cut-offs and as a score."""
    valid = ~np.isnan(birads)
    y, grade = y[valid], birads[valid]
    cutoffs = {}
    for cut in (4, 5):
        c = confusion(y, (grade >= cut).astype(int))
        cutoffs[f">={cut}"] = {**{k: round(v, 4) for k, v in rates(c).items()}, **c}
    return {
        "rows": int(valid.sum()),
        "left_out": int((~valid).sum()),
        "cutoffs": cutoffs,
        "roc": roc(y, grade),
    }


def classic_models() -> dict[str, Any]:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import GaussianNB
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    return {
        "logistic regression": lambda: LogisticRegression(max_iter=1000),
        "decision tree": lambda: DecisionTreeClassifier(random_state=0),
        "random forest": lambda: RandomForestClassifier(n_estimators=100, random_state=0),
        "SVM (RBF)": lambda: SVC(kernel="rbf"),
        "k-nearest neighbours (k=10)": lambda: KNeighborsClassifier(n_neighbors=10),
        "naive Bayes": lambda: GaussianNB(),
    }


def baselines(x: np.ndarray, y: np.ndarray, folds: list) -> list[dict[str, Any]]:
    rows = []
    for name, make in classic_models().items():
        scores = np.zeros(len(y))
        accuracies = []
        for train_rows, test_rows in folds:
            train, test, _ = scaled_fold(x, train_rows, test_rows)
            model = make().fit(train, y[train_rows])
            accuracies.append(float((model.predict(test) == y[test_rows]).mean()))
            scores[test_rows] = (
                model.predict_proba(test)[:, 1]
                if hasattr(model, "predict_proba")
                else model.decision_function(test)
            )
        rows.append(
            {
                "name": name,
                "accuracy_mean": round(float(np.mean(accuracies)), 4),
                "accuracy_std": round(float(np.std(accuracies)), 4),
                "auc": roc(y, scores)["auc"],
            }
        )
    return rows


def summarise(
    data: Any, folds: list, results: list[dict], probabilities: np.ndarray, fold_of: np.ndarray
) -> dict[str, Any]:
    """Everything the report shows, as plain JSON-able data."""
    y = data.y
    pooled = confusion(y, (probabilities >= THRESHOLD).astype(int))
    accuracies = [r["accuracy"] for r in results]
    network: dict[str, Any] = {
        "per_fold": results,
        "accuracy_mean": round(float(np.mean(accuracies)), 4),
        "accuracy_std": round(float(np.std(accuracies)), 4),
        **{k: round(v, 4) for k, v in rates(pooled).items() if k != "accuracy"},
        "pooled_confusion": pooled,
        "roc": roc(y, probabilities),
    }
    network["auc"] = network["roc"]["auc"]
    return {
        "data": {
            "source": data.source,
            "raw_rows": int(len(data.frame)),
            "kept_rows": int(len(y)),
            "missing": data.missing,
            "rows_incomplete": data.rows_incomplete,
            "malignant_rate_complete": round(data.malignant_rate_complete, 4),
            "malignant_rate_incomplete": round(data.malignant_rate_incomplete, 4),
            "out_of_range": [
                {
                    "column": o.column,
                    "values": {f"{k:g}": v for k, v in o.values.items()},
                    "action": o.action,
                }
                for o in data.out_of_range
            ],
        },
        "k": len(folds),
        "network": network,
        "radiologists": radiologists(y, data.birads),
        "baselines": baselines(data.x, y, folds),
    }


def save_kfold(run_dir: Path, report: dict[str, Any], **arrays: np.ndarray) -> dict[str, str]:
    """kfold.json (the report), and kfold.npz when there are out-of-fold arrays to keep (the
    mammogram's y, probabilities, fold, birads, x, scaler_mean); returns them by role."""
    run_dir = Path(run_dir)
    save_json(run_dir / runfiles.KFOLD_REPORT, report, indent=1)
    written = {"report": runfiles.KFOLD_REPORT}
    if arrays:
        save_npz(run_dir / runfiles.KFOLD_ARRAYS, **arrays)
        written["predictions"] = runfiles.KFOLD_ARRAYS
    return written


def has_kfold_report(run_dir: Path) -> bool:
    return (Path(run_dir) / runfiles.KFOLD_REPORT).exists()


class Roc(TypedDict):
    auc: float
    fpr: list[float]
    tpr: list[float]


class FoldScore(TypedDict):
    accuracy: float
    n: int
    sensitivity: float | None
    specificity: float | None


class Confusion(TypedDict):
    tp: int
    fp: int
    tn: int
    fn: int


class Network(TypedDict):
    accuracy_mean: float
    accuracy_std: float
    auc: float
    per_fold: list[FoldScore]
    pooled_confusion: Confusion
    roc: Roc
    sensitivity: float | None
    specificity: float | None


class Cutoff(Confusion):
    accuracy: float
    sensitivity: float | None
    specificity: float | None


class Radiologists(TypedDict):
    cutoffs: dict[str, Cutoff]
    left_out: int
    roc: Roc
    rows: int


class Baseline(TypedDict):
    name: str
    accuracy_mean: float
    accuracy_std: float
    auc: float


class KfoldReport(TypedDict):
    """kfold.json as the project screen and the report read it (a k-fold run of house votes
    has only `k` and `network`'s scores: the rest is the mammogram's)."""

    k: int
    network: Network


class OutOfRange(TypedDict):
    column: str
    values: dict[str, int]
    action: str


class MammogramData(TypedDict):
    source: str
    raw_rows: int
    kept_rows: int
    rows_incomplete: int
    missing: dict[str, int]
    malignant_rate_complete: float
    malignant_rate_incomplete: float
    out_of_range: list[OutOfRange]


class MammogramReport(KfoldReport):
    radiologists: Radiologists
    baselines: list[Baseline]
    data: MammogramData


def load_kfold_report(run_dir: Path, typed: Any = None) -> dict[str, Any]:
    """kfold.json, checked against `typed` (a mammogram run's: `MammogramReport`)
    — UnreadableArtifact naming what is wrong."""
    report: dict[str, Any] = load_json(Path(run_dir) / runfiles.KFOLD_REPORT, typed)
    for part in ("network", "radiologists"):
        roc = (report.get(part) or {}).get("roc") if typed is not None else None
        if roc is not None and len(roc["fpr"]) != len(roc["tpr"]):
            raise UnreadableArtifact(f"{runfiles.KFOLD_REPORT}: {part}.roc: fpr and tpr differ")
    return report


def load_kfold_arrays(run_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """(labels, out-of-fold probabilities) of a mammogram run, for the threshold slider."""
    path = Path(run_dir) / runfiles.KFOLD_ARRAYS
    saved = open_npz(path, ("y", "probabilities"))
    y = check_array(f"{path.name}: y", saved["y"], "i", 1)
    return y, check_array(f"{path.name}: probabilities", saved["probabilities"], "f", 1, len(y))
