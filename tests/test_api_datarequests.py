"""A client written for ckanext-datarequests files, lists, answers and comments information
requests (UU 14/2008) through the Action API, with ckanapi against a live portal; the
requester's name and contact are in no answer, whoever asks."""
from __future__ import annotations

import re
import time
import uuid
from datetime import datetime

import ckanapi
import pytest
import requests
from sqlalchemy import select

from app.services.working_days import add_working_days
from tests.factories import OTHER_ORG

ORG = "bidang-perlindungan-jaminan-sosial"
KORBAN = "korban-bencana-sosial-2019-2024"
NAME, CONTACT, NIK, PHONE = "Baiq Nurul Aini", "baiq.aini@example.com", "5201024509870003", "081234567890"


@pytest.fixture(scope="module", autouse=True)
def roomy_limits(portal):
    # One address (127.0.0.1) files every request of this module; the limit itself is tested below.
    portal.app.config["PUBLIC_FORM_LIMIT"] = "1000/hour"
    yield


def _word() -> str:
    """A word only this test's requests carry, so its assertions ignore the others'."""
    return "uji" + uuid.uuid4().hex[:8]


def _file(portal, word="", **fields):
    data = {"title": f"Data jumlah LKS per kabupaten {word}".strip(), "requester_name": NAME,
            "requester_contact": CONTACT, "description": f"Untuk skripsi. NIK saya {NIK}, HP {PHONE}."}
    data.update(fields)
    return portal.ckan().action.create_datarequest(**data)


def _no_personal_data(text: str) -> None:
    for secret in (NAME, CONTACT, NIK, PHONE, "Baiq", "baiq.aini"):
        assert secret not in text, f"{secret!r} leaked into an API answer"


def _raw(portal, name, token=None, method="post", **data):
    headers = {"Authorization": token} if token else {}
    if method == "get":
        return requests.get(f"{portal.url}/api/3/action/{name}", params=data, headers=headers)
    return requests.post(f"{portal.url}/api/3/action/{name}", json=data, headers=headers)


def test_anyone_files_a_request_and_reads_it_by_number_or_id(portal):
    req = _file(portal, organization_id=ORG)
    assert re.fullmatch(r"PPID-\d{4}-\d{6}", req["id"]) and req["number"] == req["id"]
    assert req["title"].startswith("Data jumlah LKS") and req["closed"] is False and req["status"] == "diterima"
    assert req["user_id"] is None and req["organization"]["name"] == ORG
    assert req["accepted_dataset_id"] is None and req["close_time"] is None and req["comments_count"] == 0
    # The law's clock: 10 working days from receipt, to the end of that day.
    received = datetime.fromisoformat(req["open_time"])
    assert datetime.fromisoformat(req["due"]).date() == add_working_days(received.date(), 10)
    assert req["extended"] is False and req["extended_reason"] is None
    # The description is masked as in the public register.
    assert "NIK saya" in req["description"] and NIK not in req["description"] and PHONE not in req["description"]
    # The requester's private link opens their page; only the create answer carries it.
    assert requests.get(req["tracking_url"]).status_code == 200
    public = portal.ckan()
    shown = public.action.show_datarequest(id=req["id"])
    assert "tracking_url" not in shown and shown["title"] == req["title"]
    with portal.app.app_context():
        from app import db
        from app.models import InfoRequest

        internal_id = db.session().scalar(select(InfoRequest.id).where(InfoRequest.number == req["id"]))
    assert public.action.show_datarequest(id=internal_id)["id"] == req["id"]
    assert requests.get(shown["register_url"]).status_code == 200
    with pytest.raises(ckanapi.NotFound):
        public.action.show_datarequest(id="PPID-1999-999999")


