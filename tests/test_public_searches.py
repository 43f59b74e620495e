"""The public searches by words, topic and year, and gets what it means."""
from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.factories import SAMPLES, dataset_with_table, user


def search(client, query: str) -> dict:
    resp = client.get(f"/dataset?format=json&{query}")
    assert resp.status_code == 200
    return resp.get_json()


def names(found: dict) -> list[str]:
    return [r["name"] for r in found["results"]]


def facet(found: dict, field: str) -> dict[str, int]:
    return {item["name"]: item["count"] for item in found["facets"].get(field, [])}


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
    page = demo_client.get("/dataset?q=lks&topic=lks&year=2023&sort=newest").get_data(as_text=True)
    assert 'class="chip"' in page and "topic=lks" in page


def test_a_draft_pushed_into_the_index_behind_the_services_back_is_not_shown(app, users):
    from app.services import search as search_service

    with app.app_context():
        ds, _ = dataset_with_table(user("org_admin"), name="draf-bocor", title="Draf Bencana Bocor")
        app.extensions["search_index"].upsert([search_service.to_document(ds)])
    found = search(app.test_client(), "q=bocor")
    assert "draf-bocor" not in names(found)
    with app.app_context():
        assert search_service.check()["extra"] == [ds.id]


def test_rebuild_and_check_agree_with_the_database(demo_app):
    from app.services import search as search_service

    with demo_app.app_context():
        assert search_service.rebuild() == 8
        assert search_service.check() == {"missing": [], "extra": [], "stale": []}


def test_publishing_updates_the_index_and_unpublishing_removes_it(app, users):
    from app.services import datasets

    with app.app_context():
        ds, _ = dataset_with_table(user("org_admin"), name="terbit", title="Korban Bencana Terbit", publish=True)
    assert "terbit" in names(search(app.test_client(), "q=terbit"))
    with app.app_context():
        datasets.unpublish(user("org_admin"), "terbit")
    assert "terbit" not in names(search(app.test_client(), "q=terbit"))


def test_a_failed_index_write_rolls_the_publish_back(app, users, monkeypatch):
    from app.search_index import IndexWriteError
    from app.services import datasets

    with app.app_context():
        ds, _ = dataset_with_table(user("org_admin"), name="gagal")

        def broken(_docs):
            raise IndexWriteError("disk full")

        monkeypatch.setattr(app.extensions["search_index"], "upsert", broken)
        with pytest.raises(IndexWriteError):
            datasets.publish(user("org_admin"), ds.id)
    with app.app_context():
        assert datasets.find("gagal").state == "draft"


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
