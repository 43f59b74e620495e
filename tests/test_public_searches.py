"""The public searches by words, topic and year, and gets what it means."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import make_app, prepared_app
from tests.factories import SAMPLES, dataset_with_table, make_users, user
from tests.support.search_lock import hold_index_lock
from tests.support.database import stored_dataset

CLEAN = {"missing": [], "extra": [], "stale": []}


def search(client, query: str) -> dict:
    resp = client.get(f"/dataset?format=json&{query}")
    assert resp.status_code == 200
    return resp.get_json()


def page(client, query: str) -> str:
    resp = client.get(f"/dataset?{query}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def names(found: dict) -> list[str]:
    return [r["name"] for r in found["results"]]


def page_names(html: str) -> list[str]:
    return re.findall(r'<div class="result">\s*<h3><a href="/dataset/([^"]+)"', html)


def facet(found: dict, field: str) -> dict[str, int]:
    return {item["name"]: item["count"] for item in found["facets"].get(field, [])}


def chip_links(html: str) -> list[dict[str, list[str]]]:
    """The query of each filter chip's removal link, in page order."""
    return [parse_qs(urlsplit(unescape(href)).query) for href in re.findall(r'<a class="chip" href="([^"]*)"', html)]


def assert_nothing_shown(found: dict, html: str) -> None:
    assert found["count"] == 0 and found["results"] == []
    assert all(values == [] for values in found["facets"].values()), found["facets"]
    assert "data-facet=" not in html and 'class="result"' not in html
    assert re.search(r'id="result-count">\s*0 ', html)


def test_facet_counts_equal_hand_counted_demo_data(demo_client):
    found = search(demo_client, "")
    assert found["count"] == 8
    assert facet(found, "topic") == {"lks": 3, "kepegawaian": 1, "bencana-sosial": 1, "psks": 1, "bantuan-sosial": 1,
                                     "kemiskinan": 1, "pmks-ppks": 1, "kinerja": 1}
    assert facet(found, "year") == {"2019": 2, "2020": 3, "2021": 4, "2022": 5, "2023": 6, "2024": 6}
    assert facet(found, "organization") == {"bidang-pemberdayaan-sosial": 3, "sekretariat": 2,
                                            "bidang-perlindungan-jaminan-sosial": 1, "bidang-penanganan-fakir-miskin": 1,
                                            "bidang-rehabilitasi-sosial": 1}
    assert facet(found, "res_format") == {"CSV": 7, "XLSX": 1}
    assert facet(found, "level") == {"kabupaten-kota": 6, "provinsi": 2}


def test_a_multi_year_dataset_appears_under_each_of_its_years(demo_client):
    for year in range(2019, 2025):
        assert "korban-bencana-sosial-2019-2024" in names(search(demo_client, f"year={year}")), year
    assert "korban-bencana-sosial-2019-2024" not in names(search(demo_client, "year=2018"))


def test_topic_and_year_combine_and_other_facets_keep_their_counts(demo_client):
    found = search(demo_client, "topic=lks&year=2022")
    assert sorted(names(found)) == ["lks-per-kabupaten-2021-2024", "pemberdayaan-lks-2022-2024"]
    assert found["count"] == 2
    assert facet(found, "year")["2024"] == 3  # year counts ignore the year filter itself, not the topic
    assert facet(found, "topic")["kepegawaian"] == 1  # topic counts ignore the topic filter, not the year


def test_year_range_filter(demo_client):
    found = search(demo_client, "year_from=2019&year_to=2020")
    assert sorted(names(found)) == ["asn-dinsos-ntb-2020-2024", "kinerja-sakip-2019-2023",
                                    "korban-bencana-sosial-2019-2024"]