def test_list_filters_by_organization_and_state_pages_and_counts(portal):
    word = _word()
    mine = [_file(portal, word, organization_id=ORG) for _ in range(3)]
    other = _file(portal, word, organization_id=OTHER_ORG)
    unassigned = _file(portal, word)
    public = portal.ckan()

    found = public.action.list_datarequests(q=word)
    assert set(found) == {"count", "facets", "result"}
    assert found["count"] == 5 and [r["id"] for r in found["result"]] == [r["id"] for r in mine + [other, unassigned]]
    orgs = {i["name"]: i["count"] for i in found["facets"]["organization"]["items"]}
    assert orgs == {ORG: 3, OTHER_ORG: 1}
    assert found["facets"]["state"]["items"] == [{"name": "open", "display_name": "Open", "count": 5}]
    assert {i["name"]: i["count"] for i in found["facets"]["status"]["items"]} == {"diterima": 5}

    by_name = public.action.list_datarequests(q=word, organization_id=ORG)
    by_id = public.action.list_datarequests(q=word, organization_id=mine[0]["organization_id"])
    assert by_name["count"] == by_id["count"] == 3
    assert [r["id"] for r in by_name["result"]] == [r["id"] for r in mine]
    assert list(by_name["facets"]["organization"]["items"][0].values()) == [ORG, mine[0]["organization"]["title"], 3]

    page = public.action.list_datarequests(q=word, offset=1, limit=2)
    assert page["count"] == 5 and [r["id"] for r in page["result"]] == [mine[1]["id"], mine[2]["id"]]
    assert [r["id"] for r in public.action.list_datarequests(q=word, offset=4, limit=10)["result"]] == [unassigned["id"]]
    newest = public.action.list_datarequests(q=word, sort="desc", limit=1)["result"]
    assert [r["id"] for r in newest] == [unassigned["id"]]

    portal.ckan("org_admin").action.close_datarequest(id=mine[1]["id"], accepted_dataset_id=KORBAN)
    closed = public.action.list_datarequests(q=word, closed=True)
    assert [r["id"] for r in closed["result"]] == [mine[1]["id"]] and closed["count"] == 1
    assert closed["facets"]["state"]["items"] == [{"name": "closed", "display_name": "Closed", "count": 1}]
    still_open = public.action.list_datarequests(q=word, closed="false")
    assert still_open["count"] == 4 and mine[1]["id"] not in [r["id"] for r in still_open["result"]]
    states = {i["name"]: i["count"] for i in public.action.list_datarequests(q=word)["facets"]["state"]["items"]}
    assert states == {"open": 4, "closed": 1}
    assert public.action.list_datarequests(q=word, status="dipenuhi")["count"] == 1
    # A read over GET answers the same (ckanapi's get_only clients, curl).
    assert ckanapi.RemoteCKAN(portal.url, get_only=True).action.list_datarequests(q=word, closed="true")["count"] == 1


def test_the_office_comments_then_closes_with_a_published_dataset(portal):
    req = _file(portal, organization_id=ORG)
    office = portal.ckan("org_admin")
    comment = office.action.comment_datarequest(datarequest_id=req["id"],
                                                comment=f"Sedang kami siapkan. Hubungi {PHONE} bila perlu.")
    assert set(comment) >= {"id", "user_id", "datarequest_id", "time", "comment"}
    assert comment["datarequest_id"] == req["id"] and comment["user_id"] is None
    assert comment["comment"].startswith("Sedang kami siapkan.") and PHONE not in comment["comment"]

    public = portal.ckan()
    shown = public.action.show_datarequest(id=req["id"])
    assert shown["status"] == "diterima" and shown["comments_count"] == 1  # a comment changes no status
    assert [c["id"] for c in public.action.list_datarequest_comments(datarequest_id=req["id"])] == [comment["id"]]

    korban = public.action.package_show(id=KORBAN)
    closed = office.action.close_datarequest(id=req["id"], accepted_dataset_id=korban["id"])
    assert closed["closed"] is True and closed["status"] == "dipenuhi" and closed["close_time"]
    assert closed["accepted_dataset_id"] == korban["id"] and closed["accepted_dataset"]["name"] == KORBAN
    assert closed["close_circumstance"] == "dipenuhi / fulfilled" and korban["title"] in closed["reply"]
    notes = public.action.list_datarequest_comments(datarequest_id=req["id"])
    assert [n["status"] for n in notes] == ["diterima", "dipenuhi"] and korban["title"] in notes[1]["comment"]
    assert [n["id"] for n in public.action.list_datarequest_comments(datarequest_id=req["id"], sort="desc")] == \
        [n["id"] for n in reversed(notes)]
    assert public.action.show_datarequest(id=req["id"])["comments_count"] == 2
    # The public register shows the answer and the dataset.
    page = requests.get(closed["register_url"]).text
    assert korban["title"] in page

    with pytest.raises(ckanapi.ValidationError):
        office.action.close_datarequest(id=req["id"], accepted_dataset_id=KORBAN)  # closed already


