"""Every key a footer shows does something, on every screen of the registry; help lists
exactly those keys; ctrl+s shares something on every one of them; a form the app fills leaves
its cursors at the end.

For each screen (each lesson, both ethics checklists, every run view over a run that has it),
each key its footer shows — read from the footer's own source, `screen.active_bindings`, as
the footer groups them — must name an action that exists and is enabled in that state, and
pressing it must do something a learner sees: another screen, a notification, or a change on
the screen (its screenshot differs from the one taken just before, on a screen that was still).
"""

from __future__ import annotations

import asyncio

import pytest
from textual.binding import Binding

from tests.fakes import settle
from tests.test_random_keys import (
    MAMMOGRAM,
    MNIST,
    ZOO,
    folder_of,
    runs_folder,
    runs_root,
    screens,
)
from tui_dl.lessons.share.codes import decode
from tui_dl.ui.app import make_app
from tui_dl.ui.dialogs.help import HelpScreen
from tui_dl.ui.dialogs.share_code import ShareCode
from tui_dl.ui.tries import check_target

__all__ = ["runs_root"]  # the fixture, shared with the random-keys walk

NOT_PRESSED = {"quit": "ends the app"}
"""Actions whose effect a test cannot look at from inside the app."""


def footer_keys(screen) -> list[tuple[str, Binding, bool, object]]:
    """(key, binding, enabled, node) for each key the footer shows: one per action, the
    first key bound to it, as `textual.widgets.Footer` picks them."""
    seen: dict[str, tuple[str, Binding, bool, object]] = {}
    for key, active in screen.active_bindings.items():
        if active.binding.show and active.binding.action not in seen:
            seen[active.binding.action] = (key, active.binding, active.enabled, active.node)
    return list(seen.values())


def implemented(node, action: str) -> bool:
    """Whether `action` (as a binding writes it, `app.open_screen('x')` included) names a
    method on the node it runs on."""
    from textual.actions import parse

    namespace, name, _ = parse(action)
    target = {"app": node.app, "screen": node.screen}.get(namespace, node)
    return callable(getattr(target, f"action_{name}", None))


def opened(app, name: str):
    return {"lab": MNIST, "imagenet": ZOO, "project:mammogram": MAMMOGRAM}.get(name)


async def calm(pilot, rounds: int = 30, running: frozenset = frozenset()) -> None:
    """Settle, but not forever: a screen following a launched run keeps a worker polling.
    Workers in `running` (those already at work before a key) are not waited for: a poll or a
    training loop never ends, and what a key does shows without them."""
    from textual.widgets import Input

    await pilot.pause()
    for _ in range(rounds):
        if all(w.is_finished for w in pilot.app.workers if w not in running):
            break
        await pilot.pause(0.1)
    await pilot.pause()
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False
    await pilot.pause()


