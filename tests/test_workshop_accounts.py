"""A workshop on real Unix accounts: an instructor and two learners in one group, the folder
made by `tui-dl workshop init` as root — and the learners trying what issue 22 found.

Each step runs as its user through `runuser`, so the kernel, not tui-dl, decides what each
may write: that is the design (who did something is who owns the file). Needs root and
useradd; elsewhere it is skipped with the reason, and CI (TUI_DL_REQUIRE_MULTIUSER=1, set by
.ci/run, which runs as root) fails instead of skipping. The runs train nothing: the queue
tests' TensorFlow-free trainer (tests/queue_trainer.py) reports like a real one.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GROUP = "tdlclass"
TEACH, ANA, BO = "tdlteach", "tdlana", "tdlbo"
HOMES = Path("/var/tmp/tui-dl-test-homes")


def _why_not() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "needs root, to make Unix accounts (CI runs as root)"
    for tool in ("useradd", "groupadd", "runuser"):
        if shutil.which(tool) is None:
            return f"needs {tool}"
    return None


REASON = _why_not()
if REASON and os.environ.get("TUI_DL_REQUIRE_MULTIUSER") == "1":
    pytest.fail(f"the multi-user workshop test must run here: {REASON}", pytrace=False)
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def _ensure_account(user: str) -> Path:
    home = HOMES / user
    try:
        pwd.getpwnam(user)
    except KeyError:
        subprocess.run(["useradd", "-M", "-N", "-g", GROUP, "-d", str(home), "-s", "/bin/sh",
                        user], check=True)  # fmt: skip
    subprocess.run(["usermod", "-g", GROUP, user], check=True)
    entry = pwd.getpwnam(user)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o700)
    return home


def _python() -> list[str]:
    """A Python the test's users can run with the project's packages: this one where they
    can reach it, else the system's own 3.x of the same minor version with the packages'
    folder on its path (a pyenv under /root is closed to other users)."""
    probe = subprocess.run(["runuser", "-u", ANA, "--", sys.executable, "-c", "pass"],
                           capture_output=True)  # fmt: skip
    if probe.returncode == 0:
        return [sys.executable]
    system = shutil.which("python3", path="/usr/bin:/bin")
    if system is None:
        pytest.fail("no Python the test users can run (this one is in a closed folder)")
    version = subprocess.run([system, "-c", "import sys; print(sys.version_info[:2])"],
                             capture_output=True, text=True).stdout.strip()  # fmt: skip
    if version != str(sys.version_info[:2]):
        pytest.fail(f"the system's python3 is {version}, not {sys.version_info[:2]}")
    return [system]


NEEDED = ("rich", "markdown_it", "mdurl", "pygments", "platformdirs", "numpy", "numpy.libs",
          "pynvml.py", "typing_extensions.py")  # fmt: skip
"""What the learners' commands import from site-packages (tui-dl's CLI, the queue's trainer)."""


def _code_for_learners(copy_to: Path) -> list[str]:
    """Where the test's users find tui-dl and its packages: this checkout, when they can read
    it; else (a checkout in root's closed home, as a CI clone may be) a copy of what the
    commands import, in the test's own open folder."""
    site = [p for p in sys.path if p.endswith("site-packages")]
    here = [str(ROOT), *site]
    probe = ["runuser", "-u", ANA, "--", "test", "-r", str(ROOT / "tui_dl" / "__init__.py")]
    numpy = Path(__import__("numpy").__file__).parent
    probe_site = ["runuser", "-u", ANA, "--", "test", "-r", str(numpy / "__init__.py")]
    closed = os.environ.get("TUI_DL_TEST_COPY_CODE") == "1"  # to test the copy here
    if not closed and all(subprocess.run(p).returncode == 0 for p in (probe, probe_site)):
        return here
    packages = copy_to / "site-packages"
    packages.mkdir(parents=True)
    shutil.copytree(ROOT / "tui_dl", copy_to / "tui_dl")
    (copy_to / "tests").mkdir()
    shutil.copy(ROOT / "tests" / "queue_trainer.py", copy_to / "tests")
    for name in NEEDED:
        found = next((Path(p) / name for p in site if (Path(p) / name).exists()), None)
        if found is None:
            continue
        if found.is_dir():
            shutil.copytree(found, packages / name)
        else:
            shutil.copy(found, packages / name)
    subprocess.run(["chmod", "-R", "a+rX", str(copy_to)], check=True)
    return [str(copy_to), str(packages)]


