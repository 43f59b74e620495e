"""Takedown: a published dataset found to hold personal data is purged in one action by a sysadmin;
nothing of it stays in the data folders, the index, the pages, the API or the catalogue; an incident
record (never public) keeps what it was, who took it down, why, and its downloads."""
from __future__ import annotations

import io
import logging
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import BNBA_SAMPLE
from tests.factories import SAMPLES, dataset_with_table, user
from tests.support.database import database_text
from tests.support.search_lock import hold_index_lock
from tests.support.database import stored_dataset

TITLE = "Uji Takedown Zanzibarium"
# Cell values only this dataset has (its second table), and words of its title.
CELLS = ["Qwertyzan", "Plumbuskar"]
DISTINCT = CELLS + ["Zanzibarium", "zanzibarium"]
REASON = "Tabel kedua ternyata memuat nama kecamatan fiktif yang menunjuk satu keluarga."


@pytest.fixture
def published(app, users, tmp_path):
    """A published dataset like the demo ones: a demo table in two versions, a second table, a refused
    upload waiting in quarantine; and another published dataset that must stay."""
    from app.services import resources

    second = tmp_path / "samples" / "rekap_kecamatan.csv"
    second.parent.mkdir()
    second.write_text("kecamatan,tahun,jumlah\nKecamatan Qwertyzan,2024,12\nKecamatan Plumbuskar,2024,7\n"
                      "Kecamatan Praya,2024,30\n")
    with app.app_context():
        admin = user("org_admin")
        ds, first = dataset_with_table(admin, name="uji-takedown", title=TITLE, publish=True,
                                       notes="Rekap per kabupaten Zanzibarium.")
        with open(SAMPLES / "korban_bencana_sosial_2019_2024.csv", "rb") as fh:
            resources.upload(admin, ds.id, fh, "korban_v2.csv", resource_id=first.resource.id)
        with open(second, "rb") as fh:
            table2 = resources.upload(admin, ds.id, fh, second.name, name="Rekap kecamatan")
        blocked = resources.upload(admin, ds.id, io.BytesIO(BNBA_SAMPLE.read_bytes()), "bnba.csv",
                                   resource_id=table2.resource.id)
        other, _ = dataset_with_table(admin, "pmks_per_kabupaten_2023.csv", name="tetap-ada", publish=True,
                                      topics=("pmks-ppks",))
        return {"id": ds.id, "r1": first.resource.id, "r2": table2.resource.id, "other": other.id,
                "v": {"r1v1": first.version.id, "r2v1": table2.version.id, "r2v2": blocked.version.id},
                "blocked": blocked.version.id}


def _public_urls(p) -> list[str]:
    name, r1, r2 = "uji-takedown", p["r1"], p["r2"]
    return [f"/dataset/{name}", f"/dataset/{p['id']}", f"/dataset/{name}/resource/{r1}",
            f"/dataset/{name}/resource/{r2}", f"/dataset/{name}/resource/{r1}/download/{name}.csv",
            f"/dataset/{name}/resource/{r1}/download/x.xlsx?version=1",
            f"/dataset/{name}/resource/{r2}/download/x.json",
            f"/dataset/{name}/resource/{r1}/original", f"/dataset/{name}/resource/{r2}/original",
            f"/dataset/{name}.ttl", f"/dataset/{p['id']}.jsonld", f"/dataset/{name}/datapackage.json",
            f"/api/3/action/package_show?id={name}", f"/api/3/action/package_show?id={p['id']}",
            f"/api/3/action/resource_show?id={r1}", f"/api/3/action/datastore_search?resource_id={r2}"]


def _files_holding(root: Path, values: list[str], skip: tuple[str, ...] = ()) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_file() and not (set(rel.parts) & {"samples", *skip}) and not rel.name.startswith(skip):
            data = path.read_bytes()
            for value in values:
                if value.encode() in data:
                    found.setdefault(value, []).append(str(rel))
    return found


