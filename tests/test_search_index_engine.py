"""The search engine on a real Whoosh index shaped like the demo datasets (no Flask, no DB)."""
from __future__ import annotations

import pytest

from app.search import IdSet, IdValues, SearchIndex, highlight, id_array
from app.search.text import Synonyms, stem

ORG_TITLES = {
    "sekretariat": "Sekretariat",
    "linjamsos": "Bidang Perlindungan dan Jaminan Sosial",
    "rehsos": "Bidang Rehabilitasi Sosial",
    "dayasos": "Bidang Pemberdayaan Sosial",
    "fakirmiskin": "Bidang Penanganan Fakir Miskin",
}
TOPIC_TITLES = {
    "bencana-sosial": "Bencana Sosial", "kepegawaian": "Kepegawaian", "lks": "Lembaga Kesejahteraan Sosial",
    "bansos": "Bantuan Sosial", "kemiskinan": "Kemiskinan", "pmks": "PMKS/PPKS", "kinerja": "Kinerja",
}


def _doc(n, name, title, topics, org, years, formats, level, tags, columns, description="", private=False,
         downloads=0):
    return {
        "id": f"00000000-0000-4000-8000-{n:012d}",
        "name": name,
        "title": title,
        "description": description,
        "notes": "",
        "tags": tags,
        "topics": topics,
        "topic_titles": [TOPIC_TITLES[t] for t in topics],
        "organization": org,
        "organization_title": ORG_TITLES[org],
        "formats": formats,
        "years": list(years),
        "level": level,
        "columns": columns,
        "private": private,
        "metadata_modified": f"2024-07-{n:02d}T08:00:00+00:00",
        "metadata_created": "2024-01-01T00:00:00+00:00",
        "downloads": downloads,
    }


KAB = ["kode_kabupaten_kota", "nama_kabupaten_kota", "tahun"]
DOCS = [
    _doc(1, "korban-bencana-sosial-2019-2024", "Korban Bencana Sosial per Kabupaten/Kota", ["bencana-sosial"],
         "linjamsos", range(2019, 2025), ["CSV"], "kabupaten-kota", ["bencana", "korban", "tagana"],
         KAB + ["jumlah_kejadian", "korban_meninggal", "jiwa_mengungsi"],
         "Kejadian bencana sosial <script>alert(1)</script> & korban per kabupaten/kota.", downloads=40),
    _doc(2, "asn-dinsos-ntb-2020-2024", "Jumlah ASN Dinas Sosial Provinsi NTB menurut Golongan dan Jenis Kelamin",
         ["kepegawaian"], "sekretariat", range(2020, 2025), ["CSV", "xlsx"], "provinsi", ["asn"],
         ["golongan", "jenis_kelamin", "jumlah_asn", "tahun"], "Aparatur di lingkungan Dinas Sosial.", downloads=15),
    _doc(3, "lks-per-kabupaten-2021-2024", "Lembaga Kesejahteraan Sosial per Kabupaten/Kota", ["lks"], "rehsos",
         range(2021, 2025), ["CSV"], "kabupaten-kota", ["lks", "akreditasi"],
         KAB + ["jenis_layanan", "jumlah_lks", "lks_terakreditasi", "penerima_manfaat"], downloads=7),
    _doc(4, "pemberdayaan-lks-2022-2024", "Pemberdayaan Lembaga Kesejahteraan Sosial", ["lks"], "dayasos",
         range(2022, 2025), ["XLSX"], "provinsi", ["lks", "pemberdayaan"], ["kegiatan", "jumlah_peserta"],
         downloads=3),
    _doc(5, "direktori-lks-mitra", "Direktori LKS Mitra Dinas Sosial", ["lks"], "rehsos", [2024], ["CSV"],
         "kabupaten-kota", ["lks", "direktori"], ["nama_lks", "alamat_kantor", "akreditasi"], downloads=22),
    _doc(6, "penerima-bansos-per-kabupaten-2024", "Penerima Bantuan Sosial (PKH dan BPNT) per Kabupaten/Kota",
         ["bansos", "kemiskinan"], "fakirmiskin", [2024], ["CSV"], "kabupaten-kota", ["pkh", "bpnt"],
         KAB + ["program", "tahap", "jumlah_kpm", "nilai_bantuan_rp"], downloads=90),
    _doc(7, "pmks-per-kabupaten-2023", "Jumlah PMKS per Kabupaten/Kota", ["pmks"], "rehsos", [2023], ["CSV"],
         "kabupaten-kota", ["pmks", "disabilitas", "lansia"],
         ["fakir_miskin", "anak_terlantar", "lanjut_usia_terlantar", "penyandang_disabilitas"], downloads=11),
    _doc(8, "kinerja-sakip-2019-2023", "Capaian Kinerja SAKIP Dinas Sosial", ["kinerja"], "sekretariat",
         range(2019, 2024), ["CSV"], "provinsi", ["sakip"], ["indikator", "target", "realisasi", "capaian_persen"],
         "Indikator kinerja: persentase LKS terakreditasi.", downloads=1),
]
PRIVATE = _doc(9, "rekap-internal-bencana", "Rekap Internal Bencana (draf)", ["bencana-sosial"], "linjamsos", [2024],
               ["XLSX"], "provinsi", ["bencana"], ["uraian"], private=True)
