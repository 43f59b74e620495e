"""The package installs as the README says: a plain `pip install .` (no extras, a wheel, not the checkout)
must carry every module the app imports and every file it reads. `.ci/run` proves it end to end on a fresh
venv; these tests say which line of pyproject.toml is missing, in a second."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _requirement_names(requirements: list[str]) -> set[str]:
    return {_normalize(re.match(r"[A-Za-z0-9._-]+", r.strip()).group(0)) for r in requirements}


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imported_top_level_modules() -> dict[str, str]:
    """Every absolute import under app/ (module -> first file importing it), stdlib left out."""
    found: dict[str, str] = {}
    for path in sorted(APP.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in sys.stdlib_module_names and top not in ("app", "__future__"):
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def test_every_module_the_app_imports_is_a_declared_dependency():
    runtime = _requirement_names(_project()["project"]["dependencies"])
    distributions = metadata.packages_distributions()
    missing = []
    for module, where in _imported_top_level_modules().items():
        owners = {_normalize(d) for d in distributions.get(module, [])}
        assert owners, f"{module} (imported in {where}) is not installed at all"
        # A dependency's own dependency is not enough: it can be dropped by that package any day.
        if not owners & runtime:
            missing.append(f"{module} (imported in {where}, from {', '.join(sorted(owners))})")
    assert not missing, "imported under app/ but not in [project] dependencies: " + "; ".join(missing)


def test_the_test_extra_declares_what_the_tests_import():
    project = _project()["project"]
    declared = _requirement_names(project["dependencies"]) | _requirement_names(
        project["optional-dependencies"]["test"])
    distributions = metadata.packages_distributions()
    missing = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
                     else [])
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("app", "tests", "__future__"):
                    continue
                owners = {_normalize(d) for d in distributions.get(top, [])}
                if owners and not owners & declared:
                    missing.append(f"{top} ({path.relative_to(ROOT)})")
    assert not missing, "imported by the tests but in neither the dependencies nor the test extra: " + ", ".join(
        sorted(set(missing)))


def test_whoosh_reloaded_is_pinned_to_one_version():
    # app/search/ reads whoosh's internals: a new release must be tried before it is taken.
    line = next(r for r in _project()["project"]["dependencies"] if "whoosh" in r.lower())
    assert re.fullmatch(r"whoosh-reloaded==\d+(\.\d+)+", line), line
    assert metadata.version("whoosh-reloaded") == line.split("==")[1].strip()


def _tracked_files(folder: Path) -> list[PurePosixPath]:
    out = subprocess.run(["git", "ls-files", str(folder.relative_to(ROOT))], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    return [PurePosixPath(p).relative_to("app") for p in out]


def test_every_data_file_under_app_is_package_data():
    globs = _project()["tool"]["setuptools"]["package-data"]["app"]
    data_files = [p for p in _tracked_files(APP) if p.suffix not in (".py", ".pyc")]
    assert any(p.parts[0] == "demo_data" for p in data_files)
    missing = [str(p) for p in data_files if not any(p.match(g) or _glob_match(p, g) for g in globs)]
    assert not missing, f"not in [tool.setuptools.package-data] (a wheel would lack them): {missing}"


def _glob_match(path: PurePosixPath, pattern: str) -> bool:
    """setuptools' `**` (any depth) as a regex."""
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    return re.fullmatch(regex, str(path)) is not None
