"""imdb-lstm: reviews as Keras stores them, decoded and encoded, the LSTM trained for real on a
small fake corpus through the engine, and the numpy reader agreeing with Keras."""

from __future__ import annotations

import json

import numpy as np
import pytest
from artifacts import FAKE_WORDS, write_fake_imdb

from tui_dl.analysis.sentiment import NoSentimentModel, SentimentModel, describe
from tui_dl.data.registry import DatasetUnavailable
from tui_dl.data.reviews import OOV, START, Vocabulary, load_imdb, pad, tokens, window
from tui_dl.data.status import status_rows
from tui_dl.engine import runfiles
from tui_dl.engine.experiments import get_experiment
from tui_dl.engine.jobs.launch import launch_run

TINY = {
    "epochs": 3,
    "vocabulary": 40,
    "maxlen": 24,
    "embedding": 8,
    "units": 8,
    "batch_size": 32,
    "learning_rate": 0.01,
}


def vocabulary(num_words: int = 40) -> Vocabulary:
    return Vocabulary.from_word_index({w: r for r, w in enumerate(FAKE_WORDS, 1)}, num_words)


def test_a_sentence_round_trips_through_the_indices():
    vocab = vocabulary()
    text = "This movie was GREAT, and the acting... brilliant!<br />I loved it"
    indices = vocab.encode(text)
    assert indices[0] == START
    # rank + 3: "the" is rank 1, so index 4; "this" rank 9 → 12
    assert vocab.index("the") == 4 and vocab.index("this") == 12
    assert vocab.decode(indices) == ["<start>", *tokens(text)]
    assert tokens("Don’t stop—it's 10/10") == ["don't", "stop", "it's", "10", "10"]


def test_rare_and_unknown_words_become_unk_as_in_keras():
    vocab = vocabulary(num_words=10)  # indices 4..9 kept: the six most frequent words
    assert [vocab.index(w) for w in ("the", "is", "in")] == [4, 9, OOV]
    assert vocab.index("cinematography") == OOV
    assert vocab.decode([START, 4, OOV, 0, 0]) == ["<start>", "the", "<unk>"]
    assert vocab.trimmed().words == ("the", "and", "a", "of", "to", "is")


def test_a_word_index_with_holes_is_refused():
    with pytest.raises(ValueError, match="1, 2, 3"):
        Vocabulary.from_word_index({"a": 1, "b": 3}, 10)


def test_padding_and_cutting_match_keras_pad_sequences_defaults():
    rows = pad([[1, 2, 3], [1, 2, 3, 4, 5, 6], []], 4)
    assert rows.tolist() == [[0, 1, 2, 3], [3, 4, 5, 6], [0, 0, 0, 0]]
    assert pad([[1, 2, 3, 4, 5, 6]], 4, "end").tolist() == [[1, 2, 3, 4]]
    assert window(6, 4) == (2, 6) and window(6, 4, "end") == (0, 4) and window(3, 4) == (0, 3)


def test_loading_shifts_ranks_and_keeps_every_review(tmp_path):
    write_fake_imdb(tmp_path, n_train=50, n_test=30)
    reviews = load_imdb(20, data_dir=tmp_path)
    assert len(reviews.x_train) == 50 and len(reviews.x_test) == 30
    assert all(r[0] == START for r in reviews.x_train)
    assert max(max(r) for r in reviews.x_train) < 20
    raw = np.load(tmp_path / "imdb.npz", allow_pickle=True)
    lengths = sorted(len(r) + 1 for r in raw["x_train"])
    assert sorted(len(r) for r in reviews.x_train) == lengths
    assert "IMDB reviews — data folder" in reviews.describe()


def test_offline_without_the_reviews_says_what_to_do(tmp_path):
    with pytest.raises(DatasetUnavailable) as caught:
        load_imdb(20000, data_dir=tmp_path)
    message = str(caught.value)
    assert "IMDB reviews is not on this machine" in message
    assert "tui-dl data fetch imdb" in message and "TUI_DL_DATA" in message
    (tmp_path / "imdb.npz").write_bytes(b"")  # the reviews without the word index
    write_fake_imdb(tmp_path / "x")
    (tmp_path / "x" / "imdb.npz").replace(tmp_path / "imdb.npz")
    with pytest.raises(DatasetUnavailable, match="imdb-word-index"):
        load_imdb(20000, data_dir=tmp_path)