ALL = DOCS + [PRIVATE]
ID = {d["name"]: d["id"] for d in ALL}


@pytest.fixture
def index(tmp_path):
    ix = SearchIndex(str(tmp_path / "search_index"))
    ix.ensure()
    ix.upsert(ALL)
    return ix


def names(ids):
    by_id = {v: k for k, v in ID.items()}
    return [by_id[i] for i in ids]


# --- facets, filters, sorts ---------------------------------------------------------------


def test_public_facets_count_every_published_dataset(index):
    r = index.search(visible_orgs=[])
    assert r.total == 8
    assert r.facets["topic"] == [("lks", 3), ("bansos", 1), ("bencana-sosial", 1), ("kemiskinan", 1),
                                 ("kepegawaian", 1), ("kinerja", 1), ("pmks", 1)]
    # A dataset covering several years counts under each of them.
    assert sorted(r.facets["year"]) == [("2019", 2), ("2020", 3), ("2021", 4), ("2022", 5), ("2023", 6), ("2024", 6)]
    assert r.facets["year"][:2] == [("2023", 6), ("2024", 6)]
    assert r.facets["organization"] == [("rehsos", 3), ("sekretariat", 2), ("dayasos", 1), ("fakirmiskin", 1),
                                        ("linjamsos", 1)]
    assert r.facets["format"] == [("CSV", 7), ("XLSX", 2)]
    assert r.facets["level"] == [("kabupaten-kota", 5), ("provinsi", 3)]
    assert ("lks", 3) in r.facets["tag"]


def test_selected_facet_still_counts_its_other_values(index):
    r = index.search(filters={"topic": ["bencana-sosial"]}, visible_orgs=[])
    assert names(r.ids) == ["korban-bencana-sosial-2019-2024"]
    assert r.total == 1
    assert dict(r.facets["topic"]) == {"lks": 3, "bansos": 1, "bencana-sosial": 1, "kemiskinan": 1,
                                       "kepegawaian": 1, "kinerja": 1, "pmks": 1}
    assert sorted(r.facets["year"]) == [(str(y), 1) for y in range(2019, 2025)]


def test_topic_and_year_filters_combine(index):
    r = index.search(filters={"topic": ["lks"], "year": ["2022"]}, visible_orgs=[])
    assert sorted(names(r.ids)) == ["lks-per-kabupaten-2021-2024", "pemberdayaan-lks-2022-2024"]
    assert r.total == 2
    assert sorted(r.facets["year"]) == [("2021", 1), ("2022", 2), ("2023", 2), ("2024", 3)]
    assert dict(r.facets["topic"]) == {"bencana-sosial": 1, "kepegawaian": 1, "lks": 2, "kinerja": 1}
    assert dict(r.facets["organization"]) == {"rehsos": 1, "dayasos": 1}


def test_values_within_a_facet_or_together(index):
    r = index.search(filters={"topic": ["pmks", "kinerja"], "format": ["csv"]}, visible_orgs=[])
    assert sorted(names(r.ids)) == ["kinerja-sakip-2019-2023", "pmks-per-kabupaten-2023"]


def test_year_range_keeps_datasets_with_any_year_inside(index):
    r = index.search(year_from=2019, year_to=2023, visible_orgs=[])
    assert sorted(names(r.ids)) == sorted(["korban-bencana-sosial-2019-2024", "asn-dinsos-ntb-2020-2024",
                                           "lks-per-kabupaten-2021-2024", "pemberdayaan-lks-2022-2024",
                                           "pmks-per-kabupaten-2023", "kinerja-sakip-2019-2023"])
    assert index.search(year_from=2024, visible_orgs=[]).total == 6
    assert index.search(year_to=2019, visible_orgs=[]).total == 2


