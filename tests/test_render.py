"""Digits as text: known pixels give known characters."""

from __future__ import annotations

import numpy as np
from rich.console import Console

from tui_dl.text import bar
from tui_dl.ui.render.digits import RAMP, UPPER_HALF, ascii_rows, render_digit, resize_nearest


def test_density_ramp_two_pixel_rows_per_text_row():
    image = np.zeros((4, 4), np.uint8)
    image[0, 0] = image[1, 0] = 255  # both pixels of cell (0, 0) full: '@'
    image[0, 1] = 255  # one of two: half way up the ramp
    image[2:, 3] = 128  # mid grey
    assert ascii_rows(image) == [
        "@" + RAMP[round(0.5 * 9)] + "  ",
        "   " + RAMP[round(128 / 255 * 9)],
    ]


def test_an_odd_number_of_rows_is_padded_with_black():
    assert ascii_rows(np.full((3, 2), 255, np.uint8)) == ["@@", RAMP[round(0.5 * 9)] * 2]


def test_colour_uses_upper_half_blocks_with_the_two_greys():
    image = np.zeros((2, 2), np.uint8)
    image[0, 0] = 255  # white above black
    image[1, 1] = 255  # black above white
    text = render_digit(image, colour=True)
    assert text.plain == UPPER_HALF * 2
    first, second = (span.style for span in text.spans)
    assert first.color.triplet == (255, 255, 255) and first.bgcolor.triplet == (0, 0, 0)
    assert second.color.triplet == (0, 0, 0) and second.bgcolor.triplet == (255, 255, 255)


def test_a_28_by_28_digit_is_28_columns_by_14_rows_either_way():
    digit = np.random.default_rng(0).integers(0, 256, (28, 28)).astype(np.uint8)
    for colour in (True, False):
        lines = render_digit(digit, colour=colour).plain.split("\n")
        assert len(lines) == 14 and {len(line) for line in lines} == {28}


def test_without_colour_the_heatmap_stands_beside_the_digit():
    digit = np.zeros((28, 28), np.uint8)
    heat = np.zeros((7, 7), np.float32)
    heat[0, 0] = 1.0  # a 7×7 Grad-CAM map, stretched to 28×28
    lines = render_digit(digit, heat=heat, colour=False).plain.split("\n")
    assert lines[0] == " " * 28 + " │ " + "@@@@" + " " * 24
    assert lines[2] == " " * 28 + " │ " + " " * 28


def test_with_colour_the_heatmap_tints_the_digit():
    digit = np.zeros((2, 2), np.uint8)
    heat = np.array([[1.0, 0.0], [1.0, 0.0]])
    text = render_digit(digit, heat=heat, colour=True)
    hot, cold = (span.style for span in text.spans)
    assert hot.color.triplet[0] > 150 and cold.color.triplet == (0, 0, 0)


def test_resize_and_bars():
    assert resize_nearest(np.array([[0, 1], [2, 3]]), (4, 4))[3, 3] == 3
    assert bar(1.0, 4) == "████" and bar(0.0, 4) == "    " and bar(0.5, 2) == "█ "
    Console(no_color=True).print(render_digit(np.eye(28) * 255, colour=False))  # prints cleanly