def test_a_sysadmin_takes_a_published_dataset_down_and_nothing_of_it_remains(client, auth, app, runner,
                                                                             published, tmp_path):
    p = published
    anonymous = app.test_client()
    # Before: it is public, found, listed, downloaded (each download and original URL once, then
    # table 1's v2 twice and its original, v1 once, table 2 once).
    for url in _public_urls(p):
        assert anonymous.get(url).status_code in (200, 302), url  # by id: to the canonical URL
    anonymous.get(f"/dataset/uji-takedown/resource/{p['r1']}/download/x.csv")
    anonymous.get(f"/dataset/uji-takedown/resource/{p['r1']}/download/x.csv")
    assert anonymous.get(f"/dataset/uji-takedown/resource/{p['r1']}/original").status_code == 200
    anonymous.get(f"/dataset/uji-takedown/resource/{p['r1']}/download/x.csv?version=1")
    anonymous.get(f"/dataset/uji-takedown/resource/{p['r2']}/download/x.csv")
    assert anonymous.get("/dataset?format=json&q=Zanzibarium").get_json()["count"] == 1
    assert p["id"] in anonymous.get("/catalog.ttl").get_data(as_text=True)
    with app.app_context():
        from app.services import datasets

        before = {f"{r.id}:{v.number}": (v.id, v.created, v.downloads) for r in stored_dataset(p["id"]).resources
                  for v in r.versions}
    assert sorted(d for _i, _c, d in before.values()) == [0, 2, 3, 5]  # 0: table 2's refused v2
    datasets_dir, hold = Path(app.config["DATASETS_DIR"]), Path(app.config["QUARANTINE_DIR"])
    assert (datasets_dir / p["r1"]).is_dir() and (hold / p["blocked"]).is_dir()
    assert _files_holding(tmp_path, CELLS)

    # An organization admin may not take it down; nor may anyone without a reason.
    auth.login("org_admin")
    assert client.post("/admin/dataset/uji-takedown/takedown",
                       data={"reason": REASON, "confirm": "yes"}).status_code == 403
    assert 'id="takedown"' not in client.get("/admin/dataset/uji-takedown").get_data(as_text=True)
    assert client.get("/admin/incidents").status_code == 403
    client.post("/user/logout")
    auth.login("sysadmin")
    page = client.get("/admin/dataset/uji-takedown").get_data(as_text=True)
    assert 'id="takedown"' in page and 'name="reason"' in page and 'name="confirm"' in page
    for unconfirmed in ({"reason": " ", "confirm": "yes"}, {"reason": REASON}):
        refused = client.post("/admin/dataset/uji-takedown/takedown", data=unconfirmed, follow_redirects=True)
        assert refused.status_code == 200 and 'class="flash error"' in refused.get_data(as_text=True)
        assert anonymous.get("/dataset/uji-takedown").status_code == 200

    done = client.post("/admin/dataset/uji-takedown/takedown", data={"reason": REASON, "confirm": "yes"})
    assert done.status_code == 302 and done.headers["Location"].endswith("/admin/incidents")

    # No file of it anywhere under the data folders: originals, tables, quarantine, index.
    assert not (datasets_dir / p["r1"]).exists() and not (datasets_dir / p["r2"]).exists()
    assert not (hold / p["blocked"]).exists()
    assert _files_holding(tmp_path, DISTINCT, skip=("portal.sqlite",)) == {}
    # The database keeps the incident (the title), never the cells: rows and summaries are gone.
    assert _files_holding(tmp_path, CELLS) == {}
    assert not any(c in database_text(app) for c in CELLS)

    # The index has no entry: a search finds nothing, `portal search check` agrees, the other stays.
    assert anonymous.get("/dataset?format=json&q=Zanzibarium").get_json()["count"] == 0
    assert anonymous.get("/dataset?format=json&q=pmks").get_json()["count"] == 1
    check = runner.invoke(args=["search", "check"])
    assert check.exit_code == 0, check.output
    with app.app_context():
        assert p["id"] not in app.extensions["search_index"].indexed()
        assert p["other"] in app.extensions["search_index"].indexed()

    # Every public URL of it answers 404; the lists and the catalogue no longer have it.
    for url in _public_urls(p):
        assert anonymous.get(url).status_code == 404, url
    catalog = anonymous.get("/catalog.ttl").get_data(as_text=True)
    assert p["id"] not in catalog and "Zanzibarium" not in catalog and p["other"] in catalog
    assert p["id"] not in anonymous.get("/catalog.jsonld").get_data(as_text=True)
    names = anonymous.get("/api/3/action/package_list").get_json()["result"]
    assert "tetap-ada" in names and not any(n.startswith("uji-takedown") for n in names)
    found = anonymous.get("/api/3/action/package_search?q=Zanzibarium").get_json()["result"]
    assert found["count"] == 0
    assert p["id"] not in [r["id"] for r in anonymous.get("/api/3/action/package_search?rows=100")
                           .get_json()["result"]["results"]]

    # The incident: what, when, who, why, the versions with their downloads as they were, the deadline.
    with app.app_context():
        from app.models import Activity
        from app import db

        (incident,) = datasets.incidents(user("sysadmin"))
        assert (incident.dataset_id, incident.dataset_name, incident.dataset_title) == (p["id"], "uji-takedown", TITLE)
        assert incident.reason == REASON and incident.user_email == "sysadmin@test.local"
        assert incident.notify_by - incident.taken_down == timedelta(hours=72)
        assert incident.downloads == 10 and incident.dataset_state == "published"
        listed = {f"{v['resource_id']}:{v['number']}": (v["version_id"], v["downloads"]) for v in incident.versions}
        assert listed == {k: (i, d) for k, (i, _c, d) in before.items()}
        created = {v["version_id"]: v["created"] for v in incident.versions}
        assert all(created[i].startswith(c.isoformat()[:19]) for i, c, _d in before.values())
        logged = db.session().query(Activity).filter_by(action="takedown", dataset_id=p["id"]).one()
        assert logged.detail["reason"] == REASON
        assert stored_dataset(p["id"]).state == "deleted"
    page = client.get("/admin/incidents").get_data(as_text=True)
    assert TITLE in page and REASON in page and "Pasal 46" in page
    assert page.count('class="downloads"') == 4 and '<td class="downloads">5</td>' in page
    # Never public: not to visitors, not to other roles.
    assert anonymous.get("/admin/incidents").status_code == 302
    client.post("/user/logout")
    for who in ("org_admin", "editor", "other_admin"):
        auth.login(who)
        assert client.get("/admin/incidents").status_code == 403, who
        client.post("/user/logout")