@pytest.mark.parametrize("query,expected", [
    ("kebencanaan", "korban-bencana-sosial-2019-2024"),
    ("bencana", "korban-bencana-sosial-2019-2024"),
    ("berdaya", "pemberdayaan-lks-2022-2024"),
    ("jumlah pegawai", "asn-dinsos-ntb-2020-2024"),
    ("PNS", "asn-dinsos-ntb-2020-2024"),
    ("bansos", "penerima-bansos-per-kabupaten-2024"),
    ("PPKS", "pmks-per-kabupaten-2023"),
    ("lembaga kesejahteraan sosial", "lks-per-kabupaten-2021-2024"),
    ("keluarga penerima manfaat", "penerima-bansos-per-kabupaten-2024"),
    ("difabel", "pmks-per-kabupaten-2023"),
])
def test_stemmed_and_synonym_queries_find_the_right_dataset(demo_client, query, expected):
    assert expected in names(search(demo_client, f"q={query}"))[:3]


# Each spelling of a synonym group is the only one in its own document ("Rekap <word> Daerah").
SYNONYM_GROUPS = [
    ("ASN", "PNS", "pegawai"),
    ("LKS", "lembaga kesejahteraan sosial"),
    ("PMKS", "PPKS"),
    ("bansos", "bantuan sosial"),
    ("disabilitas", "difabel"),
    ("KPM", "keluarga penerima manfaat"),
]


def _synonym_name(word: str) -> str:
    return "sinonim-" + word.lower().replace(" ", "-")


@pytest.fixture(scope="module")
def synonym_app(tmp_path_factory):
    """A portal with one published dataset per spelling, made once: the tests only search it."""

    def one_dataset_per_spelling():
        make_users()
        for group in SYNONYM_GROUPS:
            for word in group:
                dataset_with_table(user("org_admin"), name=_synonym_name(word), title=f"Rekap {word} Daerah",
                                   publish=True)

    with prepared_app(tmp_path_factory.mktemp("synonyms"), "t_syn", one_dataset_per_spelling) as app:
        yield app


@pytest.fixture(scope="module")
def without_synonyms(synonym_app, tmp_path_factory):
    """The same documents in an index with an empty synonym list: the control."""
    from app.search import SearchIndex
    from app.services import search as search_service
    from app.services.search import _published_query

    tmp = tmp_path_factory.mktemp("no-synonyms")
    (tmp / "synonyms.txt").write_text("# none\n", encoding="utf-8")
    index = SearchIndex(str(tmp / "index"), synonyms_path=str(tmp / "synonyms.txt"))
    with synonym_app.app_context():
        from app import db

        docs = [search_service.to_document(ds) for ds in db.session().scalars(_published_query())]
    index.upsert(docs)
    by_id = {d["id"]: d["name"] for d in docs}
    return lambda q: {by_id[i] for i in index.search(q, visible_orgs=[], per_page=100).ids}


@pytest.mark.parametrize("group,word", [(g, w) for g in SYNONYM_GROUPS for w in g])
def test_a_synonym_finds_documents_that_only_have_the_other_spelling(synonym_app, without_synonyms, group, word):
    expected = {_synonym_name(w) for w in group}
    assert set(names(search(synonym_app.test_client(), f"q={word}&per_page=100"))) == expected
    assert without_synonyms(word) != expected  # so the synonym list is what finds them


def test_a_misspelling_gets_did_you_mean_and_a_fuzzy_fallback(demo_client):
    found = search(demo_client, "q=bencna")
    assert found["suggestion"] == "bencana"
    assert "korban-bencana-sosial-2019-2024" in names(found) and found["fuzzy"] is True
    page = demo_client.get("/dataset?q=bencna").get_data(as_text=True)
    assert "bencana" in page and "q=bencana" in page


def test_data_bencana_tahun_2023_means_bencana_in_2023(demo_client):
    found = search(demo_client, "q=data bencana tahun 2023")
    assert names(found)[0] == "korban-bencana-sosial-2019-2024"


def test_results_highlight_matches_and_the_empty_state_helps(demo_client):
    page = demo_client.get("/dataset?q=bencana").get_data(as_text=True)
    assert "<mark>" in page
    empty = demo_client.get("/dataset?q=zzzzqqq").get_data(as_text=True)
    assert 'class="empty"' in empty


