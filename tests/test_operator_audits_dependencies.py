"""The operator checks the installed dependencies for known vulnerabilities (scripts/audit_dependencies).

Offline here: the advisory services cannot be reached, so the script must say so (exit 2, never a
silent 0). The offline mode (--advisories, an OSV export) is checked with advisories written here.
pip-audit comes from the `audit` extra (scripts/test installs it).
"""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "audit_dependencies"


def _audit(*args: str) -> tuple[int, str, dict]:
    done = subprocess.run([sys.executable, str(SCRIPT), "--timeout", "5", *args],
                          capture_output=True, text=True, timeout=300)
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return done.returncode, done.stdout, json.loads(lines[-1])


def _advisory(vuln_id: str, package: str, fixed: str, **extra) -> dict:
    return {"schema_version": "1.6.0", "id": vuln_id, "summary": f"{package} lets anyone in",
            "aliases": [f"CVE-2099-{vuln_id[-4:]}"], "published": "2099-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "PyPI", "name": package},
                          "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
                          **extra}]}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_advisory_service_is_reported_not_passed():
    code, out, result = _audit("--osv-url", f"http://127.0.0.1:{_closed_port()}/v1/query")
    assert code == 2, out
    assert "could not reach the advisory service" in out.splitlines()[0]
    assert result["status"] == "unreachable"
    assert result["checked"] == 0 and result["vulnerabilities"] == []
    names = {u["name"] for u in result["unchecked"]}
    assert {"flask", "sqlalchemy", "werkzeug", "jinja2"} <= names  # pyproject's and theirs


def test_default_service_offline_is_reported_not_passed():
    # PyPI's service, unreachable, answers every package "not found" and pip-audit exits 0.
    code, out, result = _audit()
    if result["checked"] > 0:
        pytest.skip("this machine reaches PyPI's advisory service: the offline answer cannot be seen here")
    assert code == 2, out
    assert "could not reach the advisory service" in out
    assert result["status"] == "unreachable" and result["checked"] == 0
    assert len(result["unchecked"]) >= 20


def test_offline_advisories_report_a_vulnerable_requirement(tmp_path):
    advisories = tmp_path / "osv"
    advisories.mkdir()
    (advisories / "PYSEC-2099-0001.json").write_text(json.dumps(_advisory("PYSEC-2099-0001", "portal-fake-lib", "1.2.0")))
    (advisories / "PYSEC-2099-0002.json").write_text(json.dumps(_advisory("PYSEC-2099-0002", "portal-other-lib", "0.5")))
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("portal-fake-lib==1.0.0\nportal-other-lib==0.9\n")
    code, out, result = _audit("--advisories", str(advisories), "-r", str(requirements))
    assert code == 1, out
    assert result["status"] == "vulnerable" and result["checked"] == 2
    [vuln] = result["vulnerabilities"]  # portal-other-lib 0.9 is past its fix
    assert vuln["name"] == "portal-fake-lib" and vuln["version"] == "1.0.0"
    assert vuln["id"] == "PYSEC-2099-0001" and vuln["fix_versions"] == ["1.2.0"]
    assert "PYSEC-2099-0001" in out and "1.2.0" in out


def test_offline_advisories_check_every_installed_dependency(tmp_path):
    # An OSV export as OSV publishes it (a zip): one advisory hits the installed Flask, one an old Jinja2.
    flask = metadata.version("flask")
    export = tmp_path / "all.zip"
    with zipfile.ZipFile(export, "w") as archive:
        archive.writestr("GHSA-0000-0000-0001.json", json.dumps(
            _advisory("GHSA-0000-0000-0001", "Flask", "9999.0", versions=[flask])))
        archive.writestr("GHSA-0000-0000-0002.json", json.dumps(_advisory("GHSA-0000-0000-0002", "jinja2", "2.0")))
    code, out, result = _audit("--advisories", str(export))
    assert code == 1, out
    assert [(v["name"], v["version"]) for v in result["vulnerabilities"]] == [("flask", flask)]
    assert result["checked"] >= 20 and result["unchecked"] == []

    clean = tmp_path / "none"
    clean.mkdir()
    code, out, result = _audit("--advisories", str(clean))
    assert code == 0, out
    assert result["status"] == "clean" and result["vulnerabilities"] == [] and result["checked"] >= 20


def test_a_requirement_that_cannot_be_read_is_not_checked(tmp_path):
    unpinned = tmp_path / "requirements.txt"
    unpinned.write_text("flask\n")
    code, out, result = _audit("-r", str(unpinned))
    assert code == 2 and result["status"] == "unchecked"
    assert "'flask' is not pinned as name==version" in out
    code, out, result = _audit("-r", str(tmp_path / "missing.txt"))
    assert code == 2 and "cannot read" in result["message"]
