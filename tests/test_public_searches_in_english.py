"""A reader who searches in English finds the Indonesian datasets (app/data/synonyms.txt)."""
from __future__ import annotations

import pytest

from app.search.text import stem, words
from tests.test_public_searches import names, search



@pytest.mark.parametrize("query, expected", [
    ("disaster", {"korban-bencana-sosial-2019-2024"}),
    ("disaster victims", {"korban-bencana-sosial-2019-2024"}),
    ("number of disaster victims by regency", {"korban-bencana-sosial-2019-2024"}),
    ("poverty", {"penerima-bansos-per-kabupaten-2024", "pmks-per-kabupaten-2023"}),
    ("civil servants", {"asn-dinsos-ntb-2020-2024"}),
    ("number of civil servants by sex", {"asn-dinsos-ntb-2020-2024"}),
    ("social welfare institutions", {"lks-per-kabupaten-2021-2024", "pemberdayaan-lks-2022-2024",
                                     "direktori-lks-mitra"}),
    ("social assistance", {"penerima-bansos-per-kabupaten-2024"}),
    ("food assistance", {"penerima-bansos-per-kabupaten-2024"}),
    ("disability", {"pmks-per-kabupaten-2023"}),
    ("elderly", {"pmks-per-kabupaten-2023"}),
])
def test_english_words_find_the_indonesian_datasets(demo_client, query, expected):
    found = search(demo_client, f"q={query}")
    assert expected <= set(names(found)), (query, names(found))
    assert found["suggestion"] in (None, ""), "an English word of ours is no misspelling"


def test_the_english_search_finds_what_the_indonesian_one_does(demo_client):
    for english, indonesian in (("disaster", "bencana"), ("poverty", "kemiskinan"), ("civil servants", "ASN")):
        assert names(search(demo_client, f"q={english}")) == names(search(demo_client, f"q={indonesian}"))


def test_an_english_word_without_a_synonym_still_finds_nothing(demo_client):
    assert search(demo_client, "q=spaceship")["count"] == 0


def test_each_synonym_belongs_to_one_group():
    """A word listed in two groups would expand to the first one only: keep the file tidy."""
    from app.search.text import DEFAULT_SYNONYMS_PATH

    seen: dict[tuple[str, ...], int] = {}
    with open(DEFAULT_SYNONYMS_PATH, encoding="utf-8") as fh:
        lines = [line.split("#", 1)[0].strip() for line in fh]
    for number, line in enumerate(lines, 1):
        for entry in filter(None, (part.strip() for part in line.split(","))):
            key = tuple(stem(w) for w in words(entry))
            assert seen.setdefault(key, number) == number, f"{entry!r} on lines {seen[key]} and {number}"
