"""The mammogram project: the data steps, bad files, the referee, and a short k-fold run."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import StratifiedKFold

from tests.conftest import SHARED_DATA
from tui_dl.analysis.kfold import radiologists, scaled_fold, threshold_counts
from tui_dl.analysis.mammogram import ProjectDataError, prepare
from tui_dl.engine import runfiles
from tui_dl.engine.events import EventLog
from tui_dl.engine.jobs.launch import launch_run

UCI = Path(SHARED_DATA or "/nonexistent") / "uci" / "mammographic_masses.data"
needs_uci = pytest.mark.skipif(not UCI.exists(), reason="TUI_DL_DATA does not hold the UCI file")


def write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "mine.csv"
    path.write_text("\n".join(rows) + "\n")
    return path


def good_rows(n: int = 40) -> list[str]:
    return [f"{4 + i % 2},{40 + i},{1 + i % 4},{1 + i % 5},{1 + i % 4},{i % 2}" for i in range(n)]


@needs_uci
def test_the_real_file_cleans_to_the_courses_830_rows():
    data = prepare(UCI, "UCI", k=10)
    assert len(data.frame) == 961 and len(data.kept) == 830
    assert data.missing == {
        "BI-RADS": 2,
        "age": 5,
        "shape": 31,
        "margin": 48,
        "density": 76,
        "severity": 0,
    }
    assert data.rows_incomplete == 131
    assert data.malignant_rate_complete == pytest.approx(403 / 830)
    assert data.malignant_rate_incomplete < data.malignant_rate_complete  # not missing at random
    (flag,) = data.out_of_range
    assert flag.column == "BI-RADS" and flag.values == {0.0: 5, 6.0: 8, 55.0: 1}
    assert data.x.shape == (830, 4) and int(np.isnan(data.birads).sum()) == 14
    assert data.raw_lines[0] == "5,67,3,5,3,1"


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        (None, "no such file"),
        (["1,2,3"] * 30, "3 columns, expected 6"),
        (good_rows()[:5] + ["4,sixty,3,5,3,1"] + good_rows()[5:], "line 6, column age: 'sixty'"),
        (
            [r.rsplit(",", 2)[0] + ",?," + r.rsplit(",", 1)[1] for r in good_rows()],
            "column density has no values",
        ),
        (good_rows(12), "only 12 complete rows; 10-fold cross-validation needs at least 20"),
        ([r[:-1] + "1" for r in good_rows()], "every complete row is malignant"),
    ],
)
def test_bad_files_get_a_clear_message(tmp_path, rows, words):
    path = tmp_path / "missing.csv" if rows is None else write(tmp_path, rows)
    with pytest.raises(ProjectDataError, match=words):
        prepare(path, str(path), k=10)


def test_scaling_is_fitted_on_the_training_rows_only():
    x = np.arange(40, dtype=float).reshape(20, 2)
    x[15:] *= 100  # test rows far from the rest: a scaler that saw them would show it
    train, test, scaler = scaled_fold(x, np.arange(15), np.arange(15, 20))
    np.testing.assert_allclose(train.mean(axis=0), 0, atol=1e-9)
    np.testing.assert_allclose(scaler.mean_, x[:15].mean(axis=0))
    assert test.mean() > 10


def test_the_radiologists_are_scored_on_valid_grades_only():
    y = np.array([1, 1, 1, 0, 0, 0, 1])
    birads = np.array([5, 4, 3, 4, 2, 5, np.nan])
    result = radiologists(y, birads)
    assert result["rows"] == 6 and result["left_out"] == 1
    four, five = result["cutoffs"][">=4"], result["cutoffs"][">=5"]
    assert (four["tp"], four["fn"], four["fp"], four["tn"]) == (2, 1, 2, 1)
    assert (five["tp"], five["fn"], five["fp"], five["tn"]) == (1, 2, 1, 2)
    assert five["sensitivity"] == pytest.approx(1 / 3, abs=1e-4)


def test_threshold_trades_missed_cancers_for_biopsies():
    y = np.array([1, 1, 0, 0])
    p = np.array([0.9, 0.4, 0.6, 0.1])
    low, high = threshold_counts(y, p, 0.3), threshold_counts(y, p, 0.7)
    assert (low["fn"], low["fp"]) == (0, 1) and (high["fn"], high["fp"]) == (1, 0)


@pytest.mark.slow
@needs_uci
def test_a_short_k_fold_run_through_the_engine():
    handle = launch_run("mammogram", {"k": 3, "epochs": 2}, data_dir=SHARED_DATA)
    assert handle.wait(180) == 0, (handle.run_dir / runfiles.LOG).read_text()[-2000:]
    handle.reaper.join(5)
    events = EventLog(handle.run_dir).read_all()
    folds = [e for e in events if e["event"] == "fold_end"]
    assert [f["fold"] for f in folds] == [1, 2, 3]
    assert all(0 <= f["accuracy"] <= 1 and f["n"] in (276, 277) for f in folds)
    assert any(e["event"] == "epoch_end" and e["fold"] == 3 for e in events)
    report = json.loads((handle.run_dir / runfiles.KFOLD_REPORT).read_text())
    assert report["data"]["kept_rows"] == 830 and report["k"] == 3
    assert len(report["baselines"]) == 6 and 0.5 < report["network"]["auc"] <= 1
    assert report["radiologists"]["rows"] == 816
    with np.load(handle.run_dir / runfiles.KFOLD_ARRAYS) as saved:
        x, y = saved["x"], saved["y"]
        expected = [
            x[train].mean(axis=0)
            for train, _ in StratifiedKFold(3, shuffle=True, random_state=42).split(x, y)
        ]
        np.testing.assert_allclose(saved["scaler_mean"], expected, rtol=1e-5)  # per fold
        assert not np.allclose(saved["scaler_mean"][0], x.mean(axis=0), rtol=1e-6)


@pytest.mark.slow
def test_a_bad_csv_fails_the_run_with_the_reason(tmp_path):
    path = write(tmp_path, ["1,2,3"] * 30)
    handle = launch_run("mammogram", {"k": 3, "epochs": 1, "csv": str(path)})
    handle.wait(120)
    handle.reaper.join(5)
    failed = EventLog(handle.run_dir).read_all()[-1]
    assert failed["event"] == "failed" and "3 columns, expected 6" in failed["message"]
    assert not (handle.run_dir / runfiles.KFOLD_REPORT).exists()
