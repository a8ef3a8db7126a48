"""Every test gets its own tui-dl home, Keras cache and system-data folder: no test reads
or writes the user's runs, and none depends on what this machine happens to have.

And every event a real process wrote during a test (a run's child, a job, a sweep's driver)
is held to the engine's event vocabulary afterwards: a trainer that emits a field the
vocabulary does not name fails the test that ran it.
"""

from __future__ import annotations

import atexit
import json
import os
from pathlib import Path

import pytest

from tui_dl.engine import runfiles
from tui_dl.engine.events import JOB_EVENTS, RUN_EVENTS, SWEEP_EVENTS, Vocabulary, check_event


def pytest_configure(config):
    """Pilot's idle wait (`pause()`, `press`) in 5 ms slices, each idle under 0.25 ms of CPU:
    Textual's 20 ms and 1 ms are the same 5 %, looked at four times as often, so a still app is
    seen still sooner. A test waiting for something that keeps the app busy (a play loop) waits
    for that, not for the idle wait to run out."""
    import textual._wait

    textual._wait.SLEEP_GRANULARITY = 0.005
    textual._wait.SLEEP_IDLE = 0.00025
    _share_parsed_css()
    _share_parsed_sample()
    _freeze_between_tests()
    if not hasattr(config, "workerinput"):  # once, in the process that starts the workers
        _compile_once()


def _compile_once() -> None:
    """Byte-compile tui_dl and the tests before any test process imports them. Where
    PYTHONDONTWRITEBYTECODE is set (this machine's environment has it), Python never writes
    its .pyc files, so a clean clone's every process — each worker, each run's or job's
    child, each CLI the tests start — compiled every module it imported again."""
    import compileall

    for folder in ("tui_dl", "tests"):
        compileall.compile_dir(ROOT / folder, quiet=2, workers=1)


def _freeze_between_tests() -> None:
    """The app freezes what its process holds once it has started and thaws it at its close
    (`tui_dl.ui.idle_gc`). A test process runs hundreds of apps: each thaw gave the collector
    back every object of every earlier test (half a million and growing), and each full
    collection after it walked them all, 0.3 s a time — a sixth of a random-keys walk. Here
    the suite freezes instead, between tests (`pytest_runtest_protocol`), and the apps do not."""
    from tui_dl.ui import idle_gc

    idle_gc.FREEZES = False


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """Before each test: collect what the last one left (its app, its fixtures: a full pass
    over what it made, since all before it is frozen), then freeze what is left. A test sees
    no frozen object die; an object frozen here that a later test drops is never collected,
    and the few that do (module fixtures) are small."""
    import gc

    gc.collect()
    gc.freeze()


_PARSED_CSS: dict[tuple, list] = {}