@pytest.fixture(scope="module")
def room():
    subprocess.run(["groupadd", "-f", GROUP], check=True)
    homes = {user: _ensure_account(user) for user in (TEACH, ANA, BO)}
    HOMES.chmod(0o755)
    folder = Path(tempfile.mkdtemp(prefix="tui-dl-workshop-", dir="/tmp"))
    folder.chmod(0o755)
    workshop = folder / "class"
    python = _python()
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.pathsep.join(_code_for_learners(folder / "code")),
        "TUI_DL_WORKSHOP": str(workshop),
        "TUI_DL_NICE": "0",
        "TUI_DL_CPU_SLOTS": "8",
        "TUI_DL_TEST_TRAINER": "tests.queue_trainer:train",
        "TUI_DL_TEST_SECONDS": "120",
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    room = Room(workshop, homes, python, env)
    # As root, naming the instructor, as the README says.
    done = room.tui("root", "workshop", "init", str(workshop), "--group", GROUP,
                    "--instructor", TEACH)  # fmt: skip
    assert done.returncode == 0, done.stderr
    # Checked as it was made: the module's later tests plant hand-made runs (a symlinked
    # events file among them) that `workshop check` rightly reports, in whatever order the
    # workers take the tests.
    room.first_check = room.tui(TEACH, "workshop", "check", str(workshop))
    yield room
    room.stop_all()
    shutil.rmtree(folder, ignore_errors=True)


