"""Every page speaks one language: no Indonesian phrase of ours on the English side, no English
phrase of ours on the Indonesian side.

A reader walks every kind of page in each language with the test client: the public pages, the
admin pages, error pages (400, 403, 404, 405) and forms sent back with validation errors (the
dataset form, the account form, the audit log's filters, an information request, a refused
upload, a file with personal data). The test fails on any phrase of the *other* language found
in the page's visible text.

The rules, chosen so that a hit is a real mistake:

* The phrases come from our own catalogue, app/translations/id/LC_MESSAGES/messages.po. The
  English side is checked against the msgstrs (Indonesian), the Indonesian side against the
  msgids (English). A message whose msgstr equals its msgid ("API", "Email", "Portal Data Sosial
  NTB") says nothing about the language and is left out.
* A message is cut at its placeholders (%(name)s, {min}) and its markup; a piece counts as a phrase
  when it has at least two words and ten letters ("Tabel ini", "Log in first"): one word is too
  often the same in both languages (dataset, status, admin, token).
* A phrase that also occurs in the other side of the catalogue is left out ("Creative Commons"
  in both), and so is a phrase of the data itself: dataset titles, descriptions, organization
  and topic names, tags and the tables' cells are Indonesian by nature, whichever language the
  page is in.
* The visible text is the text of the elements plus the title, aria-label, placeholder and alt
  attributes and the labels of buttons; <script>, <style>, <code> and <pre> (the API page's
  examples), hidden inputs, and an element whose `lang` says it is in the other language on
  purpose (`<small lang="id">(Daftar Informasi Publik)</small>`, the legal name beside the
  English one) are not read. Matching is case-sensitive on whole words.
"""
from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.conftest import prepared_app
from tests.factories import PASSWORD, make_users, seed_demo
from tests.samples import BNBA

PO = Path(__file__).resolve().parent.parent / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
_CUT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?[diouxXeEfFgGcrsa%]"
                  r"|\{[^{}]*\}|<[^>]*>|\n\n")
_TRIM = " \t\n.,:;()[]·–—-\"'`?!*/"


def _pieces(text: str) -> list[str]:
    out = []
    for piece in _CUT.split(text):
        piece = re.sub(r"\s+", " ", piece).strip(_TRIM)
        if len(piece.split()) >= 2 and sum(c.isalpha() for c in piece) >= 10:
            out.append(piece)
    return out


def _forms(value) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in value if v]


def catalogue_phrases() -> dict[str, set[str]]:
    """lang -> the phrases that would be out of place on a page in `lang`."""
    with PO.open("rb") as f:
        catalog = read_po(f, locale="id")
    english, indonesian = set(), set()
    all_english, all_indonesian = [], []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids, strings = _forms(message.id), _forms(message.string)
        all_english.extend(ids)
        all_indonesian.extend(strings)
        if ids[0] == strings[0]:
            continue
        for text in ids:
            english.update(_pieces(text))
        for text in strings:
            indonesian.update(_pieces(text))
    both_english = re.sub(r"\s+", " ", "\n".join(all_english))
    both_indonesian = re.sub(r"\s+", " ", "\n".join(all_indonesian))
    return {"en": {p for p in indonesian if p not in both_english},
            "id": {p for p in english if p not in both_indonesian}}


