"""The one boundary: the app never loads TensorFlow/Keras; the engine never loads Textual."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tui_dl"


def modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def heavy(modules: set[str], roots: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in roots)


def test_the_app_and_cli_import_no_tensorflow():
    loaded = modules_after(
        "import tui_dl.cli, tui_dl.ui.app, tui_dl.ui.screens, tui_dl.cli.run, tui_dl.data\n"
        "from tui_dl.ui.app import make_app\nmake_app()"
    )
    assert "textual" in loaded
    assert heavy(loaded, ("tensorflow", "keras", "tf_keras")) == []


def test_the_engine_imports_no_textual():
    loaded = modules_after(
        "import tui_dl.engine, tui_dl.engine.jobs.child, tui_dl.engine.trainers.reporter\n"
        "import tui_dl.engine.trainers.images, tui_dl.analysis.report, tui_dl.data\n"
        "import tui_dl.engine.jobs.insight_child, tui_dl.engine.jobs.insight_tasks, tui_dl.analysis"
    )
    assert "keras" in loaded  # the trainer really was imported
    assert heavy(loaded, ("textual",)) == []


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_ui_module_mentions_tensorflow_even_lazily():
    for path in (PACKAGE / "ui").rglob("*.py"):
        assert not imports_of(path) & {"tensorflow", "keras"}, path


def test_no_engine_module_mentions_textual():
    engine_side = ("engine", "data", "analysis")
    for path in [p for folder in engine_side for p in (PACKAGE / folder).rglob("*.py")]:
        assert "textual" not in imports_of(path), path


def test_the_first_frame_imports_only_the_home_screen():
    # What the home screen paints from; the rest is imported after it (registry.preload).
    loaded = modules_after("import tui_dl.ui.app")
    ours = {m for m in loaded if m.startswith("tui_dl.")}
    other_screens = {m for m in ours if m.startswith("tui_dl.ui.screens.")} - {
        "tui_dl.ui.screens.home",
        "tui_dl.ui.screens.app_screen",
    }
    assert other_screens == set()
    # Home paints with two light widgets of its own (rich and Textual only): its footer, which
    # fits its keys to the width, and its lists' rows; no other widget or dialog comes before.
    home_widgets = {"tui_dl.ui.widgets", "tui_dl.ui.widgets.keys_footer"}
    home_widgets.add("tui_dl.ui.widgets.rows_list")
    widgets = {m for m in ours if m.startswith(("tui_dl.ui.widgets", "tui_dl.ui.dialogs"))}
    assert widgets - home_widgets == set()
    assert not {m for m in ours if m.startswith(("tui_dl.engine.jobs", "tui_dl.engine.sweeps"))}
    assert heavy(loaded, ("numpy", "pandas", "sklearn", "plotext", "PIL")) == []
    assert "tui_dl.data.status" not in ours
    # What home lists is worked out by a plain start's helper process (ui.home_listing): the
    # lessons' and the catalogue's modules are imported only where it is worked out here.
    assert not {m for m in ours if m.startswith(("tui_dl.lessons", "tui_dl.engine.experiments"))}


def test_a_plain_start_reads_no_grammar_and_opens_no_run_store_before_the_first_frame():
    # `tui-dl` alone up to `App.run`: the command line needs no parser, and the run store
    # (with the hashing behind a new run's id) is opened by home's run list, after the frame.
    loaded = modules_after(
        "import tui_dl.ui.app\ntui_dl.ui.app.TuiDlApp.run = lambda self: None\n"
        "import tui_dl.cli\ntui_dl.cli.main([])"
    )
    assert "tui_dl.ui.screens.home" in loaded  # the start really came as far as the app
    assert {"argparse", "tui_dl.cli.parser", "tui_dl.engine.store", "secrets"} & loaded == set()


# ----- the UI's own imports: one way ------------------------------------------------------------
UI = PACKAGE / "ui"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def run_time_imports(tree: ast.AST) -> list[str]:
    """Every module a file imports when it runs, at the top or inside a function; what only
    `if TYPE_CHECKING:` imports is for the type checker and is left out."""
    names: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit_one(other)
            else:
                visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from tui_dl.ui import registry` imports the module `tui_dl.ui.registry`
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
            names.append(node.module)
        visit(node)

    visit(tree)
    return names


def ui_import_graph() -> dict[str, set[str]]:
    """Module → the modules of tui_dl.ui it imports, read from the source."""
    modules = {module_name(path): path for path in UI.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found = set()
        for imported in run_time_imports(ast.parse(path.read_text())):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                found.add(imported)
        graph[name] = found
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each group of modules that import one another (directly or through others)."""
    reach = {node: reachable(graph, node) for node in graph}
    groups: list[list[str]] = []
    for node in sorted(graph):
        if node in reach[node] and not any(node in group for group in groups):
            groups.append(sorted(other for other in reach[node] if node in reach[other]))
    return groups


def test_the_import_graph_finds_a_loop():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert loops(graph) == [["a", "b", "c"]]
    assert loops({"a": {"b"}, "b": set()}) == []
    tree = ast.parse(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import x\n"
        "def f():\n    from tui_dl.ui import registry\n"
    )
    assert "x" not in run_time_imports(tree)
    assert "tui_dl.ui.registry" in run_time_imports(tree)


def test_no_loop_among_the_ui_modules():
    """Navigation one way: no module of tui_dl.ui imports, at any depth and however lazily,
    one that imports it back (imports for the type checker aside)."""
    graph = ui_import_graph()
    assert "tui_dl.ui.registry" in graph["tui_dl.ui.tries"]  # the graph is read
    assert loops(graph) == []