def test_private_dataset_is_found_only_by_its_organization(index):
    assert ID["rekap-internal-bencana"] not in index.search("bencana", visible_orgs=[]).ids
    assert ID["rekap-internal-bencana"] not in index.search("bencana", visible_orgs=["sekretariat"]).ids
    assert ID["rekap-internal-bencana"] in index.search("bencana", visible_orgs=["linjamsos"]).ids
    assert index.search(visible_orgs=["linjamsos"]).total == 9
    assert dict(index.search(visible_orgs=[]).facets["topic"])["bencana-sosial"] == 1
    # None = every organization, as permissions.visible_organizations() gives a sysadmin.
    assert index.search(visible_orgs=None).total == 9


def test_allowed_ids_limit_results_counts_facets_and_suggestions(index):
    allowed = IdSet(key="three", ids=id_array([ID["asn-dinsos-ntb-2020-2024"], ID["direktori-lks-mitra"],
                                               ID["pmks-per-kabupaten-2023"], "not-indexed"]))
    r = index.search(visible_orgs=None, allowed=allowed, sort="title")
    assert names(r.ids) == ["direktori-lks-mitra", "asn-dinsos-ntb-2020-2024", "pmks-per-kabupaten-2023"]
    assert r.total == 3
    assert dict(r.facets["topic"]) == {"kepegawaian": 1, "lks": 1, "pmks": 1}
    assert dict(r.facets["organization"]) == {"sekretariat": 1, "rehsos": 2}
    assert index.search("bencana", visible_orgs=None, allowed=allowed).total == 0
    assert index.search("bencna", visible_orgs=None, allowed=allowed).suggestion is None
    # The index's own flags still apply: an allowed private document stays hidden from the public.
    private = IdSet(key="private", ids=id_array([ID["rekap-internal-bencana"]]))
    assert index.search(visible_orgs=[], allowed=private).total == 0
    assert index.search(visible_orgs=["linjamsos"], allowed=private).total == 1
    # Another key is another set (the docnum mask is cached per key and index generation).
    assert index.search(visible_orgs=None, allowed=IdSet(key="none", ids=id_array([]))).total == 0
    assert index.search(visible_orgs=None, allowed=allowed).total == 3


def test_did_you_mean_uses_only_words_of_visible_documents(index):
    # "internal" is only in the private dataset's title.
    assert index.search("internl", visible_orgs=[]).suggestion is None
    assert index.search("internl", visible_orgs=["linjamsos"]).suggestion == "internal"
    assert index.search("internl", visible_orgs=[]).fuzzy is False


def test_download_counts_from_outside_the_index_order_the_downloads_sort(index):
    counts = IdValues(key="fresh", ids=id_array([ID["kinerja-sakip-2019-2023"], ID["pmks-per-kabupaten-2023"]]),
                      values=[500, 300])
    r = index.search(sort="downloads", visible_orgs=[], downloads=counts)
    # The indexed counts are ignored: the rest have none, so the newest comes next.
    assert names(r.ids)[:3] == ["kinerja-sakip-2019-2023", "pmks-per-kabupaten-2023",
                                "penerima-bansos-per-kabupaten-2024"]
    # Without outside counts the indexed ones order it.
    assert names(index.search(sort="downloads", visible_orgs=[]).ids)[0] == "penerima-bansos-per-kabupaten-2024"


def test_highlight_marks_stemmed_matches_in_any_text():
    title, snippet = highlight({"bencana"}, "Kebencanaan & Korban", "Data <b>bencana</b> sosial per kabupaten.")
    assert title == "<mark>Kebencanaan</mark> &amp; Korban"
    assert snippet.startswith("Data &lt;b&gt;<mark>bencana</mark>&lt;/b&gt; sosial per kabupaten")
    assert highlight(set(), "A <b>", "") == ("A &lt;b&gt;", "")


@pytest.mark.parametrize(
    "sort, first",
    [("newest", "kinerja-sakip-2019-2023"), ("downloads", "penerima-bansos-per-kabupaten-2024"),
     ("title", "kinerja-sakip-2019-2023"), ("relevance", "kinerja-sakip-2019-2023")],
)
def test_sorts_without_words(index, sort, first):
    r = index.search(sort=sort, visible_orgs=[])
    assert names(r.ids)[0] == first
    if sort == "title":
        titles = [next(d["title"] for d in ALL if d["id"] == i).lower() for i in r.ids]
        assert titles == sorted(titles)


def test_paging_and_all_matching_ids(index):
    first = index.search(sort="title", per_page=3, page=1, visible_orgs=[])
    second = index.search(sort="title", per_page=3, page=2, visible_orgs=[])
    assert first.total == second.total == 8 and len(first.ids) == 3
    every = index.all_matching_ids(sort="title", visible_orgs=[])
    assert every[:6] == first.ids + second.ids and len(every) == 8
    assert set(index.all_matching_ids("lks", visible_orgs=[])) >= {ID["direktori-lks-mitra"]}


