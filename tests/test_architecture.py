"""The layout shows the architecture, and stays that way: the import contracts in pyproject.toml
(import-linter), no import cycles, small modules, package __init__ files that only re-export."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
MAX_LINES = 700
# The factory registers the `portal` commands on the app (for `flask --app app` and the test
# runner), and `portal` builds the app: both imports happen inside functions, at run time.
ALLOWED_CYCLES = [{"app", "app.cli"}]


def _lint_imports(config: Path) -> subprocess.CompletedProcess:
    # In its own process: import-linter's logging set-up disables the loggers already made.
    code = ("import sys; from importlinter.cli import lint_imports; "
            "sys.exit(lint_imports(config_filename=sys.argv[1], no_cache=True, no_logo=True))")
    return subprocess.run([sys.executable, "-c", code, str(config)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_the_import_contracts_hold():
    done = _lint_imports(ROOT / "pyproject.toml")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout and done.stdout.count("KEPT") >= 4, done.stdout


def test_the_linter_sees_a_broken_contract(tmp_path):
    """The contracts are not empty words: a contract the code breaks is reported broken."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "app"\n\n'
        '[[tool.importlinter.contracts]]\nname = "services never touch the database (false)"\n'
        'type = "forbidden"\nsource_modules = ["app.services"]\nforbidden_modules = ["app.db"]\n'
        "allow_indirect_imports = true\n")
    done = _lint_imports(config)
    assert done.returncode != 0 and "BROKEN" in done.stdout, done.stdout + done.stderr


def _cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """Strongly connected groups of modules (Tarjan), larger than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0

    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    found.append(group)
    return found


def test_no_module_imports_itself_round_a_cycle():
    graph = grimp.build_graph("app", cache_dir=None)
    assert [c for c in _cycles(graph) if c not in ALLOWED_CYCLES] == []


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("p", "p.a", "p.b", "p.c"):
        graph.add_module(name)
    graph.add_import(importer="p.a", imported="p.b")
    graph.add_import(importer="p.b", imported="p.a")
    graph.add_import(importer="p.c", imported="p.a")
    assert _cycles(graph) == [{"p.a", "p.b"}]


@pytest.mark.parametrize("path", sorted(APP.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_longer_than_700_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


@pytest.mark.parametrize("package", ["ingest", "tables", "search"])
def test_a_package_init_only_re_exports(package):
    tree = ast.parse((APP / package / "__init__.py").read_text(encoding="utf-8"))
    kinds = set()
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the docstring
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]:
            continue
        kinds.add(type(node).__name__)
    assert not kinds, f"app/{package}/__init__.py holds {sorted(kinds)}"


def test_one_lookup_per_question():
    """show(actor, ref) to read, for_update(actor, ref) to change: the nine older lookups are gone."""
    from app.services import datasets, resources

    for name in ("find", "get", "get_for_member", "get_editable"):
        assert not hasattr(datasets, name), f"datasets.{name}"
    for name in ("get_version", "get_resource", "get_visible", "readable", "readable_version"):
        assert not hasattr(resources, name), f"resources.{name}"
    assert callable(datasets.show) and callable(datasets.for_update)
    assert callable(resources.show) and callable(resources.for_update) and callable(resources.version_for_update)
