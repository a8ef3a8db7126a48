"""A learner's folder of pictures (issue 26's data layer): every bad input named in one plain
sentence, files skipped and counted, duplicates found, every mode turned into the right pixels,
and a split that is stratified and the same for the same seed. No TensorFlow here."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import warnings

import numpy as np
import pytest
from PIL import Image

from tests.my_images import FASHION, declared_png, fashion_folder, shape_picture, shapes_folder
from tui_dl.data.my_images import scan as scan_module
from tui_dl.data.my_images.balance import balance
from tui_dl.data.my_images.load import load_image, load_images, to_pixels
from tui_dl.data.my_images.problems import FolderProblem
from tui_dl.data.my_images.scan import scan_folder
from tui_dl.data.my_images.split import (
    SplitSettings,
    needed,
    part_sizes,
    split_folder,
    split_problems,
)
from tui_dl.data.my_images.summary import summarize


@pytest.fixture
def shapes(tmp_path):
    return shapes_folder(tmp_path / "shapes")


def skipped(folder) -> dict[str, str]:
    return {s.relative: s.kind for s in folder.skipped}


def test_weighing_and_sizing_a_split_import_no_image_library():
    probe = (
        "import sys, tui_dl.data.my_images.balance, tui_dl.data.my_images.split\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'PIL', 'numpy', 'sklearn'}))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


# ----- the folder itself --------------------------------------------------------------------


def test_a_folder_of_shapes_is_scanned_class_by_class(shapes):
    folder = scan_folder(shapes)
    assert folder.classes == ["circles", "squares", "triangles"]
    assert folder.counts() == {"circles": 8, "squares": 8, "triangles": 8}
    assert folder.skipped == []
    assert {i.mode for i in folder.images} == {"RGB", "P", "RGBA", "L", "I;16"}
    assert {i.format for i in folder.images} == {"PNG", "JPEG", "GIF", "BMP"}
    first = folder.images[0]
    assert (first.label, first.relative, first.format) == ("circles", "circles/000.png", "PNG")
    assert (first.width, first.height) == Image.open(first.path).size
    assert first.bytes == first.path.stat().st_size
    assert folder.labels() == [0] * 8 + [1] * 8 + [2] * 8


def test_a_missing_folder_is_named(tmp_path):
    with pytest.raises(FolderProblem, match=f"{tmp_path / 'nowhere'}: there is no such folder"):
        scan_folder(tmp_path / "nowhere")


def test_a_file_is_not_a_folder(tmp_path):
    (tmp_path / "a.png").write_bytes(b"x")
    with pytest.raises(FolderProblem, match="a.png is a file, not a folder"):
        scan_folder(tmp_path / "a.png")


def test_pictures_without_class_subfolders_are_explained(tmp_path):
    for i in range(2):
        shape_picture("circles", (30, 30), i).save(tmp_path / f"{i}.png")
    with pytest.raises(FolderProblem, match="no class subfolders: it holds 2 files") as caught:
        scan_folder(tmp_path)
    assert str(tmp_path / "cats") in str(caught.value)  # an example of the layout, in the folder
    (tmp_path / "empty").mkdir()
    with pytest.raises(FolderProblem, match="no class subfolders: it is empty"):
        scan_folder(tmp_path / "empty")


def test_one_class_is_not_enough(tmp_path):
    shapes_folder(tmp_path, {"circles": 4})
    with pytest.raises(FolderProblem, match=r"one class subfolder \(circles\).*at least two"):
        scan_folder(tmp_path)


def test_thousands_of_classes_are_refused_before_any_file_is_read(tmp_path, monkeypatch):
    for i in range(1500):
        (tmp_path / f"c{i}").mkdir()
    monkeypatch.setattr("tui_dl.data.my_images.scan.examine", pytest.fail)
    with pytest.raises(FolderProblem, match="has 1,500 class subfolders; the limit is 200"):
        scan_folder(tmp_path)
    with pytest.raises(FolderProblem, match="has 1,500 class subfolders; the limit is 1,000"):
        scan_folder(tmp_path, max_classes=1000)


def test_a_class_with_no_usable_picture_is_named_with_what_it_held(shapes):
    (shapes / "dogs").mkdir()
    (shapes / "dogs" / "notes.txt").write_text("dogs to photograph")
    (shapes / "dogs" / "rex.png").write_bytes(b"")
    (shapes / "empty").mkdir()
    with pytest.raises(FolderProblem) as caught:
        scan_folder(shapes)
    message = str(caught.value)
    assert "these 2 classes have none" in message
    assert f"{shapes / 'dogs'} (skipped: 1 empty, 1 not a picture)" in message
    assert f"{shapes / 'empty'} (empty)" in message


# ----- files skipped ------------------------------------------------------------------------


def test_files_that_are_not_pictures_are_skipped_and_counted(shapes):
    (shapes / "circles" / "notes.txt").write_text("red ones")
    (shapes / "squares" / "data.csv").write_text("a,b\n1,2\n")
    (shapes / "squares" / "program").write_bytes(bytes(range(256)))
    (shapes / "readme.md").write_text("my classes")
    folder = scan_folder(shapes)
    assert folder.skipped_counts() == {"not a picture": 3, "outside a class": 1}
    assert skipped(folder)["squares/data.csv"] == "not a picture"
    assert folder.counts() == {"circles": 8, "squares": 8, "triangles": 8}


def test_corrupt_and_empty_pictures_are_skipped_and_named(shapes):
    good = (shapes / "circles" / "000.png").read_bytes()
    (shapes / "circles" / "cut.png").write_bytes(good[: len(good) // 2])
    jpeg = (shapes / "circles" / "005.jpg").read_bytes()
    (shapes / "circles" / "cut.jpg").write_bytes(jpeg[: len(jpeg) // 2])
    (shapes / "squares" / "noise.jpg").write_bytes(b"not a jpeg at all" * 10)
    (shapes / "squares" / "zero.png").write_bytes(b"")
    folder = scan_folder(shapes)
    kinds = skipped(folder)
    assert kinds == {
        "circles/cut.png": "corrupt",
        "circles/cut.jpg": "corrupt",
        "squares/noise.jpg": "corrupt",
        "squares/zero.png": "empty",
    }
    reasons = {s.relative: s.reason for s in folder.skipped}
    assert reasons["squares/zero.png"] == "empty (0 bytes)"
    assert reasons["circles/cut.jpg"].startswith("corrupt: ")
    assert folder.counts()["circles"] == 8


def test_a_pipe_is_skipped_unopened_and_a_huge_file_unread(shapes):
    os.mkfifo(shapes / "circles" / "pipe.png")  # opening it would wait for a writer forever
    noise = np.random.default_rng(0).integers(0, 256, (200, 200, 3), np.uint8)
    Image.fromarray(noise).save(shapes / "squares" / "huge.png")  # ~120 kB
    found: list = []
    scanning = threading.Thread(
        target=lambda: found.append(scan_folder(shapes, max_file_bytes=20_000)), daemon=True
    )
    scanning.start()
    scanning.join(timeout=20)
    assert found, "the scan waited on a pipe"
    kinds = skipped(found[0])
    assert kinds == {"circles/pipe.png": "not a file", "squares/huge.png": "too big"}
    reason = {s.relative: s.reason for s in found[0].skipped}["squares/huge.png"]
    assert reason.endswith("bytes, over the limit of 20,000")


def test_a_file_the_system_refuses_is_unreadable_not_corrupt(shapes, monkeypatch):
    real_open = Image.open

    def refusing(path, *args, **kwargs):
        if str(path).endswith("squares/001.png"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(Image, "open", refusing)
    found = scan_folder(shapes)
    assert [(s.relative, s.kind, s.reason) for s in found.skipped] == [
        ("squares/001.png", "unreadable", "cannot be read: Permission denied")
    ]


def test_the_format_is_decided_by_content_not_by_name(shapes):
    shape_picture("circles", (30, 30), 1).save(shapes / "circles" / "png-inside.jpg", "PNG")
    shape_picture("circles", (30, 30), 2).save(shapes / "circles" / "photo.dat", "JPEG")
    shape_picture("circles", (30, 30), 3).save(shapes / "circles" / "scan.png", "TIFF")
    folder = scan_folder(shapes)
    formats = {i.relative: i.format for i in folder.images}
    assert formats["circles/png-inside.jpg"] == "PNG"
    assert formats["circles/photo.dat"] == "JPEG"
    reason = {s.relative: s.reason for s in folder.skipped}["circles/scan.png"]
    assert reason == "a TIFF picture: only PNG, JPEG, BMP, GIF are read"


def test_a_decompression_bomb_is_skipped_and_named_without_a_warning(shapes):
    declared_png(shapes / "circles" / "warns.png", 10_000, 10_000)  # over the limit
    declared_png(shapes / "circles" / "errs.png", 30_000, 30_000)  # over twice the limit
    declared_png(shapes / "squares" / "small.png", 2_000, 2_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        folder = scan_folder(shapes, max_pixels=1_000_000)
        plain = scan_folder(shapes)
    reasons = {s.relative: s.reason for s in folder.skipped}
    assert skipped(folder) == {
        "circles/warns.png": "bomb",
        "circles/errs.png": "bomb",
        "squares/small.png": "bomb",
    }
    assert (
        "2,000×2,000 = 4,000,000 pixels, over the limit of 1,000,000"
        in reasons["squares/small.png"]
    )
    assert skipped(plain) == {"circles/warns.png": "bomb", "circles/errs.png": "bomb"}
    # Within Pillow's limit, its chunks whole: the scan (CRCs only, for speed) takes it; its
    # 64 bytes of pixel data are found short when it is loaded, and it is named then.
    assert "squares/small.png" in {i.relative for i in plain.images}
    with pytest.raises(FolderProblem, match=re.escape(f"{shapes / 'squares' / 'small.png'}: ")):
        load_image(shapes / "squares" / "small.png", (8, 8))


def test_a_loop_of_links_is_never_walked(shapes):
    os.symlink("..", shapes / "circles" / "up")  # circles/up/circles/up/… forever
    os.symlink(shapes, shapes / "everything")  # a class that is the whole folder
    os.symlink("self.png", shapes / "squares" / "self.png")  # a link to itself
    os.symlink("gone.png", shapes / "squares" / "dangling.png")
    os.symlink(shapes / "circles" / "001.png", shapes / "squares" / "borrowed.png")
    folder = scan_folder(shapes)
    assert skipped(folder) == {
        "circles/up": "linked folder",
        "everything": "linked folder",
        "squares/self.png": "broken link",
        "squares/dangling.png": "broken link",
    }
    assert "links to folders are not followed" in folder.skipped[0].reason
    assert folder.counts() == {"circles": 8, "squares": 9, "triangles": 8}  # a file link is read


def test_links_to_files_are_not_followed_in_someone_elses_folder(shapes, monkeypatch):
    os.symlink(shapes / "circles" / "001.png", shapes / "squares" / "borrowed.png")
    assert scan_folder(shapes).counts()["squares"] == 9
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(shapes).st_uid + 1)
    theirs = scan_folder(shapes)
    assert skipped(theirs) == {"squares/borrowed.png": "link"}
    assert theirs.skipped[0].reason == "a link, in a folder that is not yours: not followed"
    assert theirs.counts()["squares"] == 8


def test_hidden_files_and_folders_are_ignored(shapes):
    (shapes / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (shapes / "circles" / "._000.png").write_bytes(b"\0\5\x16\7")
    (shapes / ".thumbnails").mkdir()
    shape_picture("circles", (30, 30), 1).save(shapes / ".thumbnails" / "a.png")
    (shapes / "squares" / ".cache").mkdir()
    shape_picture("squares", (30, 30), 1).save(shapes / "squares" / ".cache" / "a.png")
    folder = scan_folder(shapes)
    assert folder.skipped == []
    assert folder.classes == ["circles", "squares", "triangles"]
    assert folder.counts() == {"circles": 8, "squares": 8, "triangles": 8}


def test_pictures_in_folders_below_a_class_belong_to_it(shapes):
    (shapes / "circles" / "big").mkdir()
    shape_picture("circles", (90, 90), 1).save(shapes / "circles" / "big" / "a.png")
    folder = scan_folder(shapes)
    assert folder.counts()["circles"] == 9
    assert "circles/big/a.png" in {i.relative for i in folder.images}


def test_the_scan_reports_its_progress(shapes):
    heard: list[tuple[int, int]] = []
    scan_folder(shapes, progress=lambda done, total: heard.append((done, total)))
    assert heard[0] == (0, 24) and heard[-1] == (24, 24)
    assert [d for d, _ in heard] == sorted(d for d, _ in heard)


def test_threads_change_nothing_but_the_time(shapes):
    (shapes / "circles" / "notes.txt").write_text("red ones")
    (shapes / "squares" / "zero.png").write_bytes(b"")
    one, many = scan_folder(shapes, workers=1), scan_folder(shapes, workers=4)
    assert one == many and len(one.skipped) == 2
    paths = [i.path for i in one.images]
    assert np.array_equal(load_images(paths, (9, 7), workers=1), load_images(paths, (9, 7)))


class Cancelled(Exception):
    pass


@pytest.mark.parametrize("workers", [1, 3])
def test_a_progress_callback_that_raises_cancels_the_pass(tmp_path, monkeypatch, workers):
    root = shapes_folder(tmp_path, 100)
    examined = []
    cancelled = threading.Event()
    real = scan_module.examine

    def held(path, relative, *args):  # every file but the first waits for the cancel
        examined.append(relative)
        if relative != "circles/000.png":
            cancelled.wait(10)
        return real(path, relative, *args)

    def cancel(done, total):
        if done:
            cancelled.set()
            raise Cancelled

    monkeypatch.setattr(scan_module, "examine", held)
    monkeypatch.setattr("tui_dl.data.my_images.progress.PROGRESS_EVERY_S", 0)
    with pytest.raises(Cancelled):
        scan_folder(root, workers=workers, progress=cancel)
    assert examined[0] == "circles/000.png" or workers > 1
    assert 0 < len(examined) <= 2 * workers + 1  # of 300: those under way finish, no other starts


# ----- what the data view shows -------------------------------------------------------------


def test_the_same_picture_in_two_classes_is_found(shapes):
    shutil.copy(shapes / "circles" / "003.png", shapes / "squares" / "copy.png")
    shutil.copy(shapes / "triangles" / "001.png", shapes / "triangles" / "again.png")
    summary = summarize(scan_folder(shapes))
    assert len(summary.duplicates) == 1
    twice = summary.duplicates[0]
    assert twice.files == [("circles", "circles/003.png"), ("squares", "squares/copy.png")]
    assert twice.classes == ["circles", "squares"]
    assert [d.files for d in summary.repeats] == [
        [("triangles", "triangles/001.png"), ("triangles", "triangles/again.png")]
    ]


def test_the_summary_is_plain_json(shapes):
    (shapes / "circles" / "notes.txt").write_text("red ones")
    summary = summarize(scan_folder(shapes), SplitSettings(seed=3))
    data = json.loads(json.dumps(summary.to_dict()))
    assert data["counts"] == {"circles": 8, "squares": 8, "triangles": 8}
    assert data["total"] == 24
    assert data["skipped"] == [
        {"relative": "circles/notes.txt", "kind": "not a picture", "reason": "not a picture"}
    ]
    assert data["skipped_counts"] == {"not a picture": 1}
    assert sum(data["modes"].values()) == 24 and data["modes"]["I;16"] == 3
    widths = sorted(32 + (7 * i) % 40 for i in range(8))
    assert data["sizes"]["width"] == [widths[0], round(np.median(widths)), widths[-1]]
    assert data["split_sizes"]["circles"] == [6, 1, 1]
    assert data["split_needed"] == 3 and data["split_problems"] == []
    assert data["balance_warning"] is None


def test_unbalanced_classes_are_said_with_numbers_from_the_data(tmp_path):
    folder = scan_folder(shapes_folder(tmp_path, {"circles": 12, "squares": 4, "triangles": 4}))
    warning = summarize(folder).balance_warning
    assert warning == (
        "Unbalanced classes: circles has 12 pictures, 3.0× as many as squares (4), and is 60% "
        "of all pictures, so a network that always answers circles scores 60% without "
        "learning anything."
    )


@pytest.mark.parametrize(
    ("counts", "largest", "smallest", "numbers"),
    [
        ({"a": 30, "b": 10, "c": 10}, "a", "b", ["30", "3.0", "10", "60%", "60%"]),
        ({"a": 10, "b": 30, "c": 10}, "b", "a", ["30", "3.0", "10", "60%", "60%"]),
        ({"a": 10, "b": 10, "c": 45}, "c", "a", ["45", "4.5", "10", "69%", "69%"]),
        ({"a": 7, "b": 2}, "a", "b", ["7", "3.5", "2", "78%", "78%"]),
    ],
)
def test_the_balance_sentence_follows_the_counts(counts, largest, smallest, numbers):
    weighed = balance(counts)
    assert (weighed.largest, weighed.smallest) == (largest, smallest)
    assert weighed.warning is not None
    assert re.findall(r"\d+(?:\.\d+)?%?", weighed.warning) == numbers
    assert f"{largest} has" in weighed.warning and f"as many as {smallest}" in weighed.warning
    assert f"always answers {largest} " in weighed.warning


def test_nearly_balanced_classes_get_no_warning():
    assert balance({"a": 14, "b": 10}).warning is None
    assert balance({"a": 15, "b": 10}).warning is not None


# ----- the split ----------------------------------------------------------------------------


def test_the_split_is_stratified_complete_and_the_same_for_a_seed(tmp_path):
    counts = {"circles": 40, "squares": 20, "triangles": 7}
    folder = scan_folder(shapes_folder(tmp_path, counts))
    parts = split_folder(folder, SplitSettings(seed=1))
    labels = np.array(folder.labels())
    everything = parts.train + parts.validation + parts.test
    assert sorted(everything) == list(range(67))  # each picture in one part exactly
    for c, count in enumerate(counts.values()):
        in_parts = (parts.train, parts.validation, parts.test)
        sizes = tuple(int((labels[p] == c).sum()) for p in in_parts)
        assert sizes == part_sizes(count, SplitSettings())
    assert part_sizes(40, SplitSettings()) == (28, 6, 6)
    assert part_sizes(7, SplitSettings()) == (5, 1, 1)
    assert split_folder(folder, SplitSettings(seed=1)) == parts
    other = split_folder(folder, SplitSettings(seed=2))
    assert other != parts and len(other.test) == len(parts.test)


def test_a_class_too_small_for_the_split_says_how_many_it_needs(tmp_path):
    folder = scan_folder(shapes_folder(tmp_path, {"circles": 8, "squares": 2, "triangles": 1}))
    with pytest.raises(FolderProblem) as caught:
        split_folder(folder)
    message = str(caught.value)
    assert "a class is too small to split" in message and str(tmp_path) in message
    assert "squares has 2 pictures; a 70/15/15 (train/validation/test) split needs at least 3" in (
        message
    )
    assert "triangles has 1 picture; " in message and "circles" not in message


def test_how_many_a_class_needs_follows_the_fractions():
    assert needed(SplitSettings()) == 3
    assert needed(SplitSettings(0.8, 0.1, 0.1)) == 3
    halves = SplitSettings(0.5, 0.25, 0.25)
    assert needed(halves) == 3 and part_sizes(4, halves) == (2, 1, 1)
    assert needed(SplitSettings(0.2, 0.4, 0.4)) == 5  # 4 would give (0, 2, 2)
    for settings in (SplitSettings(), halves, SplitSettings(0.2, 0.4, 0.4)):
        need = needed(settings)
        assert min(part_sizes(need - 1, settings)) < 1
        assert all(min(part_sizes(c, settings)) >= 1 for c in range(need, 500))
    assert split_problems({"a": 4, "b": 2}, halves) == [
        "b has 2 pictures; a 50/25/25 (train/validation/test) split needs at least 3 in every "
        "class, so that each part gets one of each."
    ]
    with pytest.raises(ValueError, match="add up to 1"):
        SplitSettings(0.7, 0.2, 0.2)


# ----- loading ------------------------------------------------------------------------------


def pixels(image: Image.Image, channels: int = 3) -> np.ndarray:
    return to_pixels(image, (image.height, image.width), channels, "stretch")


def test_a_palette_picture_becomes_its_colours():
    image = Image.new("P", (4, 4))
    image.putpalette([255, 0, 0, 0, 128, 255] + [0] * 762)
    image.putpixel((1, 2), 1)
    out = pixels(image)
    assert out.dtype == np.float32 and out.shape == (4, 4, 3)
    assert out[0, 0].tolist() == [255, 0, 0] and out[2, 1].tolist() == [0, 128, 255]


def test_transparency_is_laid_on_white():
    rgba = Image.new("RGBA", (2, 1), (255, 0, 0, 0))
    rgba.putpixel((1, 0), (0, 0, 255, 128))
    out = pixels(rgba)
    assert out[0, 0].tolist() == [255, 255, 255]  # fully transparent: the white beneath
    assert out[0, 1].tolist() == pytest.approx([127, 127, 255], abs=1)
    grey_alpha = Image.new("LA", (1, 1), (0, 51))  # black at a fifth
    assert pixels(grey_alpha)[0, 0].tolist() == pytest.approx([204] * 3, abs=1)
    assert pixels(grey_alpha, 1)[0, 0].tolist() == pytest.approx([204], abs=1)
    palette = Image.new("P", (2, 1))
    palette.putpalette([10, 20, 30, 40, 50, 60] + [0] * 762)
    palette.putpixel((1, 0), 1)
    palette.info["transparency"] = 0
    assert pixels(palette).tolist() == [[[255, 255, 255], [40, 50, 60]]]


def test_sixteen_bit_grey_is_scaled_to_0_255():
    wide = np.array([[0, 257, 32896, 65535]], np.uint16)
    image = Image.fromarray(wide)
    assert image.mode == "I;16"
    out = pixels(image)
    assert out[0, :, 0].tolist() == pytest.approx([0, 1, 128, 255])
    assert (out[..., 0] == out[..., 2]).all()
    assert pixels(Image.fromarray(wide.astype(np.int32)))[0, :, 0].tolist() == pytest.approx(
        [0, 1, 128, 255]
    )


def test_grey_is_copied_into_three_channels_and_colour_made_grey_for_one():
    grey = Image.fromarray(np.array([[0, 100, 255]], np.uint8))
    assert pixels(grey)[0].tolist() == [[0] * 3, [100] * 3, [255] * 3]
    assert pixels(grey, 1)[0].tolist() == [[0], [100], [255]]
    red = Image.new("RGB", (1, 1), (255, 0, 0))
    assert pixels(red, 1).tolist() == [[[76]]]  # ITU-R 601-2: 0.299 × 255
    assert pixels(Image.new("1", (1, 1), 1)).tolist() == [[[255, 255, 255]]]


def test_the_camera_orientation_is_applied(tmp_path):
    image = Image.new("RGB", (40, 20), "white")
    image.paste((255, 0, 0), (0, 0, 10, 20))  # red on the left as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show"
    image.save(tmp_path / "photo.jpg", exif=exif, quality=95)
    out = load_image(tmp_path / "photo.jpg", (40, 20), fit="stretch")
    assert out.shape == (40, 20, 3)
    assert out[2, 10].tolist() == pytest.approx([255, 0, 0], abs=30)  # now at the top
    assert out[37, 10].tolist() == pytest.approx([255, 255, 255], abs=30)


def test_each_fit_keeps_or_changes_the_aspect_as_documented():
    wide = Image.new("RGB", (200, 100), (0, 0, 255))
    wide.paste((255, 0, 0), (0, 0, 40, 100))  # a red band at the left fifth
    crop = to_pixels(wide, (50, 50), fit="crop")
    assert crop.shape == (50, 50, 3) and (crop[..., 0] < 10).all()  # the middle: no red
    pad = to_pixels(wide, (50, 50), fit="pad")
    assert pad[0, 25].tolist() == [0, 0, 0] and pad[25, 2].tolist() == [255, 0, 0]
    stretch = to_pixels(wide, (50, 50), fit="stretch")
    assert stretch[0, 2].tolist() == [255, 0, 0] and stretch[0, 45].tolist() == [0, 0, 255]


def test_a_folder_loads_as_float32_at_the_size_asked(shapes):
    folder = scan_folder(shapes)
    heard: list[tuple[int, int]] = []
    x = load_images([i.path for i in folder.images], (20, 16), progress=lambda *a: heard.append(a))
    assert x.shape == (24, 20, 16, 3) and x.dtype == np.float32
    assert x.min() >= 0 and x.max() == 255
    assert heard[0] == (0, 24) and heard[-1] == (24, 24)
    colours = {"circles": 0, "squares": 1, "triangles": 2}
    for image, picture in zip(folder.images, x, strict=True):
        if image.mode in ("L", "I;16"):
            continue  # grey: the shape is darker, not coloured
        strongest = picture.reshape(-1, 3)[picture.reshape(-1, 3).std(axis=1) > 40].mean(axis=0)
        assert strongest.argmax() == colours[image.label], image.relative
    grey = load_images([i.path for i in folder.images], (28, 28), channels=1)
    assert grey.shape == (24, 28, 28, 1)


def test_an_array_too_large_is_refused_saying_how_large(shapes):
    paths = [i.path for i in scan_folder(shapes).images]
    with pytest.raises(FolderProblem, match=r"24 pictures at 224×224×3 take 14 MiB as float32, "):
        load_images(paths, (224, 224), max_bytes=10 * 2**20)


def test_a_picture_that_went_bad_after_the_scan_is_named(shapes):
    paths = [i.path for i in scan_folder(shapes).images]
    paths[3].write_bytes(b"")
    with pytest.raises(FolderProblem, match=re.escape(f"{paths[3]}: corrupt")):
        load_images(paths, (8, 8))
    declared_png(paths[4], 9000, 9000)
    with pytest.raises(FolderProblem, match="decompression bomb"):
        load_image(paths[4], (8, 8), max_pixels=1000)


def test_three_fashion_mnist_classes_load_back_pixel_for_pixel(tmp_path):
    root = fashion_folder(tmp_path / "fashion", per_class=20)
    if root is None:
        pytest.skip("the shared datasets (TUI_DL_DATA) are not on this machine")
    folder = scan_folder(root)
    assert folder.classes == sorted(FASHION.values())
    assert set(folder.counts().values()) == {20} and {i.mode for i in folder.images} == {"L"}
    x = load_images([i.path for i in folder.images], (28, 28), channels=1)
    first = np.asarray(Image.open(folder.images[0].path), np.float32)
    assert np.array_equal(x[0, ..., 0], first)
    parts = split_folder(folder)
    assert (len(parts.train), len(parts.validation), len(parts.test)) == (42, 9, 9)
