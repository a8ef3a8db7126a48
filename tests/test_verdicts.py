"""Every sentence that states numbers and a verdict is built from the values it describes: each
is built here from two inputs that reverse its verdict, and must say each figure beside its
owner, in the order the verdict names them."""

from __future__ import annotations

import re

import numpy as np
import pytest

from tests.conftest import SHARED_DATA
from tui_dl.analysis.mammogram import dropping_verdict
from tui_dl.analysis.mammogram_report import referee_verdict
from tui_dl.analysis.summary import outcome
from tui_dl.analysis.votes import dropping_note
from tui_dl.engine.events import Event
from tui_dl.engine.experiments import get_experiment
from tui_dl.lessons.maths import cross_entropy, cross_entropy_from_logits, one_hot, softmax
from tui_dl.ui.widgets.lesson.softmax_bars import clipped_words


# ----- the mammogram's referee (step 7) -----------------------------------------------------
def test_the_radiologists_more_accurate_the_network_ranking_better():
    """The issue's case: 80.5 % is the network's, 83.1 % the radiologists'; AUC the other way."""
    said = referee_verdict(0.805, 0.831, 0.867, 0.831)
    assert said.startswith(
        "The radiologists' best cut-off is more accurate than the network (83.1 % against 80.5 %)"
    )
    assert "but the network ranks the cases better (AUC 0.867 against the radiologists' 0.831)" in (
        said
    )
    assert "at least as" not in said


def test_the_network_more_accurate_the_radiologists_ranking_better():
    said = referee_verdict(0.831, 0.805, 0.812, 0.845)
    assert said.startswith(
        "The network is more accurate than the radiologists' best cut-off (83.1 % against 80.5 %)"
    )
    assert (
        "but the radiologists' grades rank the cases better (AUC 0.845 against the network's "
        "0.812)" in said
    )


def test_one_side_ahead_on_both_is_and_not_but():
    said = referee_verdict(0.831, 0.805, 0.867, 0.831)
    assert ", and the network ranks the cases better" in said


def test_a_tie_as_shown_is_a_tie():
    said = referee_verdict(0.8051, 0.8049, 0.8501, 0.8502)
    assert "equally accurate (80.5 % each)" in said and "equally well (AUC 0.850 each)" in said
    assert "more accurate" not in said


# ----- dropping incomplete rows: the mammogram file (step 2) and the house votes -------------
def test_incomplete_mammograms_leaning_benign_move_the_mix_towards_malignant():
    said = dropping_verdict(131, 961, 0.486, 0.321, 0.463)
    assert "131 of 961 rows" in said and "lean benign" in said
    assert "towards malignant: from 46.3 % malignant in all rows to 48.6 %" in said
    assert "2.3 points" in said  # the difference of the two figures shown


def test_incomplete_mammograms_leaning_malignant_move_it_towards_benign():
    said = dropping_verdict(131, 961, 0.40, 0.60, 0.427)
    assert "lean malignant" in said and "towards benign" in said and "2.7 points" in said


def test_a_file_without_gaps_drops_nothing():
    assert "nothing is dropped" in dropping_verdict(0, 500, 0.5, float("nan"), 0.5)
    assert "lean neither way" in dropping_verdict(10, 500, 0.5, 0.5, 0.5)


def test_dropped_votes_are_the_dropped_ones_and_the_mix_moves_the_way_it_does():
    said = dropping_note(435, 232, 0.614, 0.534)
    assert "232 voted on all 16 bills and are kept, 203 with a missing vote dropped" in said
    assert "8.0 points towards the Republicans" in said
    other = dropping_note(435, 232, 0.534, 0.614)
    assert "8.0 points towards the Democrats" in other
    assert "as it was" in dropping_note(435, 232, 0.614, 0.6141)