def test_the_ppid_refuses_with_a_pasal_17_ground_through_the_api(portal):
    req = _file(portal)
    ppid = portal.ckan("sysadmin")
    with pytest.raises(ckanapi.ValidationError) as err:
        ppid.action.close_datarequest(id=req["id"], outcome="refuse", consequence_test="x")
    assert "ground" in err.value.error_dict
    refused = ppid.action.close_datarequest(
        id=req["id"], outcome="refuse", ground="h",
        consequence_test="Data per orang mengungkap rahasia pribadi; kepentingan publik tidak lebih besar.")
    assert refused["status"] == "ditolak" and refused["closed"] is True and refused["refusal_ground"] == "h"
    assert refused["refusal_ground_label"].startswith("h.") and refused["consequence_test"]


def test_only_the_requests_handlers_may_close_or_comment(portal):
    req = _file(portal, organization_id=ORG)
    for who in (None, "editor", "other_admin", "other_editor"):
        client = portal.ckan(who)
        with pytest.raises(ckanapi.NotAuthorized):
            client.action.close_datarequest(id=req["id"], accepted_dataset_id=KORBAN)
        with pytest.raises(ckanapi.NotAuthorized):
            client.action.comment_datarequest(datarequest_id=req["id"], comment="Bukan urusan saya.")
    # A browser session is not a token: a logged-in admin's cookie does not close it either.
    session = requests.Session()
    session.post(f"{portal.url}/user/login", data={"email": "admin@test.local", "password": "rahasia-uji-123"})
    resp = session.post(f"{portal.url}/api/3/action/close_datarequest", json={"id": req["id"], "reply": "Ya."})
    assert resp.status_code == 403 and resp.json()["error"]["__type"] == "Authorization Error"
    after = portal.ckan().action.show_datarequest(id=req["id"])
    assert after["status"] == "diterima" and after["closed"] is False and after["comments_count"] == 0


def test_a_request_kept_out_of_the_register_is_read_only_by_its_handlers(portal):
    word = _word()
    req = _file(portal, word, organization_id=ORG, is_public=False)
    assert req["is_public"] is False and req["register_url"] is None
    for who in (None, "editor", "other_admin"):
        with pytest.raises(ckanapi.NotFound):
            portal.ckan(who).action.show_datarequest(id=req["id"])
        assert portal.ckan(who).action.list_datarequests(q=word)["count"] == 0
    for who in ("org_admin", "sysadmin"):
        assert portal.ckan(who).action.show_datarequest(id=req["id"])["id"] == req["id"]
        assert [r["id"] for r in portal.ckan(who).action.list_datarequests(q=word)["result"]] == [req["id"]]


def test_no_answer_carries_the_requesters_name_or_contact(portal):
    word = _word()
    created = _raw(portal, "create_datarequest", title=f"Data jumlah LKS {word}", requester_name=NAME,
                   requester_contact=CONTACT, organization_id=ORG, purpose=f"Skripsi {NAME}",
                   description=f"NIK saya {NIK}, HP {PHONE}.")
    req = created.json()["result"]
    answers = [created.text]
    for who in (None, "org_admin", "sysadmin"):
        token = portal.tokens[who] if who else None
        answers.append(_raw(portal, "show_datarequest", token, id=req["id"]).text)
        answers.append(_raw(portal, "list_datarequests", token, method="get", q=word).text)
        answers.append(_raw(portal, "list_datarequest_comments", token, datarequest_id=req["id"]).text)
    answers.append(_raw(portal, "comment_datarequest", portal.tokens["org_admin"], datarequest_id=req["id"],
                        comment=f"Untuk {NAME}: dikirim ke {CONTACT}.").text)
    answers.append(_raw(portal, "close_datarequest", portal.tokens["sysadmin"], id=req["id"],
                        reply=f"Terima kasih {NAME}, data dikirim ke {CONTACT} dan {PHONE}.").text)
    answers.append(_raw(portal, "show_datarequest", portal.tokens["sysadmin"], id=req["id"]).text)
    answers.append(_raw(portal, "list_datarequest_comments", None, datarequest_id=req["id"]).text)
    for text in answers:
        assert '"success": true' in text
        assert "requester" not in text and "purpose" not in text
        assert CONTACT not in text and NIK not in text and PHONE not in text
    # The office's own notes are masked as the register masks them; the name typed in them too.
    assert not any(NAME in text for text in answers)


