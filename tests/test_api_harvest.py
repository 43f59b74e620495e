"""Other portals harvesting ours: the CKAN harvester's and uData's request patterns."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import requests


SAMPLES = Path(__file__).resolve().parent.parent / "app" / "demo_data"
ORG = "bidang-perlindungan-jaminan-sosial"


def harvest(base_url: str, fq_terms: list[str], rows: int = 100, headers: dict | None = None,
            extra: dict | None = None) -> list[dict]:
    """ckanext-harvest's gather loop: sort by id, page with start, stop at an empty page."""
    params = {"rows": str(rows), "start": "0", "sort": "id asc", **(extra or {})}
    if fq_terms:
        params["fq"] = " ".join(fq_terms)
    out, previous = [], None
    for _ in range(200):
        resp = requests.get(f"{base_url}/api/3/action/package_search", params=params, headers=headers)
        assert resp.status_code == 200, resp.text
        assert resp.text != previous, "paging does not move"
        previous = resp.text
        page = resp.json()["result"]["results"]
        if not page:
            return out
        out.extend(page)
        params["start"] = str(int(params["start"]) + rows)
    raise AssertionError("harvest did not end")


@pytest.fixture(scope="module")
def drafts_and_private(portal):
    """A draft (with a clean table), a private published dataset and a deleted one.

    Made once for the module; the tests only read them.
    """
    admin = portal.ckan("org_admin")
    draft = admin.action.package_create(name="uji-harvest-draf", title="Uji Harvest Draf", owner_org=ORG,
                                        groups=["bencana-sosial"])
    with open(SAMPLES / "korban_bencana_sosial_2019_2024.csv", "rb") as fh:
        admin.action.resource_create(package_id=draft["id"], upload=fh)
    private = admin.action.package_create(name="uji-harvest-privat", title="Uji Harvest Privat", owner_org=ORG,
                                          groups=["bencana-sosial"], private=True)
    with open(SAMPLES / "korban_bencana_sosial_2019_2024.csv", "rb") as fh:
        admin.action.resource_create(package_id=private["id"], upload=fh)
    admin.action.package_patch(id=private["id"], state="active")
    gone = admin.action.package_create(name="uji-harvest-hapus", title="Uji Harvest Hapus", owner_org=ORG,
                                       groups=["bencana-sosial"])
    with open(SAMPLES / "korban_bencana_sosial_2019_2024.csv", "rb") as fh:
        admin.action.resource_create(package_id=gone["id"], upload=fh)
    admin.action.package_patch(id=gone["id"], state="active")
    admin.action.package_delete(id=gone["id"])
    return {"draft": draft["id"], "private": private["id"], "deleted": gone["id"]}


def _public_ids(portal) -> set[str]:
    names = portal.ckan().action.package_list()
    return {portal.ckan().action.package_show(id=n)["id"] for n in names}


@pytest.mark.parametrize("rows", [100, 3])
def test_harvest_returns_every_public_dataset_exactly_once(portal, drafts_and_private, rows):
    got = harvest(portal.url, [], rows=rows)
    ids = [p["id"] for p in got]
    assert len(ids) == len(set(ids))
    assert ids == sorted(ids)
    assert set(ids) == _public_ids(portal)
    assert not set(ids) & set(drafts_and_private.values())
    assert all(p["state"] == "active" and p["private"] is False for p in got)


def test_harvest_by_organization_with_negation_and_or(portal, drafts_and_private):
    only = harvest(portal.url, ["organization:sekretariat"], rows=1)
    assert {p["name"] for p in only} == {"asn-dinsos-ntb-2020-2024", "kinerja-sakip-2019-2023"}
    either = harvest(portal.url, ["organization:sekretariat OR organization:bidang-rehabilitasi-sosial"], rows=2)
    assert {p["organization"]["name"] for p in either} == {"sekretariat", "bidang-rehabilitasi-sosial"}
    assert len(either) == 3
    excluded = harvest(portal.url, ["-organization:sekretariat", "-groups:lks"], rows=3)
    assert excluded and all(p["organization"]["name"] != "sekretariat" for p in excluded)
    assert all("lks" not in [g["name"] for g in p["groups"]] for p in excluded)
    assert len(excluded) == len(_public_ids(portal)) - 2 - 3  # sekretariat has 2 and the lks topic 3
    in_org = harvest(portal.url, [f"organization:{ORG}"], rows=3)
    assert drafts_and_private["draft"] not in {p["id"] for p in in_org}