# --- language: stems, synonyms, stopwords, years ------------------------------------------


# Sastrawi judged on our vocabulary: see the module docstring of app/search/text.py.
@pytest.mark.parametrize(
    "word, expected",
    [("kebencanaan", "bencana"), ("bencana", "bencana"), ("pemberdayaan", "daya"), ("berdaya", "daya"),
     ("kesejahteraan", "sejahtera"), ("penerima", "terima"), ("bantuan", "bantu"), ("kepegawaian", "pegawai"),
     ("disabilitas", "disabilitas"), ("lansia", "lansia"), ("kabupaten", "kabupaten"), ("anak", "anak"),
     ("sosial", "sosial"), ("asn", "asn"), ("pmks", "pmks"), ("2023", "2023"),
     # Sastrawi gets these wrong for us; overridden.
     ("direktori", "direktori"), ("kinerja", "kinerja"), ("meninggal", "meninggal")],
)
def test_indonesian_stemmer_quality(word, expected):
    assert stem(word) == expected


def test_stemmed_query_finds_the_root_word(index):
    assert names(index.search("kebencanaan", visible_orgs=[]).ids) == ["korban-bencana-sosial-2019-2024"]
    assert ID["pemberdayaan-lks-2022-2024"] in index.search("berdaya", visible_orgs=[]).ids


@pytest.mark.parametrize("q", ["pegawai", "PNS", "jumlah pegawai", "kepegawaian", "ASN"])
def test_staff_words_find_the_asn_dataset(index, q):
    assert names(index.search(q, visible_orgs=[]).ids)[0] == "asn-dinsos-ntb-2020-2024"


def test_bansos_finds_bantuan_sosial_and_back(index):
    assert names(index.search("bansos", visible_orgs=[]).ids)[0] == "penerima-bansos-per-kabupaten-2024"
    assert names(index.search("bantuan sosial", visible_orgs=[]).ids)[0] == "penerima-bansos-per-kabupaten-2024"


def test_ppks_finds_pmks(index):
    assert ID["pmks-per-kabupaten-2023"] in index.search("PPKS", visible_orgs=[]).ids
    assert ID["lks-per-kabupaten-2021-2024"] in index.search("lembaga kesejahteraan sosial", visible_orgs=[]).ids


def test_synonym_file_is_editable(tmp_path):
    path = tmp_path / "syn.txt"
    path.write_text("# comment\nTagana, taruna siaga bencana\nfoo\n", encoding="utf-8")
    syn = Synonyms.load(str(path))
    assert len(syn.groups) == 1
    ix = SearchIndex(str(tmp_path / "ix"), synonyms_path=str(path))
    ix.upsert([DOCS[0]])
    assert ix.search("taruna siaga bencana", visible_orgs=[]).total == 1


def test_year_in_words_becomes_a_year_filter(index):
    r = index.search("data bencana tahun 2023", visible_orgs=[])
    assert r.detected_year == 2023
    assert names(r.ids) == ["korban-bencana-sosial-2019-2024"]
    assert index.search("bencana 2018", visible_orgs=[]).total == 0
    explicit = index.search("bencana 2023", filters={"year": ["2019"]}, visible_orgs=[])
    assert explicit.detected_year is None


def test_words_and_together_then_fall_back_to_or(index):
    assert names(index.search("lks mitra", visible_orgs=[]).ids) == ["direktori-lks-mitra"]
    r = index.search("korban golongan", visible_orgs=[])
    assert sorted(names(r.ids)) == ["asn-dinsos-ntb-2020-2024", "korban-bencana-sosial-2019-2024"]
    assert not r.fuzzy


def test_misspelling_gets_suggestion_and_fuzzy_results(index):
    r = index.search("bencna", visible_orgs=[])
    assert r.suggestion == "bencana"
    assert r.fuzzy
    assert ID["korban-bencana-sosial-2019-2024"] in r.ids
    assert index.search("data bencna tahun 2023", visible_orgs=[]).suggestion == "data bencana tahun 2023"
    exact = index.search("bencana", visible_orgs=[])
    assert exact.suggestion is None and not exact.fuzzy


def test_highlights_mark_matches_and_escape_html(index):
    r = index.search("bencana", visible_orgs=[])
    snippet = r.highlights[ID["korban-bencana-sosial-2019-2024"]]
    assert "<mark>bencana</mark>" in snippet
    assert "&lt;script&gt;" in snippet and "<script>" not in snippet
    assert "&amp;" in snippet
    assert r.title_highlights[ID["korban-bencana-sosial-2019-2024"]] == "Korban <mark>Bencana</mark> Sosial per Kabupaten/Kota"