class Room:
    def __init__(self, workshop: Path, homes: dict[str, Path], python: list[str], env: dict):
        self.workshop = workshop
        self.homes = homes
        self.python = python
        self.env = env
        self.started: list[Path] = []
        self.first_check: subprocess.CompletedProcess | None = None

    def run(self, user: str, *argv: str, check: bool = False) -> subprocess.CompletedProcess:
        home = self.homes.get(user, Path("/root"))
        env = {**self.env, "HOME": str(home), "TUI_DL_HOME": str(home / "tui-dl"),
               "TUI_DL_TEST_LEDGER": str(home / "ledger")}  # fmt: skip
        words = [f"{k}={v}" for k, v in env.items()]
        command = ["env", "-i", *words, *argv]
        if user != "root":
            command = ["runuser", "-u", user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120,
                              cwd=str(home))  # fmt: skip
        if check:
            assert done.returncode == 0, (argv, done.stdout, done.stderr)
        return done

    def tui(self, user: str, *args: str) -> subprocess.CompletedProcess:
        return self.run(user, *self.python, "-m", "tui_dl", *args)

    def py(self, user: str, code: str) -> subprocess.CompletedProcess:
        return self.run(user, *self.python, "-c", code, check=True)

    def launch(self, user: str) -> Path:
        """A run of `user`'s, training (the test trainer) for two minutes."""
        done = self.py(user, "from tui_dl.engine.jobs.launch import launch_run\n"
                             "print(launch_run('mnist-mlp', {'epochs': 1}).run_dir)")  # fmt: skip
        run_dir = Path(done.stdout.strip().splitlines()[-1])
        self.started.append(run_dir)
        self.wait_for(run_dir, "started")
        return run_dir

    def events(self, run_dir: Path) -> list[dict]:
        path = run_dir / "events.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def wait_for(self, run_dir: Path, event: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if (run_dir / "events.jsonl").exists() and any(
                e.get("event") == event for e in self.events(run_dir)
            ):
                return
            time.sleep(0.1)
        log = (run_dir / "log.txt").read_text() if (run_dir / "log.txt").exists() else ""
        raise AssertionError(f"{run_dir.name}: no {event!r} event in {timeout} s\n{log}")

    def stop_all(self) -> None:
        for run_dir in self.started:
            try:
                pid = int((run_dir / "pid").read_text())
                os.killpg(pid, signal.SIGKILL)
            except (OSError, ValueError):
                pass

    def class_json(self, user: str = TEACH) -> dict:
        done = self.tui(user, "class", "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])


def person(data: dict, run_id: str) -> dict:
    return next(p for p in data["people"] if p.get("run", {}).get("id") == run_id)


def status_of(room: Room, run_id: str, user: str = TEACH) -> str:
    """A run's status as `user` reads it (`tui-dl runs --json`)."""
    done = room.tui(user, "runs", "--json")
    assert done.returncode == 0, done.stderr
    return next(r["status"] for r in json.loads(done.stdout) if r["run_id"] == run_id)


def hand_made_run(room: Room, user: str, name: str, events: list[dict], pid: str = "") -> Path:
    """A run folder a learner makes by hand (their own folder: they may)."""
    run_dir = room.workshop / "runs" / name
    spec = {
        "experiment": "mnist-mlp",
        "params": {"epochs": 1},
        "device": "cpu",
        "owner": {"user": ANA, "name": "Ana"},
        "run_id": name,
        "created": time.time(),
    }
    lines = "".join(json.dumps(e) + "\n" for e in events)
    script = (
        "import json, os, sys\n"
        f"d = {str(run_dir)!r}\n"
        "os.mkdir(d)\n"
        f"open(os.path.join(d, 'spec.json'), 'w').write({json.dumps(spec)!r})\n"
        f"open(os.path.join(d, 'events.jsonl'), 'w').write({lines!r})\n"
        f"pid = {pid!r}\n"
        "if pid: open(os.path.join(d, 'pid'), 'w').write(pid)\n"
    )
    room.py(user, script)
    return run_dir


STARTED = {"event": "started", "t": 1.0, "devices": [], "device": "cpu", "dataset": "mnist",
           "data_source": "offline sample",
           "reference": {"metric": "test_accuracy", "value": 0.98, "text": "98 %"}}  # fmt: skip


def test_the_folder_is_set_up_and_checked(room):
    teach = pwd.getpwnam(TEACH).pw_uid
    assert (room.workshop / "workshop.json").stat().st_uid == teach
    done = room.first_check
    assert done is not None and done.returncode == 0, done and done.stdout
    assert "Nothing here that a learner could alter" in done.stdout


def test_a_learner_cannot_touch_anothers_run_or_the_instructors_files(room):
    run = room.launch(ANA)
    bo_tries = {
        "cancel file": f"touch {run}/cancel",
        "remove the run": f"rm -rf {run}",
        "rewrite its events": f"echo '{{}}' > {run}/events.jsonl",
        "rename the run": f"mv {run} {run}-gone",
        "become the instructor": f'echo \'{{"instructor": "{BO}"}}\' > {room.workshop}/'
        "workshop.json",
        "replace the record": f"rm -f {room.workshop}/workshop.json",
        "write the board": f'echo \'{{"code": "x", "at": 1}}\' > {room.workshop}/board.json',
        "set the queue's limits": f"echo '{{\"cpu_slots\": 99}}' > {room.workshop}/queue/"
        "config.json.x && mv {room.workshop}/queue/config.json.x "
        f"{room.workshop}/queue/config.json",
        "remove a slot": f"rm -f {room.workshop}/queue/cpu/slot-0",
    }
    for what, command in bo_tries.items():
        done = room.run(BO, "sh", "-c", command)
        assert done.returncode != 0 or what == "set the queue's limits", what
    assert run.is_dir() and (run / "events.jsonl").read_text().startswith("{")
    assert (room.workshop / "workshop.json").stat().st_uid == pwd.getpwnam(TEACH).pw_uid
    # Bo's own config.json in the queue's shared folder is not the instructor's: ignored.
    limits = room.tui(BO, "queue", "--json")
    assert json.loads(limits.stdout)["limits"]["cpu_slots"] == 8  # the environment's
    room.run("root", "rm", "-f", f"{room.workshop}/queue/config.json")
    # A request in cancels/ is obeyed only from the run's owner or the instructor.
    room.run(
        BO,
        "touch",
        f"{room.workshop}/cancels/{run.name}",
    )
    time.sleep(1.5)
    assert not any(e["event"] == "cancelled" for e in room.events(run))
    refused = room.tui(BO, "cancel", run.name)
    assert refused.returncode == 1 and TEACH not in refused.stderr
    assert ANA in refused.stderr  # says whose it is
    # The instructor's cancel is a request the run obeys (no signal crosses users).
    done = room.tui(TEACH, "cancel", run.name)
    assert done.returncode == 0, (done.stdout, done.stderr)
    room.wait_for(run, "cancelled", timeout=10)
    cancelled = [e for e in room.events(run) if e["event"] == "cancelled"]
    assert cancelled and cancelled[-1]["by"] == "request"


def test_a_hand_made_run_is_its_makers_whatever_it_says(room):
    finished = {"event": "finished", "t": 2.0, "metrics": {"test_accuracy": 0.999},
                "duration_s": 1.0, "data_source": "offline sample", "device": "cpu",
                "artifacts": {}}  # fmt: skip
    hand_made_run(room, BO, "20260101-090000-mnist-mlp-f0f0", [STARTED, finished])
    data = room.class_json()
    bo = next(p for p in data["people"] if p["user"] == BO)
    assert bo["name"] == BO and bo["runs"] >= 1  # Bo's run, whatever its spec says
    board = data["leaderboards"]["mnist-mlp"]
    assert [entry["name"] for entry in board] == [BO]  # not on Ana's line


def test_a_symlinked_events_file_never_writes_into_the_instructors_home(room):
    bashrc = room.homes[TEACH] / ".bashrc"
    room.py(TEACH, f"open({str(bashrc)!r}, 'w').write('# the instructor\\'s\\n')")
    name = "20260101-080000-mnist-mlp-$(touch${IFS}PWNED)"
    run = hand_made_run(room, ANA, name, [STARTED], pid="999999")
    room.run(ANA, "sh", "-c", f"rm '{run}/events.jsonl' && ln -s {bashrc} '{run}/events.jsonl'")
    for args in (("class", "--json"), ("class",), ("runs",), ("queue",)):
        done = room.tui(TEACH, *args)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr
    assert bashrc.read_text() == "# the instructor's\n"
    assert not list(room.homes[TEACH].glob("PWNED")) and not Path("PWNED").exists()


def test_a_pid_of_minus_one_is_never_signalled(room):
    sentinel = subprocess.Popen(["runuser", "-u", TEACH, "--", "sleep", "60"])
    try:
        progress = {"event": "progress", "t": 2.0, "epoch": 1, "epochs": 300, "batch": 1,
                    "steps": 40, "samples": 100, "samples_per_s": 10.0, "eta_s": 100.0,
                    "elapsed_s": 1.0, "loss": 1.0}  # fmt: skip
        for index, pid in enumerate(("-1", "0", "1", "99999999999999999999")):
            name = f"20260101-07000{index}-mnist-mlp-pid{index}"
            run = hand_made_run(room, ANA, name, [STARTED, progress], pid=pid)
            assert status_of(room, run.name) != "running"  # not a proven pid
            done = room.tui(TEACH, "cancel", run.name)
            assert "Traceback" not in done.stderr
            time.sleep(0.2)
            assert sentinel.poll() is None, f"pid {pid}: the instructor's own process died"
    finally:
        sentinel.kill()
        sentinel.wait()


def test_a_learners_dead_run_shows_as_lost_and_is_left_as_it_was(room):
    run = room.launch(ANA)
    pid = int((run / "pid").read_text())
    os.killpg(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    before = (run / "events.jsonl").read_bytes()
    assert status_of(room, run.name) == "failed"  # process lost, not dropped
    assert (run / "events.jsonl").read_bytes() == before  # the instructor wrote nothing


def test_only_the_instructor_turns_the_seats_spares_on(room):
    """Each spare holds TensorFlow's memory for nobody yet: in a workshop it is the
    instructor's choice, recorded in the instructor's workshop.json."""
    refused = room.tui(ANA, "workshop", "spare", str(room.workshop), "on")
    assert refused.returncode == 2 and f"only the instructor ({TEACH})" in refused.stderr
    ask = "from tui_dl.engine.spare.pool import refusal; print(refusal())"
    assert "until the instructor turns it on" in room.py(ANA, ask).stdout
    done = room.tui(TEACH, "workshop", "spare", str(room.workshop), "on")
    assert done.returncode == 0 and "0.7 GB" in done.stdout, done.stderr
    record = room.workshop / "workshop.json"
    assert record.stat().st_uid == pwd.getpwnam(TEACH).pw_uid  # still the instructor's
    assert room.py(ANA, ask).stdout.strip() == "None"  # on for every learner now
    room.tui(TEACH, "workshop", "spare", str(room.workshop), "off")
    assert "until the instructor turns it on" in room.py(BO, ask).stdout


def test_a_learners_run_served_by_a_spare_is_proven_live_to_the_instructor(room):
    """A spare started before its run existed: taking it, it names the run's folder in its
    own command line, which the instructor's process can read (not its working folder)."""
    done = room.py(
        ANA,
        "import time\n"
        "from tui_dl.engine.jobs.launch import launch_run\n"
        "from tui_dl.engine.spare.pool import SparePool\n"
        "pool = SparePool()\n"
        "pool.start('cpu')\n"
        "log = pool.ready().log\n"
        "while 'waiting for a run' not in log.read_text(): time.sleep(0.1)\n"
        "handle = launch_run('mnist-mlp', {'epochs': 1}, spare=pool)\n"
        "print(handle.process.pid, handle.run_dir)\n",
    )
    pid, folder = done.stdout.strip().splitlines()[-1].split(" ", 1)
    run = Path(folder)
    room.started.append(run)
    room.wait_for(run, "started")
    assert int((run / "pid").read_text()) == int(pid)
    assert status_of(room, run.name) == "running"  # the instructor's view: live, not lost
    ask = (
        "from pathlib import Path\n"
        "from tui_dl.engine.store import pid_alive\n"
        f"print(pid_alive({pid}, Path({str(run)!r})))\n"
    )
    assert room.py(TEACH, ask).stdout.strip() == "True"
    assert room.py(BO, ask).stdout.strip() == "True"
