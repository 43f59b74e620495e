"""The package installs as the README says: a plain `pip install .` (no extras, a wheel, not the checkout)
must carry every module the app imports and every file it reads. `.ci/run` proves it end to end on a fresh
venv; these tests say which line of setup.cfg is missing, in a second."""
from __future__ import annotations

import ast
import configparser
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app"


def _setup_cfg() -> configparser.ConfigParser:
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    return cfg


def _requirement_names(text: str) -> set[str]:
    names = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.add(_normalize(re.match(r"[A-Za-z0-9._-]+", line).group(0)))
    return names


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


def test_every_module_the_app_imports_comes_from_install_requires():
    runtime = _requirement_names(_setup_cfg()["options"]["install_requires"])
    distributions = metadata.packages_distributions()
    missing = []
    for module, where in _imported_top_level_modules().items():
        owners = {_normalize(d) for d in distributions.get(module, [])}
        assert owners, f"{module} (imported in {where}) is not installed at all"
        # A dependency's own dependency is not enough: it can be dropped by that package any day.
        if not owners & runtime:
            missing.append(f"{module} (imported in {where}, from {', '.join(sorted(owners))})")
    assert not missing, "imported under app/ but not in install_requires: " + "; ".join(missing)


def test_the_test_extra_declares_what_the_tests_import():
    cfg = _setup_cfg()
    declared = _requirement_names(cfg["options"]["install_requires"]) | _requirement_names(
        cfg["options.extras_require"]["test"])
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
    assert not missing, "imported by the tests but in neither install_requires nor the test extra: " + ", ".join(
        sorted(set(missing)))


def test_whoosh_reloaded_is_pinned_to_one_version():
    # app/search_index.py reads whoosh's internals: a new release must be tried before it is taken.
    line = next(l for l in _setup_cfg()["options"]["install_requires"].splitlines() if "whoosh" in l.lower())
    assert re.fullmatch(r"\s*whoosh-reloaded==\d+(\.\d+)+\s*", line), line
    assert metadata.version("whoosh-reloaded") == line.split("==")[1].strip()


def _tracked_files(folder: Path) -> list[PurePosixPath]:
    out = subprocess.run(["git", "ls-files", str(folder.relative_to(ROOT))], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    return [PurePosixPath(p).relative_to("app") for p in out]


def test_every_data_file_under_app_is_package_data():
    globs = [g.strip() for g in _setup_cfg()["options.package_data"]["app"].split(",")]
    data_files = [p for p in _tracked_files(APP) if p.suffix not in (".py", ".pyc")]
    assert any(p.parts[0] == "demo_data" for p in data_files)
    missing = [str(p) for p in data_files if not any(p.match(g) or _glob_match(p, g) for g in globs)]
    assert not missing, f"not in [options.package_data] (a wheel would lack them): {missing}"


def _glob_match(path: PurePosixPath, pattern: str) -> bool:
    """setuptools' `**` (any depth) as a regex."""
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*\*", ".*").replace(r"\*", "[^/]*")
    return re.fullmatch(regex, str(path)) is not None