def test_search_state_is_a_url_with_sort(demo_client):
    found = search(demo_client, "sort=title")
    titles = [r["title"] for r in found["results"]]
    assert titles == sorted(titles, key=str.lower)


def test_each_chip_removes_its_own_filter_and_keeps_the_others(demo_client):
    query = "q=lks&topic=lks&topic=kepegawaian&year=2023&sort=newest"
    base = {"q": ["lks"], "topic": ["lks", "kepegawaian"], "year": ["2023"], "sort": ["newest"]}
    assert chip_links(page(demo_client, query)) == [
        {**base, "topic": ["kepegawaian"]},
        {**base, "topic": ["lks"]},
        {k: v for k, v in base.items() if k != "year"},
    ]
    ranged = chip_links(page(demo_client, "topic=lks&year_from=2019&year_to=2022"))
    assert ranged == [{"year_from": ["2019"], "year_to": ["2022"]}, {"topic": ["lks"]}]
    # Following a chip's link gives the search without that filter.
    after = page(demo_client, "q=lks&topic=kepegawaian&year=2023&sort=newest")
    assert [sorted(c) for c in chip_links(after)] == [["q", "sort", "year"], ["q", "sort", "topic"]]


def test_a_year_in_the_words_shows_as_a_removable_chip(demo_client):
    found = search(demo_client, "q=bencana 2023")
    assert found["detected_year"] == 2023
    explicit = search(demo_client, "q=bencana&year=2023")
    assert names(found) == names(explicit) and found["count"] == explicit["count"] >= 1
    assert explicit["detected_year"] is None and search(demo_client, "q=bencana")["detected_year"] is None
    html = page(demo_client, "q=bencana 2023&sort=newest")
    assert chip_links(html) == [{"q": ["bencana"], "sort": ["newest"]}]
    active = re.findall(r'<a class="active" aria-current="true" href="([^"]*)"><span>([^<]*)</span>', html)
    assert [(parse_qs(urlsplit(unescape(href)).query), label) for href, label in active] == [
        ({"q": ["bencana"], "sort": ["newest"]}, "2023")]
    other_year = re.search(r'<a class="" href="([^"]*)"><span>2019</span>', html)
    assert parse_qs(urlsplit(unescape(other_year.group(1))).query) == {"q": ["bencana"], "sort": ["newest"],
                                                                       "year": ["2019"]}


def test_a_draft_pushed_into_the_index_behind_the_services_back_is_not_shown(app, users):
    from app.services import search as search_service

    with app.app_context():
        ds, _ = dataset_with_table(user("org_admin"), name="draf-bocor", title="Draf Bencana Bocor")
        app.extensions["search_index"].upsert([search_service.to_document(ds)])
    client = app.test_client()
    for query in ("q=bocor", "", "q=bocor&sort=downloads"):
        found = search(client, query)
        html = page(client, query)
        assert_nothing_shown(found, html)
        assert "Bocor" not in html and found["suggestion"] is None
    # A chosen filter (or a year in the words) is still listed, with nothing counted under it.
    for query in ("topic=bencana-sosial", "q=draf bocor 2024"):
        found = search(client, query)
        assert found["count"] == 0 and {i["count"] for items in found["facets"].values() for i in items} == {0}
    with app.app_context():
        assert search_service.check()["extra"] == [ds.id]


def test_a_private_dataset_indexed_as_public_behind_the_back_stays_private(app, client, auth):
    from app.services import search as search_service

    with app.app_context():
        ds, _ = dataset_with_table(user("org_admin"), name="privat-bocor", title="Privat Bencana Bocor",
                                   private=True, publish=True)
        app.extensions["search_index"].upsert([dict(search_service.to_document(ds), private=False)])
        assert search_service.check()["stale"] == [ds.id]
    assert_nothing_shown(search(client, "q=bocor"), page(client, "q=bocor"))
    auth.login("org_admin")  # a member of its organization still finds it
    found = search(client, "q=bocor")
    assert names(found) == ["privat-bocor"] and found["count"] == 1
    assert facet(found, "topic") == {"bencana-sosial": 1}
    assert page_names(page(client, "q=bocor")) == ["privat-bocor"]