@pytest.mark.skipif(SHARED_DATA is None, reason="TUI_DL_DATA is not set")
def test_the_house_votes_file_says_its_own_counts():
    from tui_dl.analysis.votes import load_votes

    votes = load_votes(SHARED_DATA, allow_download=False)
    dropped = votes.raw_rows - len(votes.y)
    assert f"{len(votes.y)} voted on all 16 bills and are kept, {dropped} with" in votes.note()


def test_experiment_summaries_state_no_count_the_data_decides():
    """A summary is fixed text: a count of rows it states would be the data's, not its own
    (house votes said '232 of 435' dropped; 232 were kept). Counts come with the run."""
    votes = get_experiment("votes-kfold").summary
    assert not re.search(r"\d{3}", votes), votes


def test_transfer_digits_summary_states_its_default_number_of_examples():
    experiment = get_experiment("transfer-digits")
    few = experiment.param("few").default
    assert f"from {few} examples" in experiment.summary
    assert "hundred" not in experiment.summary


def test_the_k_fold_layer_setting_reads_as_units_per_layer():
    param = get_experiment("mammogram").param("hidden")
    assert param.default == "6" and param.label == "Hidden units"  # not "Hidden layers 6"
    assert "one layer of 6 units" in param.help


# ----- the VAE's total loss beside the course's --------------------------------------------
def vae_events(last_epoch_loss: float, measured: float) -> list[dict]:
    return [
        {"event": Event.STARTED, "reference": {"metric": "loss", "value": 266.0}},
        {"event": Event.EPOCH_END, "epoch": 4, "logs": {"loss": 440.0}},
        {"event": Event.EPOCH_END, "epoch": 5, "logs": {"loss": last_epoch_loss}},
        {"event": Event.FINISHED, "metrics": {"loss": measured}},
    ]


def test_the_vae_loss_beside_the_course_is_the_plotted_last_epoch():
    run = outcome("finished", vae_events(427.8, 403.5), {})
    assert run.value == 427.8 and run.value_epoch == 5 and run.course == 266.0
    assert (
        run.comparison
        and "With its final weights, after training: total loss 403.5" in run.comparison[0]
    )


def test_a_measure_after_training_that_agrees_is_not_said_twice():
    run = outcome("finished", vae_events(403.5, 403.5), {})
    assert run.value == 403.5 and run.comparison == []


def test_a_test_metric_is_the_finished_one_not_an_epoch_log():
    events = [
        {"event": Event.STARTED, "reference": {"metric": "test_accuracy", "value": 0.98}},
        {"event": Event.EPOCH_END, "epoch": 2, "logs": {"test_accuracy": 0.5}},
        {"event": Event.FINISHED, "metrics": {"test_accuracy": 0.97}},
    ]
    run = outcome("finished", events, {})
    assert run.value == 0.97 and run.value_epoch is None


async def test_the_lab_says_which_loss_is_which():
    from tui_dl.ui.widgets.run.run_summary import describe_outcome

    said = describe_outcome("finished", vae_events(427.8, 403.5), {}).plain
    assert "Total loss 427.8 in epoch 5, the plot's last (course: 266)" in said
    assert "403.5" in said


# ----- the softmax widget's cross-entropy -------------------------------------------------
def test_cross_entropy_from_logits_is_the_true_loss_past_the_clip():
    logits, target = np.array([2.0, 1.0, 0.5, -1.0]) * 500, one_hot(3, 4)
    true = cross_entropy_from_logits(logits, target)
    clipped = cross_entropy(softmax(logits), target)
    assert true == pytest.approx(1500.0) and clipped == pytest.approx(16.118, abs=1e-3)
    assert clipped_words(true, clipped) == (
        "clipped at 1e-7 (Keras, from probabilities) it reads 16.118"
    )


def test_where_the_clip_changes_nothing_nothing_is_said():
    logits, target = np.array([2.0, 1.0, 0.5, -1.0]), one_hot(3, 4)
    true = cross_entropy_from_logits(logits, target)
    assert true == pytest.approx(cross_entropy(softmax(logits), target))
    assert clipped_words(true, cross_entropy(softmax(logits), target)) == ""