def looks(app) -> tuple:
    """What the screen shows, every cell's text and style: what `export_screenshot` draws as
    an SVG, compared without drawing one (a tenth of the cost)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    return tuple(
        tuple((segment.text, segment.style) for strip in line for segment in strip)
        for line in update.strips
    )


async def still_shot(app, pilot, running: frozenset = frozenset()) -> tuple | None:
    """The screen as it is, if it is still (two looks a moment apart agree); else None."""
    await calm(pilot, running=running)
    first = looks(app)
    await pilot.pause(0.05)
    second = looks(app)
    return second if first == second else None


async def dead_footer_keys(app, pilot, name: str) -> list[str]:
    """Press each key the footer shows, once; what did nothing, or names no action."""
    await settle(pilot)
    home = app.screen
    pressed: set[str] = set()
    dead: list[str] = []
    for _ in range(30):  # each key once, the footer read again after each
        todo = sorted(  # the keys that leave the screen last
            (
                entry
                for entry in footer_keys(home)
                if entry[1].action not in pressed and app.screen is home
            ),
            key=lambda entry: entry[0] == "escape",
        )
        if not todo:
            break
        key, binding, enabled, node = todo[0]
        pressed.add(binding.action)
        where = f"{name}: {key} ({binding.description or binding.action})"
        if not implemented(node, binding.action):
            dead.append(f"{where} names no action")
            continue
        if not enabled:
            dead.append(f"{where} is shown but disabled")
            continue
        if binding.action in NOT_PRESSED:
            continue
        running = frozenset(w for w in app.workers if not w.is_finished)
        before = await still_shot(app, pilot, running)
        notes, stack = len(app._notifications), list(app.screen_stack)
        await asyncio.wait_for(pilot.press(key), timeout=30)
        await calm(pilot, running=running)
        for _ in range(30):  # what a key starts may show at the screen's next poll (cancel)
            moved = list(app.screen_stack) != stack
            said = len(app._notifications) != notes
            changed = before is not None and looks(app) != before
            if moved or said or changed or before is None:
                break
            await pilot.pause(0.1)
        else:
            dead.append(f"{where} did nothing")
        while app.screen is not home and home in app.screen_stack:
            app.pop_screen()
            await calm(pilot)
        if home not in app.screen_stack:
            break  # the key left this screen for good (escape): nothing more to press
    return dead


@pytest.mark.parametrize("name", screens())
async def test_every_screen_its_help_its_share_code_and_every_key_its_footer_shows(name, runs_root):
    """One app per screen (they take a while to start): help first, then ctrl+s, then the
    footer's keys, which may leave the screen."""
    source = runs_folder(runs_root)
    folder = folder_of(name, runs_root)
    app = make_app(screen=name, run=opened(app=None, name=name), source=source, folder=folder)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        if isinstance(app.screen, HelpScreen):  # --screen help: the help of the screen under it
            app.pop_screen()
            await settle(pilot)
        await check_help(app, pilot, name)
        await check_share_code(app, pilot, name)
        dead = await dead_footer_keys(app, pilot, name)
    assert not dead, "\n".join(dead)


@pytest.mark.parametrize("name", ["samples", "latent"])
async def test_every_key_of_a_generative_runs_views_does_something(name, tmp_path):
    from tests.test_latent_view import latent_run
    from tests.test_samples_view import vae_run

    source = (vae_run if name == "samples" else latent_run)(tmp_path)
    app = make_app(screen=name, source=source)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert type(app.screen).__name__ != "HomeScreen"
        await check_help(app, pilot, name)
        await check_share_code(app, pilot, name)
        dead = await dead_footer_keys(app, pilot, name)
    assert not dead, "\n".join(dead)


async def check_help(app, pilot, name: str) -> None:
    """Help over this screen lists every key its footer shows, each as the footer writes it,
    and nothing that is not bound on the app, the screen or one of its widgets."""
    screen = app.screen
    footer = footer_keys(screen)
    nodes = [app, screen, *screen.query("*")]
    app.action_help()
    await settle(pilot)
    assert isinstance(app.screen, HelpScreen)
    rows = app.screen.rows
    listed = {(key, row.description) for row in rows for key in row.keys}
    for _, binding, _, _ in footer:
        shown = (app.get_key_display(binding), binding.description)  # as the footer has it
        assert shown in listed, f"{name}: the footer's {shown} is not in help"
    for row in rows:
        for binding in row.bindings:
            assert any(binding in dict(node._bindings.key_to_bindings).get(binding.key, [])
                       for node in nodes), f"{name}: help's {row} is bound nowhere"  # fmt: skip
    await pilot.press("escape")
    await settle(pilot)
    assert app.screen is screen


async def check_share_code(app, pilot, name: str) -> None:
    """ctrl+s shows a code, and what it names opens (here and on a classmate's machine)."""
    screen = app.screen
    await pilot.press("ctrl+s")
    await settle(pilot)
    assert isinstance(app.screen, ShareCode), (name, [n.message for n in app._notifications])
    shared = decode(app.screen.code)
    if shared.target.kind != "lesson":
        check_target(shared.target)
    await pilot.press("escape")
    await settle(pilot)
    assert app.screen is screen