def test_bad_parameters_answer_in_ckans_error_envelope(portal):
    req = _file(portal, organization_id=ORG)
    admin = portal.tokens["org_admin"]
    cases = [
        ("list_datarequests", None, {"limit": "x"}, 409, "limit"),
        ("list_datarequests", None, {"offset": -1}, 409, "offset"),
        ("list_datarequests", None, {"closed": "maybe"}, 409, "closed"),
        ("list_datarequests", None, {"sort": "sideways"}, 409, "sort"),
        ("list_datarequests", None, {"status": "lost"}, 409, "status"),
        ("list_datarequests", None, {"q": ["a", "b"]}, 409, "q"),
        ("list_datarequests", None, {"organization_id": "tidak-ada"}, 404, None),
        ("show_datarequest", None, {}, 409, "id"),
        ("show_datarequest", None, {"id": "PPID-2026-99999999999999999999999999999999"}, 404, None),
        ("create_datarequest", None, {"requester_name": NAME, "requester_contact": CONTACT}, 409, "title"),
        ("create_datarequest", None, {"title": "Data LKS 2024"}, 409, "requester_name"),
        ("create_datarequest", None, {"title": ["Data LKS 2024"], "requester_name": NAME,
                                      "requester_contact": CONTACT}, 409, "title"),
        ("create_datarequest", None, {"title": "Data LKS 2024", "requester_name": NAME, "requester_contact": CONTACT,
                                      "organization_id": "tidak-ada"}, 409, "organization_id"),
        ("create_datarequest", None, {"title": "Data LKS 2024", "requester_name": NAME, "requester_contact": CONTACT,
                                      "delivery": "pigeon"}, 409, "delivery"),
        ("comment_datarequest", admin, {"datarequest_id": req["id"], "comment": {"a": 1}}, 409, "comment"),
        ("comment_datarequest", admin, {"datarequest_id": req["id"]}, 409, "comment"),
        ("comment_datarequest", admin, {"datarequest_id": "PPID-1999-000001", "comment": "x"}, 404, None),
        ("close_datarequest", admin, {"id": req["id"]}, 409, "reply"),
        ("close_datarequest", admin, {"id": req["id"], "outcome": "vanish"}, 409, "outcome"),
        ("close_datarequest", admin, {"id": req["id"], "accepted_dataset_id": "tidak-ada"}, 409, "accepted_dataset_id"),
        ("close_datarequest", admin, {"id": req["id"], "reply": ["a"]}, 409, "reply"),
        ("close_datarequest", admin, {"id": req["id"], "outcome": "not_held"}, 409, "holder"),
        ("list_datarequest_comments", None, {}, 409, "datarequest_id"),
    ]
    for name, token, data, status, key in cases:
        resp = _raw(portal, name, token, **data)
        body = resp.json()
        assert resp.status_code == status, (name, data, resp.text)
        assert body["success"] is False and body["help"].endswith(f"name={name}")
        expected = {409: "Validation Error", 404: "Not Found Error"}[status]
        assert body["error"]["__type"] == expected, (name, data, body)
        if key:
            assert key in body["error"], (name, data, body)
        _no_personal_data(resp.text)
    # Writes are POST only; a body that is not JSON is a Bad request.
    assert _raw(portal, "create_datarequest", method="get", title="x").status_code == 400
    resp = requests.post(f"{portal.url}/api/3/action/create_datarequest", data="{not json",
                         headers={"Content-Type": "application/json"})
    assert resp.status_code == 400 and resp.json()["error"]["__type"].startswith("Bad request")
    # None of those left anything behind: the request is as it was filed.
    after = portal.ckan().action.show_datarequest(id=req["id"])
    assert after["status"] == "diterima" and after["comments_count"] == 0