def _share_parsed_css() -> None:
    """Each app parses its styles (its files, every widget's DEFAULT_CSS) into rules once and
    keeps them for its own life; a learner's process has one app, a test process hundreds, each
    parsing the same text again: a quarter of a second a test. Here the parsed rules of a text
    (with the theme's variables it was parsed under) are shared by every app of the process.
    Rules are read, never changed, once parsed; a text that does not parse raises as before."""
    from textual.css.stylesheet import Stylesheet

    parse_rules = Stylesheet._parse_rules

    def shared(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        variables = tuple(sorted(self._variables.items()))
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
        rules = _PARSED_CSS.get(key)
        if rules is None:
            rules = parse_rules(self, css, read_from, is_default_rules, tie_breaker, scope)
            _PARSED_CSS[key] = rules
        return rules

    Stylesheet._parse_rules = shared  # type: ignore[method-assign]


_PARSED_SAMPLES: dict[tuple, tuple] = {}


def _share_parsed_sample() -> None:
    """The offline MNIST sample is a CSV that takes a quarter of a second to parse (over a
    second on a loaded machine). A learner parses it once: the split is kept in their tui-dl
    home. Every test has a home of its own, so every test that draws digits parsed it again:
    here the parse of one file (its path, size and time) is done once per test process and
    each caller gets its own copy of the arrays. The cache in the home is still written and
    read as a learner's is (tests/test_data.py checks that path, on CSVs of its own)."""
    from tui_dl.data import images

    parse = images.parse_mnist_sample

    def shared(path):
        info = Path(path).stat()
        key = (str(Path(path).resolve()), info.st_size, info.st_mtime_ns)
        arrays = _PARSED_SAMPLES.get(key)
        if arrays is None:
            arrays = _PARSED_SAMPLES[key] = parse(path)
        return tuple(a.copy() for a in arrays)

    images.parse_mnist_sample = shared


SHARED_DATA = os.environ.get("TUI_DL_DATA")
"""The real datasets (CI points this at ../shared/datasets), saved before isolation."""


def written_events(home: Path) -> list[tuple[Path, Vocabulary]]:
    """Every events file under a tui-dl home, with the vocabulary its folder speaks."""
    found = [(p, RUN_EVENTS) for p in home.glob(f"runs/*/{runfiles.EVENTS}")]
    found += [(p, JOB_EVENTS) for p in home.glob(f"runs/*/{runfiles.JOBS}/*/{runfiles.EVENTS}")]
    found += [(p, SWEEP_EVENTS) for p in home.glob(f"sweeps/*/{runfiles.EVENTS}")]
    found += [(p, JOB_EVENTS) for p in home.glob(f"lr-find/*/{runfiles.EVENTS}")]
    return found


def vocabulary_problems(home: Path) -> list[str]:
    problems = []
    for path, vocabulary in written_events(home):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a torn line from a killed writer: readers skip it too
            problems += [f"{path}:{number}: {p}" for p in check_event(record, vocabulary)]
    return problems


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_DL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.setenv("TUI_DL_SYSTEM_DATA", str(tmp_path / "system"))
    monkeypatch.setenv("TUI_DL_OFFLINE", "1")
    monkeypatch.setenv("TUI_DL_SPARE", "0")  # no warm TensorFlow behind every app test
    # The suite's children at the suite's own priority. Niced (the app's default, for a
    # learner's keys), each TensorFlow start waited behind whatever else the machine ran:
    # on this shared 2-core machine a tiny VAE's "starting TensorFlow" took 61 s of its
    # 147 s. No test looks at a child's niceness; a test may still set its own.
    monkeypatch.setenv("TUI_DL_NICE", "0")
    monkeypatch.delenv("TUI_DL_DATA", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    for name in (
        "TUI_DL_WORKSHOP",
        "TUI_DL_SEAT",
        "TUI_DL_CPU_SLOTS",
        "TUI_DL_GPU_SLOTS",
        "TUI_DL_GPU_MEMORY_MB",
        "TUI_DL_TEST_TRAINER",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "learner")  # the choices' shown order
    yield tmp_path
    problems = vocabulary_problems(tmp_path / "home")
    assert not problems, "events outside the vocabulary:\n" + "\n".join(problems[:20])


ROOT = Path(__file__).resolve().parents[1]


class SuiteSpare:
    """One warm spare per test process, shared by every test whose launch names none (a run,
    a job): each run is a fork of it, as a learner's second run is of the app's spare, with
    the environment its own test set. A learner's first run in an app pays TensorFlow's
    import; the suite paid it for every run, about a hundred imports of ~7 s of CPU each.

    Cold starts are still tested: a test marked `cold` (and every test that stubs the child
    spawner, or hands its own pool) starts cold children as before; the CLI's runs, a sweep's
    driver and its cells, exported scripts and Ray's workers are their own processes."""

    pool = None
    started = False

    @classmethod
    def get(cls):
        if cls.started:
            return cls.pool
        cls.started = True
        import tempfile

        from tui_dl.engine.spare.pool import SparePool

        home = Path(tempfile.mkdtemp(prefix="tui-dl-suite-spare-"))
        spawn_env = {
            "TUI_DL_HOME": str(home / "home"),
            "KERAS_HOME": str(home / "keras"),  # Keras reads it once, at import
            "TUI_DL_NICE": "0",
            # The tests' fake trainers (queue_trainer) are imported by the forks.
            "PYTHONPATH": f"{ROOT / 'tests'}{os.pathsep}{ROOT}",
        }
        saved = {name: os.environ.get(name) for name in spawn_env}
        os.environ.update(spawn_env)
        try:
            pool = SparePool(home)
            pool.start("cpu")
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        if pool.wait_ready(180):
            cls.pool = pool  # forks only: never a hand-over mid-import
        if cls.pool is None:
            pool.close()
        else:
            atexit.register(pool.close)
        return cls.pool


@pytest.fixture(autouse=True)
def warm_launches(request, monkeypatch):
    """Launches that name no spare are handed to the suite's (see SuiteSpare), unless the
    test is marked `cold` or has put its own child spawner in place."""
    if request.node.get_closest_marker("cold"):
        return
    from tui_dl.engine.jobs import launch

    served, spawn = launch.served, launch.spawn_child

    def warm(spare, order, device, module, args, env):
        if spare is None and launch.spawn_child is spawn and order["kind"] in ("run", "job"):
            spare = SuiteSpare.get()
        return served(spare, order, device, module, args, env)

    for holder in holders_of(served):  # `from … import served` binds its own name
        monkeypatch.setattr(holder, "served", warm)


def holders_of(served) -> list:
    import sys

    return [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("tui_dl.engine") and getattr(module, "served", None) is served
    ]


@pytest.fixture
def fake_trainer(tmp_path, monkeypatch):
    """Runs that sleep where a model would train (tests/queue_trainer.py), each noting in the
    returned ledger when it held its slot. A child (or a spare) reads these from its
    environment when it starts."""
    ledger = tmp_path / "ledger.txt"
    ledger.touch()
    monkeypatch.setenv("TUI_DL_TEST_TRAINER", "queue_trainer:train")
    monkeypatch.setenv("TUI_DL_TEST_LEDGER", str(ledger))
    monkeypatch.setenv("PYTHONPATH", f"{ROOT / 'tests'}{os.pathsep}{ROOT}")
    monkeypatch.setenv("TUI_DL_NICE", "0")
    return ledger