def test_check_reports_missing_extra_and_stale_entries_and_rebuild_fixes_them(app, users, runner):
    from app.services import search as search_service

    with app.app_context():
        lost, basi, _baik = (dataset_with_table(user("org_admin"), name=n, title=f"Periksa {n}", publish=True)[0]
                            for n in ("periksa-hilang", "periksa-basi", "periksa-baik"))
        draft, _ = dataset_with_table(user("org_admin"), name="periksa-draf", title="Periksa Draf")
        assert search_service.check() == CLEAN
        index = app.extensions["search_index"]
        index.delete([lost.id])
        index.upsert([search_service.to_document(draft)])
        index.upsert([dict(search_service.to_document(basi), title="Judul Usang",
                           metadata_modified="2001-01-01T00:00:00+00:00")])
        assert search_service.check() == {"missing": [lost.id], "extra": [draft.id], "stale": [basi.id]}
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1
    assert f"missing: {lost.id}" in result.output and f"extra: {draft.id}" in result.output
    assert f"stale: {basi.id}" in result.output
    with app.app_context():
        assert search_service.rebuild() == 3
        assert search_service.check() == CLEAN
    assert runner.invoke(args=["search", "check"]).exit_code == 0
    client = app.test_client()
    assert sorted(names(search(client, "q=periksa&per_page=50"))) == ["periksa-baik", "periksa-basi", "periksa-hilang"]
    assert search(client, "q=usang")["count"] == 0


def test_accents_are_folded(demo_client):
    assert names(search(demo_client, "q=bencána"))[:1] == ["korban-bencana-sosial-2019-2024"]
    assert names(search(demo_client, "q=BENCÁNA")) == names(search(demo_client, "q=bencana"))


def test_tag_facet_counts_equal_hand_counted_demo_data(demo_client):
    ones = ["bencana sosial", "korban", "pengungsi", "kepegawaian", "golongan", "penerima manfaat", "pemberdayaan",
            "bantuan", "direktori", "PKH", "BPNT", "KPM", "PMKS", "disabilitas", "lanjut usia", "SAKIP", "kinerja",
            "indikator", "ASN"]
    assert facet(search(demo_client, ""), "tag") == {"LKS": 3, "akreditasi": 2, **{t: 1 for t in ones}}
    assert facet(search(demo_client, "topic=lks"), "tag") == {"LKS": 3, "akreditasi": 2, "penerima manfaat": 1,
                                                              "pemberdayaan": 1, "bantuan": 1, "direktori": 1}
    assert names(search(demo_client, "tag=akreditasi&sort=title")) == ["direktori-lks-mitra",
                                                                       "lks-per-kabupaten-2021-2024"]


@pytest.mark.parametrize("query", ["", "q=lks", "q=sosial&sort=title", "q=sosial&sort=downloads", "q=bencna",
                                   "topic=lks&year=2023", "q=lks 2024&sort=newest", "per_page=3&page=2"])
def test_the_page_and_the_json_give_the_same_results_in_the_same_order(demo_client, query):
    found = search(demo_client, query)
    html = page(demo_client, query)
    assert page_names(html) == names(found) and names(found)
    assert re.search(rf'id="result-count">\s*{found["count"]} ', html)