async def test_help_follows_the_screen():
    from tests.fakes import FakeRunSource

    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.action_help()
        await settle(pilot)
        home = {(row.shown_keys, row.description) for row in app.screen.rows}
        await pilot.press("escape", "l")
        await settle(pilot)
        app.action_help()
        await settle(pilot)
        lab = {(row.shown_keys, row.description) for row in app.screen.rows}
    assert ("l", "Lab") in home and ("l", "Lab") not in lab
    assert ("^r", "Start run") in lab and ("^r", "Start run") not in home
    assert ("^s", "Share code") in home & lab


def cursors_off_the_end(screen) -> list[str]:
    from textual.widgets import Input

    return [
        f"#{field.id}={field.value!r} at {field.cursor_position}"
        for field in screen.query(Input)
        if field.cursor_position != len(field.value)
    ]


async def test_a_form_the_app_fills_leaves_each_cursor_at_the_end():
    from tests.fakes import FakeRunSource
    from tui_dl.lessons.share.codes import Shared, encode
    from tui_dl.lessons.tries import Target
    from tui_dl.ui.tries import open_target
    from tui_dl.ui.widgets.run.run_form import RunForm

    app = make_app(source=FakeRunSource([]))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        app.open_lab("fashion-gan")  # ctrl+t: a field that held "0" now holds "13000"
        await settle(pilot)
        await pilot.press("ctrl+t")
        await settle(pilot)
        form = app.screen.query_one(RunForm)
        limit = form.field("train_limit")
        assert len(limit.value) > 1 and not cursors_off_the_end(app.screen)
        before = limit.value
        limit.focus()
        await pilot.press("backspace")
        assert limit.value == before[:-1]  # not "4000" from "14000"
        await pilot.press("ctrl+u", *"2000")
        assert limit.value == "2000"  # not "20006000"
        app.switch_to_home()
        await settle(pilot)
        # a try key (the lesson's words), then a share code, then a sweep's grid
        await open_target(app, Target("lab", "mnist-mlp", (("epochs", "12"),)))
        await settle(pilot)
        assert not cursors_off_the_end(app.screen)
        app.switch_to_home()
        code = Shared(Target("lab", "mnist-mlp", (("epochs", "14"), ("hidden_units", "1024"))))
        app.action_open_code(encode(code))
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(RunForm).field("epochs").value == "14"
        assert not cursors_off_the_end(app.screen)
        notes = [n.message for n in app._notifications]
        assert "From the share code: epochs 14, hidden_units 1024. ctrl+r trains." in notes
        app.switch_to_home()
        sweep = Target("sweep", "mnist-mlp", (("learning_rates", "0.1,0.001"),))
        await open_target(app, sweep, origin="the course map")
        await settle(pilot)
        assert not cursors_off_the_end(app.screen), cursors_off_the_end(app.screen)
        assert any(n.message.startswith("From the course map: rate 0.1, 0.001 × batch")
                   for n in app._notifications)  # fmt: skip


@pytest.mark.parametrize("name", [n for n in screens() if n.startswith("lesson:")])
async def test_every_page_of_a_lesson_offers_only_keys_that_are_there(name):
    """Each page, its widget focused and not: every footer key names an action that exists
    and is enabled there (pressing each is the test above, on the first page)."""
    from tests.fakes import FakeRunSource

    app = make_app(screen=name, source=FakeRunSource([]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lesson = app.screen
        wrong = []
        for page in range(lesson.pages):
            lesson.show_page(page)
            await calm(pilot)
            for focus in range(2):
                for key, binding, enabled, node in footer_keys(lesson):
                    where = f"{name} page {page + 1}: {key} ({binding.description})"
                    if not implemented(node, binding.action):
                        wrong.append(f"{where} names no action")
                    elif not enabled:
                        wrong.append(f"{where} is shown but disabled")
                if focus == 0:
                    await pilot.press("tab")  # text ↔ widget
                    await calm(pilot)
    assert not wrong, "\n".join(wrong)