def test_incremental_harvest_by_metadata_modified(portal, drafts_and_private):
    everything = harvest(portal.url, ["metadata_modified:[2000-01-01T00:00:00Z TO *]"], rows=3)
    assert {p["id"] for p in everything} == _public_ids(portal)
    since = (datetime.now(timezone.utc) - timedelta(seconds=1)).replace(tzinfo=None)
    portal.ckan("org_admin").action.package_patch(id="korban-bencana-sosial-2019-2024", notes="Diperbarui.")
    # The harvester's own format: isoformat() of a naive UTC time plus "Z".
    changed = harvest(portal.url, [f"organization:{ORG}", f"metadata_modified:[{since.isoformat()}Z TO *]"])
    assert [p["name"] for p in changed] == ["korban-bencana-sosial-2019-2024"]
    future = harvest(portal.url, ["metadata_modified:[2999-01-01T00:00:00Z TO *]"])
    assert future == []


def test_members_harvest_their_private_datasets_with_include_private(portal, drafts_and_private):
    headers = {"Authorization": portal.tokens["org_admin"]}
    mine = harvest(portal.url, [f"organization:{ORG}"], headers=headers, extra={"include_private": "true"})
    ids = {p["id"] for p in mine}
    assert drafts_and_private["private"] in ids
    assert drafts_and_private["draft"] not in ids  # drafts never, even for members
    assert drafts_and_private["deleted"] not in ids
    outsider = {"Authorization": portal.tokens["other_editor"]}
    theirs = harvest(portal.url, [f"organization:{ORG}"], headers=outsider, extra={"include_private": "true"})
    assert drafts_and_private["private"] not in {p["id"] for p in theirs}
    anonymous = harvest(portal.url, [f"organization:{ORG}"], extra={"include_private": "true"})
    assert drafts_and_private["private"] not in {p["id"] for p in anonymous}


def test_udata_style_harvest_passes_its_strict_schema(portal, drafts_and_private):
    """uData's CKAN backend: filters in q, rows=1000, then package_show with every key required."""
    resp = requests.get(f"{portal.url}/api/3/action/package_search",
                        params={"q": "organization:sekretariat AND tags:kinerja", "rows": 1000})
    names = [r["name"] for r in resp.json()["result"]["results"]]
    assert names == ["kinerja-sakip-2019-2023"]
    for name in portal.ckan().action.package_list():
        pkg = requests.get(f"{portal.url}/api/3/action/package_show", params={"id": name}).json()["result"]
        for key in ("id", "name", "title", "notes", "license_id", "license_title", "tags", "metadata_created",
                    "metadata_modified", "organization", "resources", "private", "type", "author",
                    "author_email", "maintainer", "maintainer_email", "state"):
            assert key in pkg, key
        assert pkg["type"] == "dataset" and isinstance(pkg["private"], bool)
        org = pkg["organization"]
        for key in ("id", "description", "created", "title", "name", "revision_timestamp", "is_organization",
                    "state", "image_url", "revision_id"):
            assert isinstance(org[key], (str, bool)), key
        assert org["type"] == "organization" and org["approval_status"] == "approved"
        assert pkg["resources"], "uData skips datasets without resources"
        for res in pkg["resources"]:
            for key in ("id", "position", "name", "description", "format", "created", "url"):
                assert res[key] is not None, key
            assert isinstance(res["format"], str) and isinstance(res["description"], str)
            assert res["resource_type"] in (None, "file", "file.upload", "api")
        assert all(isinstance(e["value"], str) for e in pkg["extras"])
