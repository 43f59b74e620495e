"""The upload form's answers: the form kept after an error, a title another dataset has answered with
that dataset and the offer of a new version, the answer a script gets, and the ways out of a refusal
on the review page. (The progress bar and the double click are tried in a browser:
tests/browser/test_browser_upload.py.)"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from tests.factories import ORG, OTHER_ORG, SAMPLES, dataset_with_table, user
from tests.samples import BNBA

BENCANA = SAMPLES / "korban_bencana_sosial_2019_2024.csv"
TEXTS = {
    "id": {"again": "pilih lagi berkas ini", "csv_only": "Hanya berkas CSV dan XLSX yang dapat diunggah.",
           "clash": "Dataset dengan nama ini sudah ada", "raw": "URL tersebut sudah digunakan"},
    "en": {"again": "choose this file again", "csv_only": "Only CSV and XLSX files can be uploaded.",
           "clash": "A dataset with this name already exists", "raw": "That URL is already in use"},
}


class _Page(HTMLParser):
    """The elements of a page by id, each as (tag, attributes, text inside)."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.by_id: dict[str, tuple[str, dict, list[str]]] = {}
        self.forms: list[dict] = []  # every form: its attributes, inputs and buttons, in page order
        self._open: list[tuple[str, list[str]]] = []
        self._button: list[str] | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        text: list[str] = []
        if attrs.get("id"):
            self.by_id[attrs["id"]] = (tag, attrs, text)
        if tag not in ("input", "br", "meta", "link", "img"):
            self._open.append((tag, text))
        if tag == "form":
            self.forms.append({"attrs": attrs, "inputs": [], "buttons": []})
        elif tag in ("input", "textarea", "select") and self.forms:
            self.forms[-1]["inputs"].append(attrs)
        elif tag == "button" and self.forms:
            self._button = []
            self.forms[-1]["buttons"].append((attrs, self._button))

    def handle_endtag(self, tag):
        if tag == "button":
            self._button = None
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i][0] == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for _tag, text in self._open:
            text.append(data)
        if self._button is not None:
            self._button.append(data)

    def text(self, id_: str) -> str:
        return re.sub(r"\s+", " ", "".join(self.by_id[id_][2])).strip()


def _post_upload(client, path, filename=None, **fields):
    data = {"file": (open(path, "rb"), filename or path.name), **fields}
    try:
        return client.post("/admin/upload", data=data, content_type="multipart/form-data")
    finally:
        data["file"][0].close()


def _in(client, lang: str) -> None:
    client.get(f"/lang/{lang}?next=/")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_admin_sees_the_form_kept_after_a_refused_file_with_the_error_beside_the_file(client, auth, app, lang):
    auth.login("org_admin")
    _in(client, lang)
    resp = _post_upload(client, BENCANA, "laporan.pdf", title="Korban Bencana Uji Form", topics="bencana-sosial",
                        notes="Catatan yang tidak boleh hilang.", organization=ORG)
    assert resp.status_code == 400
    page = _Page(resp.get_data(as_text=True))
    assert page.by_id["title"][1]["value"] == "Korban Bencana Uji Form"
    assert page.text("notes") == "Catatan yang tidak boleh hilang."
    topics = [i for i in page.forms[-1]["inputs"] if i.get("name") == "topics"]
    assert [t["value"] for t in topics if "checked" in t] == ["bencana-sosial"]
    assert len(topics) > 1  # the others are offered, not ticked
    # The file's name, and the request to choose it again; the error beside the file field, in the reader's language.
    assert page.by_id["file"][1]["data-filename"] == "laporan.pdf"
    assert "laporan.pdf" in page.text("file-again") and TEXTS[lang]["again"] in page.text("file-again")
    assert page.text("file-error") == TEXTS[lang]["csv_only"]
    assert page.by_id["file"][1]["aria-invalid"] == "true"
    assert "file-error" in page.by_id["file"][1]["aria-describedby"].split()
    assert TEXTS[lang]["csv_only"] in page.text("upload-errors")  # and in the summary above the form
    with app.app_context():
        from app.services import datasets

        assert datasets.for_actor(user("org_admin")) == []


def test_admin_sees_the_chosen_organization_and_a_missing_file_asked_for(client, auth, users):
    auth.login("sysadmin")
    resp = client.post("/admin/upload", data={"title": "Tanpa Berkas", "organization": OTHER_ORG},
                       content_type="multipart/form-data")
    assert resp.status_code == 400
    page = _Page(resp.get_data(as_text=True))
    assert page.text("file-error") == "Pilih berkas CSV atau XLSX."
    assert page.by_id["title"][1]["value"] == "Tanpa Berkas"
    chosen = re.search(r'<option value="([^"]+)" selected', resp.get_data(as_text=True))
    assert chosen and chosen.group(1) == OTHER_ORG