class _VisibleText(HTMLParser):
    SKIPPED = {"script", "style", "code", "pre", "template"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "wbr", "source", "area", "col", "embed", "track"}
    READ_ATTRS = ("title", "aria-label", "placeholder", "alt")

    def __init__(self, lang: str | None = None) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.parts: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, not read)

    def _skipping(self) -> bool:
        return any(skipped for _, skipped in self.open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        declared = attrs.get("lang")  # a name given in the other language on purpose, marked as such
        skipped = (tag in self.SKIPPED or "data-content" in attrs
                   or (self.lang is not None and tag != "html" and declared is not None and declared != self.lang))
        if not self._skipping() and not skipped:
            self.parts.extend(v for k, v in attrs.items() if k in self.READ_ATTRS and v)
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.parts.append(attrs["value"])
        if tag not in self.VOID:
            self.open.append((tag, skipped))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                return

    def handle_data(self, data):
        if not self._skipping():
            self.parts.append(data)


def visible_text(html: str, lang: str | None = None) -> str:
    parser = _VisibleText(lang)
    parser.feed(html)
    parser.close()
    return re.sub(r"\s+", " ", " \n ".join(parser.parts))


def out_of_place(text: str, phrases: set[str]) -> list[str]:
    return sorted(p for p in phrases if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", text))


def _prepare():
    seed_demo()
    make_users()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The demo portal with one account per role; its own, since the forms below write."""
    with prepared_app(tmp_path_factory.mktemp("lang"), "t_lang", _prepare) as app:
        yield app


def _data_text(client) -> str:
    """The demo data's own words: package dicts, organizations, topics and the tables' cells."""
    parts = []
    found = client.get("/api/3/action/package_search?rows=1000").get_json()["result"]["results"]
    parts.append(json.dumps(found, ensure_ascii=False))
    for kind in ("organization", "group"):
        parts.append(json.dumps(client.get(f"/api/3/action/{kind}_list?all_fields=true").get_json()["result"],
                                ensure_ascii=False))
    for pkg in found:
        for res in pkg["resources"]:
            body = client.get(f"/api/3/action/datastore_search?resource_id={res['id']}&limit=1000").get_json()
            parts.append(json.dumps(body.get("result", {}).get("records", []), ensure_ascii=False))
    return re.sub(r"\s+", " ", "\n".join(parts))


def _walk(app, lang: str):
    """Yield (what, response) for every kind of page, read in `lang`."""
    client = app.test_client()
    client.get(f"/?lang={lang}")
    found = client.get("/dataset?format=json&per_page=100").get_json()["results"]
    first = found[0]
    first_table = first["resources"][0]["id"]
    public = ["/", "/dataset", "/dataset?q=bencana", "/dataset?q=bencna", "/dataset?q=tidakadasamasekali",
              "/dataset?groups=lks&sort=title", "/group", "/organization", "/api", "/user/login", "/user/reset",
              "/user/reset/not-a-token", "/dataset/tidak-ada", "/halaman/tidak/ada", "/contact", "/permintaan",
              "/permintaan/daftar", "/permintaan/lacak/tidak-ada", "/ppid/daftar-informasi",
              "/ppid/informasi-dikecualikan", "/ppid/laporan",
              f"/dataset/{first['name']}/resource/{first_table}?sort=tidak_ada",
              f"/dataset/{first['name']}/resource/{first_table}?after=rusak"]
    for pkg in found:
        public.append(f"/dataset/{pkg['name']}")
        public += [f"/dataset/{pkg['name']}/resource/{res['id']}" for res in pkg["resources"]]
    public += [f"/group/{name}" for name in client.get("/api/3/action/group_list").get_json()["result"]]
    public += [f"/organization/{name}" for name in client.get("/api/3/action/organization_list").get_json()["result"]]
    for url in public:
        yield url, client.get(url)
    yield "POST / (405)", client.post("/")
    yield "an information request with mistakes", client.post("/permintaan", data={
        "kind": "information", "subject": "x", "name": "", "contact": "bukan", "delivery": "merpati"})
    yield "login with a wrong password", client.post("/user/login", data={"email": "nobody@test.local",
                                                                        "password": "salah-sekali"})

    editor = app.test_client()
    editor.get(f"/?lang={lang}")
    editor.post("/user/login", data={"email": "editor@test.local", "password": PASSWORD})
    yield "an editor on the accounts page (403)", editor.get("/admin/users")

    client.post("/user/login", data={"email": "sysadmin@test.local", "password": PASSWORD})
    admin = ["/admin/", "/admin/account", "/admin/incidents", "/admin/tokens", "/admin/upload", "/admin/users",
             "/admin/audit", "/admin/audit?from=kemarin&to=2026-02-30&user=x", "/admin/permintaan/"]
    for pkg in found:
        admin += [f"/admin/dataset/{pkg['name']}", f"/admin/dataset/{pkg['name']}/edit"]
    for url in admin:
        yield url, client.get(url)
    page = client.get(f"/admin/dataset/{first['name']}").get_data(as_text=True)
    for review in sorted(set(re.findall(r'href="(/admin/dataset/[^"/]+/review/[^"]+)"', page))):
        yield review, client.get(review)

    yield "the dataset form with mistakes", client.post(f"/admin/dataset/{first['name']}/edit", data={
        "title": "x", "years": "20x9", "frequency": "kadang", "level": "rt", "license_id": "lain",
        "contact_email": "bukan-email", "unit": "u" * 150})
    yield "the account form with mistakes", client.post("/admin/users", data={"email": "bukan-email",
                                                                             "role": "raja"})
    yield "a password change with mistakes", client.post("/admin/account/password", data={
        "current": "salah", "password": "pendek", "confirm": "lain"}, follow_redirects=True)
    yield "an upload of a text file", client.post("/admin/upload", data={
        "file": (io.BytesIO(b"\x00\x01\x02 not a table"), "catatan.csv")},
        content_type="multipart/form-data")
    with BNBA.open("rb") as fh:
        refused = client.post("/admin/upload", data={"file": (fh, BNBA.name)}, content_type="multipart/form-data",
                              follow_redirects=True)
    yield "an upload with personal data", refused


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_page_is_in_one_language(site, lang):
    phrases = catalogue_phrases()[lang]
    data = _data_text(site.test_client())
    phrases = {p for p in phrases if p not in data}
    assert len(phrases) > 200, "the catalogue gave too few phrases to check with"
    wrong, seen = {}, 0
    for what, resp in _walk(site, lang):
        assert resp.status_code < 500, what
        if not resp.mimetype == "text/html":
            continue
        seen += 1
        hits = out_of_place(visible_text(resp.get_data(as_text=True), lang), phrases)
        if hits:
            wrong[f"{what} ({resp.status_code})"] = hits
    assert seen > 50
    assert not wrong, f"phrases of the other language on the {lang} pages: {json.dumps(wrong, indent=1)}"


def test_the_check_sees_a_phrase_of_the_other_language():
    """The rules still catch the mistakes this test is for (and skip what they should)."""
    phrases = catalogue_phrases()
    assert "Halaman tidak ditemukan" in phrases["en"]
    assert "Page not found" in phrases["id"]
    page = ("<main><p>Page not found.</p><pre>Page not found</pre><code>x</code>"
            "<input type='hidden' value='Page not found'><p data-content>Log in first</p></main>")
    text = visible_text(page)
    assert out_of_place(text, {"Page not found", "Log in first"}) == ["Page not found"]
    assert out_of_place(visible_text("<button aria-label='Halaman tidak ditemukan'>x</button>"),
                        phrases["en"]) == ["Halaman tidak ditemukan"]
    marked = "<h1>List <small lang='id'>(Halaman tidak ditemukan)</small></h1>"
    assert out_of_place(visible_text(marked, "en"), phrases["en"]) == []
    assert out_of_place(visible_text(marked, "id"), {"Halaman tidak ditemukan"}) == ["Halaman tidak ditemukan"]


def _form_flashes(html: str) -> list[str]:
    return [visible_text(m) for m in re.findall(r'<div class="flash error"[^>]*>(.*?)</div>', html, re.S)]


@pytest.mark.parametrize("lang, expected", [
    ("id", ["Judul: Panjang harus antara 3 dan 300.", "Tahun yang dicakup: Tahun tidak valid.",
            "Email kontak: Alamat email tidak valid.", "Satuan: Terlalu panjang; panjang maksimum 100."]),
    ("en", ["Title: Length must be between 3 and 300.", "Years covered: Invalid year.",
            "Contact email: Not a valid email address.", "Unit: Longer than maximum length 100."]),
])
def test_form_errors_name_the_field_as_the_form_labels_it(site, lang, expected):
    client = site.test_client()
    client.get(f"/?lang={lang}")
    client.post("/user/login", data={"email": "sysadmin@test.local", "password": PASSWORD})
    name = client.get("/dataset?format=json").get_json()["results"][0]["name"]
    resp = client.post(f"/admin/dataset/{name}/edit", data={"title": "x", "years": "20x9", "contact_email": "a@",
                                                             "unit": "u" * 150, "license_id": "CC-BY-4.0"})
    assert resp.status_code == 400
    flashes = _form_flashes(resp.get_data(as_text=True))
    assert sorted(flashes) == sorted(expected)
    assert not [f for f in flashes if re.match(r"[a-z_]+:", f)], "a key of ours, not a label"


def test_marshmallow_messages_with_values_are_translated(site):
    from marshmallow import Schema, fields, validate

    from app.services.translate import translate_errors

    class Probe(Schema):
        title = fields.String(validate=validate.Length(min=3, max=5))
        code = fields.String(validate=validate.Length(equal=4))
        level = fields.String(validate=validate.OneOf(["a", "b"]))
        count = fields.Integer(validate=validate.Range(min=1))
        day = fields.Date()
        flag = fields.Boolean()

    errors = Probe().validate({"title": "x", "code": "abc", "level": "c", "count": 0, "day": "kemarin",
                               "flag": "mungkin", "extra": 1})
    with site.test_request_context("/?lang=id"):
        assert translate_errors(errors) == {
            "title": ["Panjang harus antara 3 dan 5."], "code": ["Panjang harus 4."],
            "level": ["Harus salah satu dari: a, b."], "count": ["Harus lebih besar dari atau sama dengan 1."],
            "day": ["Bukan tanggal yang valid."], "flag": ["Bukan nilai ya/tidak yang valid."],
            "extra": ["Isian tidak dikenal."]}
    with site.test_request_context("/?lang=en"):
        assert translate_errors(errors)["count"] == ["Must be greater than or equal to 1."]


def test_every_dataset_activity_has_a_phrase_in_both_languages():
    """Each (action, object) a service records for a dataset's history is worded whole."""
    from app.views.template_helpers import ACTIVITY_LABELS

    services = Path(__file__).resolve().parent.parent / "app" / "services"
    recorded = set()
    for path in services.glob("*.py"):
        # record(s, actor, "action", "object_type", object_id, dataset_id, ...): a dataset's entry
        for action, object_type in re.findall(r'record\(\s*\w+,\s*\w+,\s*"(\w+)",\s*"(\w+)",\s*[^,()]+(?:\([^()]*\))?,'
                                              r'\s*(?!\w+=)[\w.]+', path.read_text(encoding="utf-8")):
            recorded.add(f"{action}:{object_type}")
    assert {"upload:resource", "publish:dataset", "delete:resource_version"} <= recorded
    assert recorded <= set(ACTIVITY_LABELS), sorted(recorded - set(ACTIVITY_LABELS))