def test_dataset_purge_is_the_api_door_for_sysadmins_only(client, app, users, published):
    from app.services import users as user_service

    with app.app_context():
        _t, admin_key = user_service.create_token(user("org_admin"), "admin")
        _t, root_key = user_service.create_token(user("sysadmin"), "root")

    def purge(key, **data):
        return client.post("/api/3/action/dataset_purge", headers={"Authorization": key}, json=data)

    refused = purge(admin_key, id="uji-takedown", reason=REASON)
    assert refused.status_code == 403 and refused.get_json()["success"] is False
    missing = purge(root_key, id="uji-takedown")
    assert missing.status_code == 409 and "reason" in missing.get_json()["error"]
    assert client.get("/dataset/uji-takedown").status_code == 200
    assert client.get("/api/3/action/dataset_purge?id=uji-takedown").status_code == 400  # POST only

    done = purge(root_key, id="uji-takedown", reason=REASON)
    assert done.status_code == 200 and done.get_json() == {
        "help": done.get_json()["help"], "success": True, "result": None}
    shown = client.get("/api/3/action/package_show", query_string={"id": published["id"]})
    assert shown.status_code == 404
    again = purge(root_key, id=published["id"], reason=REASON)
    assert again.status_code == 409  # already taken down
    assert "Pasal 46" in client.get("/api/3/action/help_show?name=dataset_purge").get_json()["result"]
    with app.app_context():
        from app.services import datasets

        assert [i.dataset_id for i in datasets.incidents(user("sysadmin"))] == [published["id"]]