@pytest.mark.parametrize("lang", ["id", "en"])
def test_admin_uploading_under_a_title_another_dataset_has_is_offered_a_new_version_of_it(client, auth, app, lang):
    with app.app_context():
        ds, first = dataset_with_table(user("org_admin"), title="Korban Bencana Sosial NTB", name="korban-bencana-sosial-ntb")
        resource_id = first.resource.id
    auth.login("org_admin")
    _in(client, lang)
    resp = _post_upload(client, BENCANA, title="Korban Bencana Sosial NTB", topics="bencana-sosial")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 409
    page = _Page(body)
    assert TEXTS[lang]["clash"] in page.text("name-clash")
    assert page.by_id["name-clash-link"][1]["href"] == "/admin/dataset/korban-bencana-sosial-ntb"
    assert page.text("name-clash-link") == "Korban Bencana Sosial NTB"
    assert "name:" not in body and TEXTS[lang]["raw"] not in body  # never the raw field message
    assert page.by_id["title"][1]["value"] == "Korban Bencana Sosial NTB"  # the form is kept too
    offer = next(f for f in page.forms if f["attrs"].get("action", "").endswith(f"/resource/{resource_id}/upload"))
    file_input = next(i for i in offer["inputs"] if i.get("type") == "file")
    assert file_input["data-filename"] == BENCANA.name  # upload.js puts the same file back
    assert "data-upload" in offer["attrs"]
    button = "".join(offer["buttons"][0][1])
    assert ("versi 2" if lang == "id" else "version 2") in button

    # The offer taken: version 2 of the same table, and still one dataset of that title.
    with open(BENCANA, "rb") as fh:
        taken = client.post(offer["attrs"]["action"], data={"file": (fh, BENCANA.name)},
                            content_type="multipart/form-data")
    assert taken.status_code == 302 and "/admin/dataset/korban-bencana-sosial-ntb/review/" in taken.headers["Location"]
    with app.app_context():
        from app.services import datasets

        mine = [d for d in datasets.for_actor(user("org_admin")) if d.title == "Korban Bencana Sosial NTB"]
        assert len(mine) == 1
        assert [len(r.versions) for r in mine[0].resources] == [2]


def test_editor_is_shown_a_published_dataset_of_that_title_but_offered_no_version(client, auth, app):
    with app.app_context():
        dataset_with_table(user("org_admin"), title="Data Terbit Uji", name="data-terbit-uji", publish=True)
    auth.login("editor")
    resp = _post_upload(client, BENCANA, title="Data Terbit Uji")
    assert resp.status_code == 409
    page = _Page(resp.get_data(as_text=True))
    assert page.by_id["name-clash-link"][1]["href"] == "/admin/dataset/data-terbit-uji"
    assert not [f for f in page.forms if "/resource/" in f["attrs"].get("action", "")]
    assert "admin organisasi" in page.text("name-clash")


def test_a_draft_of_another_organization_is_not_revealed_by_a_clash(client, auth, app):
    with app.app_context():
        dataset_with_table(user("other_editor"), title="Rahasia Draf Lain", name="draf-lain-uji",
                           organization=OTHER_ORG)
    auth.login("org_admin")
    resp = _post_upload(client, BENCANA, title="Draf Lain Uji")
    body = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "draf-lain-uji" in _Page(body).text("name-clash")  # the address the title makes, which the admin typed
    assert "Rahasia Draf Lain" not in body and "name-clash-link" not in body


@pytest.mark.parametrize("lang", ["id", "en"])
def test_api_client_creating_a_taken_name_gets_a_409_naming_the_existing_dataset(client, app, users, lang):
    from app.services import users as user_service

    with app.app_context():
        ds, _ = dataset_with_table(user("org_admin"), title="Dataset API Uji", name="dataset-api-uji")
        _token, raw = user_service.create_token(user("org_admin"), "uji")
    resp = client.post(f"/api/3/action/package_create?lang={lang}", json={"name": "dataset-api-uji", "title": "Lagi"},
                       headers={"Authorization": raw})
    assert resp.status_code == 409
    error = resp.get_json()["error"]
    assert error["__type"] == "Validation Error"
    assert error["existing_dataset"] == {"name": "dataset-api-uji", "id": ds.id, "title": "Dataset API Uji"}
    assert "dataset-api-uji" in error["message"]
    assert error["message"] == ("Dataset dengan nama URL dataset-api-uji sudah ada." if lang == "id"
                                else "A dataset with the URL name dataset-api-uji already exists.")


def test_api_client_of_another_organization_learns_only_the_name(client, app, users):
    from app.services import users as user_service

    with app.app_context():
        dataset_with_table(user("org_admin"), title="Draf Tersembunyi", name="draf-tersembunyi")
        _token, raw = user_service.create_token(user("other_editor"), "uji")
    resp = client.post("/api/3/action/package_create",
                       json={"name": "draf-tersembunyi", "title": "Lain", "owner_org": OTHER_ORG},
                       headers={"Authorization": raw})
    assert resp.status_code == 409
    assert resp.get_json()["error"]["existing_dataset"] == {"name": "draf-tersembunyi"}