def test_a_damaged_file_is_named(tmp_path):
    (tmp_path / "imdb.npz").write_bytes(b"not a zip")
    write_fake_imdb(tmp_path / "x")
    (tmp_path / "x" / "imdb_word_index.json").replace(tmp_path / "imdb_word_index.json")
    with pytest.raises(DatasetUnavailable, match="not a readable Keras IMDB"):
        load_imdb(100, data_dir=tmp_path)


def test_data_status_lists_the_reviews_and_their_word_index(tmp_path):
    rows = {r.name: r for r in status_rows(tmp_path)}
    assert not rows["imdb"].available and not rows["imdb-word-index"].available
    write_fake_imdb(tmp_path)
    rows = {r.name: r for r in status_rows(tmp_path)}
    assert rows["imdb"].available and rows["imdb-word-index"].available


def test_the_experiment_carries_the_course_setup():
    exp = get_experiment("imdb-lstm")
    d = exp.defaults()
    assert (d["vocabulary"], d["maxlen"], d["embedding"], d["units"]) == (20000, 80, 128, 128)
    assert (d["dropout"], d["recurrent_dropout"], d["batch_size"], d["epochs"]) == (
        0.2,
        0.2,
        32,
        15,
    )
    assert exp.reference.value == 0.81
    with pytest.raises(ValueError, match="Cut from: choose one of start, end"):
        exp.validate({"truncate": "middle"})


def test_verdict_words():
    assert describe(0.87) == "positive (87 %)" and describe(0.09) == "negative (91 %)"


@pytest.mark.slow
def test_the_lstm_trains_through_the_engine_and_numpy_reads_it_like_keras(tmp_path):
    from test_engine import ended, wait_for

    data = write_fake_imdb(tmp_path / "data")
    handle = launch_run("imdb-lstm", TINY, device="cpu", data_dir=str(data))
    events = wait_for(handle.run_dir, ended, timeout=120)
    assert events[-1]["event"] == "finished", events[-1]
    started = next(e for e in events if e["event"] == "started")
    assert started["n_train"] == 400 and started["reference"]["value"] == 0.81
    epochs = [e for e in events if e["event"] == "epoch_end"]
    assert len(epochs) == 3 and {"accuracy", "val_accuracy"} <= set(epochs[0]["logs"])
    assert events[-1]["metrics"]["test_accuracy"] > 0.6  # the fake reviews are easy

    run_dir = handle.run_dir
    report = json.loads((run_dir / runfiles.REVIEWS).read_text())
    assert len(report["samples"]) == 8
    assert {s["label"] for s in report["samples"]} == {0, 1}
    assert report["by_label"]["positive"]["n"] + report["by_label"]["negative"]["n"] == 200
    model = SentimentModel.load(run_dir)
    ours = model.predict([s["indices"] for s in report["samples"] + report["wrong"]])
    keras_says = [s["probability"] for s in report["samples"] + report["wrong"]]
    np.testing.assert_allclose(ours, keras_says, atol=2e-3)
    for wrong in report["wrong"]:
        assert (wrong["probability"] >= 0.5) != bool(wrong["label"])

    good, bad = model.read("great wonderful loved it"), model.read("awful boring hated it")
    assert good.probability > bad.probability
    assert len(good.opinions) == len(good.words) == 4


def test_a_run_without_weights_says_so(tmp_path):
    with pytest.raises(NoSentimentModel, match="once training has finished"):
        SentimentModel.load(tmp_path)


@pytest.mark.slow
def test_offline_without_the_reviews_the_run_fails_in_plain_words():
    from test_engine import ended, wait_for

    handle = launch_run("imdb-lstm", {"epochs": 1}, device="cpu")
    events = wait_for(handle.run_dir, ended, timeout=60)
    failed = events[-1]
    assert failed["event"] == "failed" and failed["error_type"] == "DatasetUnavailable"
    assert failed["message"].startswith("IMDB reviews is not on this machine.")
    assert "tui-dl data fetch imdb" in failed["message"]
    assert "Traceback" not in failed["message"]