def test_downloads_are_counted_per_version(client, app, users):
    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"), publish=True)
    for _ in range(3):
        assert client.get(f"/dataset/{ds.name}/resource/{result.resource.id}/download/x.csv").status_code == 200
    client.get(f"/dataset/{ds.name}/resource/{result.resource.id}/original")
    with app.app_context():

        found = stored_dataset(ds.id)
        version = found.resources[0].versions[0]
        assert version.downloads == found.downloads >= 3


def test_a_failed_index_merge_after_a_takedown_rebuilds_the_index(app, users, published):
    from sqlalchemy import event

    from app.services import datasets

    held, released = [], []

    def lock_once_committed(_session):  # the takedown's rows are committed: its merge comes next
        if not held and not released:
            held.append(hold_index_lock(app))

    class LetGoWhenTheMergeFailed(logging.Handler):  # ... so the rebuild that follows may write
        def emit(self, record):
            if held and "could not be merged" in record.getMessage():
                held.pop().cancel()
                released.append(record)

    sessions = app.extensions["db_sessionmaker"]
    service_log = logging.getLogger("app.services.search")
    handler = LetGoWhenTheMergeFailed()
    with app.app_context():
        sysadmin = user("sysadmin")
        event.listen(sessions, "after_commit", lock_once_committed)
        service_log.addHandler(handler)
        try:
            datasets.takedown(sysadmin, "uji-takedown", REASON)
        finally:
            event.remove(sessions, "after_commit", lock_once_committed)
            service_log.removeHandler(handler)
            for writer in held:
                writer.cancel()
        indexed = app.extensions["search_index"].indexed()
    assert released, "the merge after the takedown should have found the index locked"
    assert published["id"] not in indexed and published["other"] in indexed
    assert _files_holding(Path(app.config["SEARCH_INDEX_DIR"]), DISTINCT) == {}


def test_expunge_rewrites_a_big_segment_that_a_delete_only_marks(tmp_path):
    from app.search import SearchIndex

    def doc(i, title):
        return {"id": i, "name": i, "title": title, "description": "", "notes": "", "tags": [], "topics": [],
                "topic_titles": [], "organization": "o", "organization_title": "O", "formats": [], "years": [],
                "level": "", "columns": [], "private": False, "metadata_modified": "2024-01-01T00:00:00",
                "metadata_created": "2024-01-01T00:00:00", "downloads": 0}

    index = SearchIndex(str(tmp_path / "ix"))
    index.rebuild([doc(f"d{i}", f"Data biasa {i}") for i in range(300)] + [doc("rahasia", TITLE)])
    index.delete(["rahasia"])
    assert "rahasia" not in index.indexed()
    assert _files_holding(tmp_path / "ix", ["zanzibarium"])  # still on disk, only marked deleted
    index.expunge(["rahasia"])
    assert _files_holding(tmp_path / "ix", ["zanzibarium"]) == {} and len(index.indexed()) == 300


def test_concurrent_downloads_are_all_counted(app, users):
    # 1,460 downloads once raised the counter by 460: each one must count, also 8 at a time.
    import threading
    import urllib.request

    from tests.conftest import live_server

    with app.app_context():
        ds, result = dataset_with_table(user("org_admin"), publish=True)
    n, workers = 160, 8
    with live_server(app) as base:
        url = f"{base}/dataset/{ds.name}/resource/{result.resource.id}/download/x.csv"
        codes: list[int] = []

        def fetch(count: int) -> None:
            for _ in range(count):
                with urllib.request.urlopen(url) as answer:
                    answer.read()
                    codes.append(answer.status)

        threads = [threading.Thread(target=fetch, args=(n // workers,)) for _ in range(workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert codes == [200] * n
    with app.app_context():
        found = stored_dataset(ds.id)
        assert found.resources[0].versions[0].downloads == n and found.downloads == n