# --- writes -------------------------------------------------------------------------------


def test_upsert_replaces_and_delete_removes(index):
    changed = dict(DOCS[4], title="Daftar Mitra Lembaga", name="daftar-lks-mitra", tags=["lks"], metadata_modified="2024-09-01T00:00:00+00:00")
    index.upsert([changed])
    assert index.search("direktori", visible_orgs=[]).total == 0
    assert names(index.search("daftar mitra", visible_orgs=[]).ids) == ["direktori-lks-mitra"]
    assert index.indexed()[changed["id"]] == "2024-09-01T00:00:00+00:00"
    index.delete([ID["korban-bencana-sosial-2019-2024"], "not-there"])
    assert ID["korban-bencana-sosial-2019-2024"] not in index.search("bencana", visible_orgs=None).ids
    assert ID["korban-bencana-sosial-2019-2024"] not in index.indexed()
    assert index.search(visible_orgs=[]).total == 7
    assert "bencana-sosial" not in dict(index.search(visible_orgs=[]).facets["topic"])


@pytest.mark.parametrize("writer", ["same", "other process"])
def test_a_word_in_every_document_still_matches_after_one_is_replaced(tmp_path, writer):
    """Postings read before a document was replaced (here or by another process) must not
    count the replaced copy: with it the word's idf went negative and it matched nothing."""
    path = str(tmp_path / "search_index")
    ix = SearchIndex(path)
    docs = [dict(DOCS[0], title="Rekap Proses Satu"), dict(DOCS[1], title="Rekap Proses Dua")]
    for d in docs:
        ix.upsert([d])
    assert sorted(ix.search("proses", visible_orgs=None).ids) == sorted(d["id"] for d in docs)
    other = ix if writer == "same" else SearchIndex(path)
    other.upsert([dict(docs[0], title="Rekap Proses Satu (revisi)")])
    for reader in (ix, SearchIndex(path)):
        found = reader.search("proses", visible_orgs=None)
        assert sorted(found.ids) == sorted(d["id"] for d in docs) and found.total == 2


def test_near_words_from_memory_equal_whooshs_terms_within(index):
    """The in-memory edit-distance walk gives exactly reader.terms_within(prefix=1)."""
    from app.search.snapshot import leaves

    words = ["bencna", "bencnaa", "lembga", "kesejahtraan", "pemberdyaan", "korbn", "ans", "disabilitsa", "zzzz", "k"]
    for reader, _offset in leaves(index._searcher()):
        for field in ("spell", "description", "title"):
            for word in words:
                for maxdist in (1, 2):
                    assert index._near_words.within(reader, field, word, maxdist) == sorted(
                        reader.terms_within(field, word, maxdist, prefix=1)), (field, word, maxdist)


def test_an_index_written_before_app_search_existed_still_opens(tmp_path):
    """Its schema names the analyzer filters app.search_text.*, the module's old path."""
    path = tmp_path / "search_index"
    SearchIndex(str(path)).upsert(DOCS[:2])
    for toc in path.glob("*.toc"):
        old = toc.read_bytes().replace(b"app.search.text\n", b"app.search_text\n")  # same length
        assert b"app.search_text\nIndonesianStemFilter" in old
        toc.write_bytes(old)
    reopened = SearchIndex(str(path))
    assert sorted(reopened.search("", visible_orgs=None).ids) == sorted(d["id"] for d in DOCS[:2])
    reopened.upsert(DOCS[2:3])
    assert reopened.search(visible_orgs=None).total == 3


def test_rebuild_and_indexed_agree(index, tmp_path):
    assert index.rebuild(d for d in DOCS[:5]) == 5
    assert index.indexed() == {d["id"]: d["metadata_modified"] for d in DOCS[:5]}
    assert index.search(visible_orgs=None).total == 5
    # A second SearchIndex (another process) sees the swapped index too.
    other = SearchIndex(index.path)
    assert set(other.indexed()) == {d["id"] for d in DOCS[:5]}
    assert index.rebuild(ALL) == 9
    assert other.search(visible_orgs=None).total == 9
    tocs = [f for f in __import__("os").listdir(index.path) if f.endswith(".toc")]
    assert len({t.rsplit("_", 1)[0] for t in tocs}) == 1  # the old index's files are gone


def test_empty_index_searches_cleanly(tmp_path):
    ix = SearchIndex(str(tmp_path / "empty"))
    r = ix.search("bencana")
    assert r.ids == [] and r.total == 0 and r.facets["topic"] == []
    assert ix.indexed() == {}