def test_filing_is_limited_per_address_like_the_web_form(portal):
    word = _word()
    portal.app.config["PUBLIC_FORM_LIMIT"] = "1/hour"
    try:
        _file(portal, word)
        resp = _raw(portal, "create_datarequest", title=f"Data kedua {word}", requester_name=NAME,
                    requester_contact=CONTACT)
        assert resp.status_code == 409 and resp.json()["error"]["__type"] == "Validation Error"
        assert "wait" in resp.json()["error"]["message"].lower() or "tunggu" in resp.json()["error"]["message"].lower()
        assert portal.ckan().action.list_datarequests(q=word)["count"] == 1
    finally:
        portal.app.config["PUBLIC_FORM_LIMIT"] = "1000/hour"


def test_api_page_and_openapi_describe_the_datarequest_actions(portal):
    page = requests.get(f"{portal.url}/api", headers={"Accept-Language": "en"}).text
    for name in ("create_datarequest", "show_datarequest", "list_datarequests", "close_datarequest",
                 "comment_datarequest", "list_datarequest_comments"):
        assert f'id="action-{name}"' in page
    assert "never returned" in page or "tidak pernah dikembalikan" in page
    paths = requests.get(f"{portal.url}/api/openapi.json").json()["paths"]
    assert "security" not in paths["/api/3/action/create_datarequest"]["post"]
    assert "get" not in paths["/api/3/action/create_datarequest"]
    assert paths["/api/3/action/close_datarequest"]["post"]["security"]
    help_text = portal.ckan().action.help_show(name="list_datarequests")
    assert "facets" in help_text


@pytest.fixture
def mailing_portal(tmp_path, database_url):
    """A live portal with the demo data whose mail goes to a real SMTP server: (URL, sink, org admin's token)."""
    import socket

    from aiosmtpd.controller import Controller

    from app.services import users as user_service
    from tests.conftest import live_server, make_app
    from tests.factories import make_users, seed_demo, user
    from tests.test_public_asks_the_office import Sink

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    app = make_app(tmp_path, database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        with app.app_context():
            seed_demo()
            make_users()
            token = user_service.create_token(user("org_admin"), "api-mail")[1]
        with live_server(app) as base:
            yield base, sink, token
    finally:
        controller.stop()
        app.extensions["db_engine"].dispose()


def test_the_requester_hears_of_the_offices_comment_and_answer_by_mail(mailing_portal):
    """Through the API as through the inbox: the requester's e-mail carries each step."""
    base, sink, token = mailing_portal
    req = ckanapi.RemoteCKAN(base).action.create_datarequest(
        title="Data jumlah LKS per kabupaten 2024", requester_name=NAME, requester_contact=CONTACT,
        organization_id=ORG)
    first = sink.wait_for(CONTACT, req["id"])
    assert first and req["tracking_url"].split("?t=")[1] in first[0]["body"]
    # The bidang's admins hear of a request sent straight to them.
    assert sink.wait_for("admin@test.local", req["id"])
    office = ckanapi.RemoteCKAN(base, apikey=token)
    office.action.comment_datarequest(datarequest_id=req["id"], comment="Sedang kami siapkan, mohon tunggu.")
    noted = [m for m in sink.wait_for(CONTACT, "Status") if "Sedang kami siapkan" in m["body"]]
    assert noted, "the comment did not reach the requester"
    office.action.close_datarequest(id=req["id"], accepted_dataset_id=KORBAN)
    deadline = time.time() + 10
    while not [m for m in sink.messages if CONTACT in m["to"] and "dipenuhi" in m["subject"]]:
        assert time.time() < deadline, "the answer did not reach the requester"
        time.sleep(0.05)