def test_renaming_a_dataset_to_a_taken_name_names_it_too(client, auth, app):
    with app.app_context():
        from app.services import datasets
        from app.services.errors import NameTaken

        dataset_with_table(user("org_admin"), title="Pertama", name="nama-pertama")
        other, _ = dataset_with_table(user("org_admin"), title="Kedua", name="nama-kedua")
        with pytest.raises(NameTaken) as caught:
            datasets.update(user("org_admin"), other.id, {"name": "nama-pertama"})
        assert caught.value.existing.name == "nama-pertama" and caught.value.may_change


def test_a_script_sending_the_form_is_told_where_the_review_is(client, auth):
    auth.login("org_admin")
    data = {"file": (open(BENCANA, "rb"), BENCANA.name), "title": "Dikirim Skrip"}
    resp = client.post("/admin/upload", data=data, content_type="multipart/form-data",
                       headers={"X-Requested-With": "XMLHttpRequest"})
    data["file"][0].close()
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    location = json.loads(resp.get_data())["location"]
    assert re.fullmatch(r"/admin/dataset/dikirim-skrip/review/[^/]+", location)
    assert client.get(location).status_code == 200
    # The plain form still gets the redirect; an error still gets the page.
    plain = _post_upload(client, BENCANA, title="Dikirim Biasa")
    assert plain.status_code == 302
    refused = client.post("/admin/upload", data={"file": (open(BENCANA, "rb"), "x.pdf")},
                          content_type="multipart/form-data", headers={"X-Requested-With": "XMLHttpRequest"})
    assert refused.status_code == 400 and refused.mimetype == "text/html"


@pytest.mark.parametrize("lang", ["id", "en"])
def test_admin_reviewing_a_blocked_upload_is_offered_drop_and_delete_first(client, auth, app, lang):
    auth.login("org_admin")
    _in(client, lang)
    review_url = _post_upload(client, BNBA, title="BNBA Uji Tombol").headers["Location"]
    body = client.get(review_url).get_data(as_text=True)
    page = _Page(body)
    # The first buttons of the page are the two ways out, primary (no secondary or danger style).
    forms = [f for f in page.forms if f["buttons"] and f["attrs"].get("id") not in (None, "review-form")
             and "logout" not in f["attrs"].get("action", "")]  # the header's search box has no id
    first_two = [(f["attrs"].get("id"), "".join(f["buttons"][0][1]).strip(), f["buttons"][0][0].get("class"))
                 for f in forms[:2]]
    words = {"id": ("Buang kolom", "Hapus"), "en": ("Drop the columns", "Delete")}[lang]
    assert [f[0] for f in first_two] == ["drop-found", "delete-blocked"]
    assert first_two[0][1].startswith(words[0]) and first_two[1][1].startswith(words[1])
    assert all(f[2] is None for f in first_two), first_two
    assert body.index('id="drop-found"') < body.index('id="continue"')
    assert "secondary" in page.by_id["continue"][1]["class"].split()

    # "Drop the columns" drops what was found: the table can then be published.
    drop = next(f for f in forms if f["attrs"].get("id") == "drop-found")
    fields = [(i["name"], i.get("value", "")) for i in drop["inputs"] if i.get("name")]
    assert sum(1 for name, _ in fields if name == "drop") >= 3
    resp = client.post(review_url, data=fields_to_multidict(fields))
    assert resp.status_code == 302
    again = client.get(review_url).get_data(as_text=True)
    assert 'id="findings"' not in again and 'id="drop-found"' not in again
    assert "secondary" not in _Page(again).by_id["continue"][1]["class"].split()


def fields_to_multidict(fields):
    from werkzeug.datastructures import MultiDict

    return MultiDict(fields)


def test_the_same_form_sent_twice_at_once_makes_one_dataset_and_a_clear_answer(app, users):
    """Without the page's script a double click can send the form twice: the second request checks the
    name before the first commits, and its insert then meets the first's row."""
    import threading
    import time

    from app import db
    from app.services import datasets
    from app.services.errors import NameTaken

    first_added, first_may_commit = threading.Event(), threading.Event()
    outcome = {}

    def first():
        with app.app_context():
            values = datasets.prepare_new(user("org_admin"), {"title": "Dikirim Dua Kali"})
            with db.transaction() as s:
                datasets.add_new(s, user("org_admin"), values)
                first_added.set()
                first_may_commit.wait(10)

    def second():
        with app.app_context():
            values = datasets.prepare_new(user("org_admin"), {"title": "Dikirim Dua Kali"})
            try:
                with db.transaction() as s:
                    datasets.add_new(s, user("org_admin"), values)  # waits for the first one's write
            except Exception as exc:  # noqa: BLE001 - the kind of failure is what is tested
                outcome["error"] = exc
                outcome["named"] = getattr(getattr(exc, "existing", None), "title", None)

    one = threading.Thread(target=first)
    one.start()
    assert first_added.wait(10)
    two = threading.Thread(target=second)
    two.start()
    time.sleep(0.5)  # the second has checked the name (still free to it) and waits on its insert
    first_may_commit.set()
    one.join(10)
    two.join(40)
    assert isinstance(outcome.get("error"), NameTaken), outcome
    assert outcome["named"] == "Dikirim Dua Kali"
    with app.app_context():
        assert [d.title for d in datasets.for_actor(user("org_admin"))] == ["Dikirim Dua Kali"]