def test_most_downloaded_sort_follows_the_downloads(app, users):
    with app.app_context():
        made = {n: dataset_with_table(user("org_admin"), name=n, title=f"Unduhan {n}", publish=True)[0]
                for n in ("unduh-a", "unduh-b", "unduh-c")}
    client = app.test_client()

    def download(name: str, times: int) -> None:
        url = f"/dataset/{name}/resource/{made[name].resources[0].id}/download/{name}.csv"
        for _ in range(times):
            resp = client.get(url)
            assert resp.status_code == 200
            resp.get_data()

    assert names(search(client, "q=unduhan&sort=downloads")) == ["unduh-c", "unduh-b", "unduh-a"]  # newest first
    download("unduh-b", 3)
    download("unduh-a", 1)
    assert names(search(client, "q=unduhan&sort=downloads")) == ["unduh-b", "unduh-a", "unduh-c"]
    download("unduh-a", 3)
    assert names(search(client, "q=unduhan&sort=downloads")) == ["unduh-a", "unduh-b", "unduh-c"]
    assert page_names(page(client, "q=unduhan&sort=downloads")) == ["unduh-a", "unduh-b", "unduh-c"]


def test_did_you_mean_never_offers_a_word_from_a_private_dataset(app, client, auth):
    with app.app_context():
        dataset_with_table(user("org_admin"), name="rahasia-zonasi", title="Rekap Zonasi Terpencil",
                           private=True, publish=True)
    public = search(client, "q=terpencl")
    assert public["suggestion"] is None and public["count"] == 0 and public["fuzzy"] is False
    assert "terpencil" not in page(client, "q=terpencl").lower()
    auth.login("org_admin")  # a member may be offered the word
    assert search(client, "q=terpencl")["suggestion"] == "terpencil"


@pytest.mark.parametrize("action", ["publish", "unpublish"])
def test_a_failed_commit_puts_the_index_back(app, users, action):
    from sqlalchemy import event

    from app import db
    from app.services import datasets
    from app.services import search as search_service

    with app.app_context():
        ds, _ = dataset_with_table(user("org_admin"), name="komit-gagal", title="Komit Gagal",
                                   publish=action == "unpublish")

    def refuse(_session):
        raise RuntimeError("the database refused the commit")

    with app.app_context():
        session = db.session()
        event.listen(session, "before_commit", refuse)
        with pytest.raises(RuntimeError, match="refused"):
            getattr(datasets, action)(user("org_admin"), ds.id)
        event.remove(session, "before_commit", refuse)
    with app.app_context():
        assert stored_dataset(ds.id).state == ("draft" if action == "publish" else "published")
        assert search_service.check() == CLEAN
        assert (ds.id in app.extensions["search_index"].indexed()) is (action == "unpublish")
    assert names(search(app.test_client(), "q=komit")) == ([] if action == "publish" else ["komit-gagal"])


def test_publishing_updates_the_index_and_unpublishing_removes_it(app, users):
    from app.services import datasets

    with app.app_context():
        ds, _ = dataset_with_table(user("org_admin"), name="terbit", title="Korban Bencana Terbit", publish=True)
    assert "terbit" in names(search(app.test_client(), "q=terbit"))
    with app.app_context():
        datasets.unpublish(user("org_admin"), "terbit")
    assert "terbit" not in names(search(app.test_client(), "q=terbit"))


def test_a_failed_index_write_rolls_the_publish_back(app, users):
    from app.search import IndexWriteError
    from app.services import datasets

    index = app.extensions["search_index"]
    with app.app_context():
        ds, _ = dataset_with_table(user("org_admin"), name="gagal")
        before = stored_dataset("gagal")
        draft = (before.state, before.published, before.modified)
        indexed = index.indexed()
        held = hold_index_lock(app)  # a second real writer: the publish's index write times out
        try:
            with pytest.raises(IndexWriteError):
                datasets.publish(user("org_admin"), ds.id)
        finally:
            held.cancel()
    with app.app_context():
        after = stored_dataset("gagal")
        assert (after.state, after.published, after.modified) == draft
    assert index.indexed() == indexed
    assert "gagal" not in names(search(app.test_client(), "q=gagal"))


