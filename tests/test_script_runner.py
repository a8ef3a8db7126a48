"""The script runner (tests/script_runner.py) gives a script what `python script.py` would:
its arguments, folder, environment and exit status, its output apart, no `tui_dl`, none of
the runner's names, and a death by a signal as one."""

from __future__ import annotations

import pytest

from tests.script_runner import run_script

SCRIPT = """
import os, sys
print("argv", sys.argv[1:], "cwd", os.path.basename(os.getcwd()), "env", os.environ["SEEN"])
print("stdin", repr(sys.stdin.read()))
print("said on stderr", file=sys.stderr)
print("names", sorted(n for n in globals() if not n.startswith("__")))
try:
    import tui_dl
except ImportError:
    print("no tui_dl")
if sys.argv[1] == "kill":
    os.kill(os.getpid(), 9)
if sys.argv[1] == "undefined":
    tf.constant(1)  # never imported by this script: a NameError, as in a fresh interpreter
sys.exit(int(sys.argv[1]) if sys.argv[1].isdigit() else 0)
"""


@pytest.mark.slow
def test_a_script_meets_what_python_would_give_it(tmp_path):
    folder = tmp_path / "here"
    folder.mkdir()
    script = folder / "s.py"
    script.write_text(SCRIPT)
    done = run_script(script, "3", cwd=folder, env={"SEEN": "yes"})
    assert done.returncode == 3
    lines = done.stdout.splitlines()
    assert lines[0] == "argv ['3'] cwd here env yes"
    assert lines[1:] == ["stdin ''", "names ['os', 'sys']", "no tui_dl"]
    assert done.stderr == "said on stderr\n"
    undefined = run_script(script, "undefined", cwd=folder, env={"SEEN": "yes"})
    assert undefined.returncode == 1 and "NameError: name 'tf' is not defined" in undefined.stderr
    assert run_script(script, "kill", cwd=folder, env={"SEEN": "yes"}).returncode == -9