PUBLISHER = textwrap.dedent("""
    import sys
    from app import create_app
    from app.services import datasets, resources
    from tests.factories import user
    cfg = dict(TESTING=True, SECRET_KEY="t", DATABASE_URL=sys.argv[1], DATASETS_DIR=sys.argv[2],
               SEARCH_INDEX_DIR=sys.argv[3], INSTANCE_PATH=sys.argv[4])
    app = create_app(cfg)
    with app.app_context():
        for i in range(3):
            name = f"{sys.argv[5]}-{i}"
            ds = datasets.create(user("org_admin"), {"title": "Serentak " + name, "name": name,
                                                      "topics": ["bencana-sosial"]})
            with open(sys.argv[6], "rb") as fh:
                resources.upload(user("org_admin"), ds.id, fh, "tabel.csv")
            datasets.publish(user("org_admin"), ds.id)
""")


def test_concurrent_publishes_from_two_processes_both_end_up_indexed(app, users, tmp_path):
    cfg = app.config
    args = [cfg["DATABASE_URL"], cfg["DATASETS_DIR"], cfg["SEARCH_INDEX_DIR"], str(tmp_path / "instance")]
    sample = str(SAMPLES / "pmks_per_kabupaten_2023.csv")
    procs = [subprocess.Popen([sys.executable, "-c", PUBLISHER, *args, prefix, sample],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for prefix in ("satu", "dua")]
    for p in procs:
        _out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err.decode()[-2000:]
        assert b"LockError" not in err
    found = search(app.test_client(), "q=serentak&per_page=50")
    assert sorted(names(found)) == sorted(f"{p}-{i}" for p in ("satu", "dua") for i in range(3))
    with app.app_context():
        from app.services import search as search_service

        assert search_service.check() == {"missing": [], "extra": [], "stale": []}


def test_counts_follow_a_change_made_by_another_server_process_at_once(app, users, tmp_path):
    """Each process caches which datasets are published; a change committed by another one
    (here a second app on the same database and index) shows in the next search's counts."""
    from app.services import datasets

    with app.app_context():
        for n in ("proses-a", "proses-b"):
            dataset_with_table(user("org_admin"), name=n, title=f"Rekap Proses {n}", publish=True)
    client = app.test_client()
    assert search(client, "q=proses")["count"] == 2
    other = make_app(tmp_path, app.config["DATABASE_URL"])
    try:
        with other.app_context():
            datasets.update(user("org_admin"), "proses-a", {"private": True})
        found = search(client, "q=proses")
        assert names(found) == ["proses-b"] and found["count"] == 1
        assert facet(found, "topic") == {"bencana-sosial": 1}
        with other.app_context():
            datasets.unpublish(user("org_admin"), "proses-b")
        assert_nothing_shown(search(client, "q=proses"), page(client, "q=proses"))
        with app.app_context():  # and a change made here shows here at once, too
            datasets.update(user("org_admin"), "proses-a", {"private": False})
        assert names(search(client, "q=proses")) == ["proses-a"]
    finally:
        other.extensions["db_engine"].dispose()


def test_a_search_page_reads_only_what_its_package_dicts_show(app, users):
    """A version's review, summary, findings and small-cell JSON stay in the database."""
    from sqlalchemy import event

    with app.app_context():
        for n in ("muat-a", "muat-b"):
            dataset_with_table(user("org_admin"), name=n, title=f"Muat Sedikit {n}", publish=True)
    statements: list[str] = []
    engine = app.extensions["db_engine"]

    def seen(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        found = search(app.test_client(), "q=muat")
        assert page_names(page(app.test_client(), "q=muat")) == names(found)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert sorted(names(found)) == ["muat-a", "muat-b"]
    with app.app_context():
        from app.services import datasets
        assert found["results"] == datasets.packages([stored_dataset(n) for n in names(found)], "http://localhost")
    reads = [s for s in statements if "resource_version" in s and s.lstrip().upper().startswith("SELECT")]
    assert reads and not [s for s in reads if re.search(r"\b(review|summary|findings|small_cells|options)\b", s)]
