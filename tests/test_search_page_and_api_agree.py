"""The search page and the Action API ask the same catalogue query: same ids, same counts.

Both doors call `catalog.find`; this checks it from the outside, over the demo catalogue, for
queries a visitor types on the page and an analyst sends to package_search.
"""
from __future__ import annotations

import json

import pytest

# The page's facet names and the API's (CKAN's) for the same facets.
FACETS = {"topic": "groups", "organization": "organization", "res_format": "res_format", "tag": "tags",
          "year": "year", "level": "level"}

# (the page's URL parameters, the API's parameters) for the same question.
QUERIES = [
    ({"q": "tahun 2023"}, {"q": "tahun 2023"}),  # the words' year: 2024 was 4 on the page, 3 in the API
    ({"q": "bencana"}, {"q": "bencana"}),
    ({"q": "penerima bantuan"}, {"q": "penerima bantuan"}),
    ({"q": "bencna"}, {"q": "bencna"}),  # a typo: both fall back to similar words
    ({}, {}),
    ({"topic": "lks"}, {"fq": "groups:lks"}),
    ({"year": "2023", "organization": "bidang-rehabilitasi-sosial"},
     {"fq": "year:2023 organization:bidang-rehabilitasi-sosial"}),
    ({"year": ["2022", "2024"]}, {"fq": "year:(2022 OR 2024)"}),
    ({"year_from": "2021", "year_to": "2022"}, {"fq": "year:[2021 TO 2022]"}),
    ({"res_format": "XLSX"}, {"fq": "res_format:XLSX"}),
    ({"q": "sosial", "topic": "bencana-sosial"}, {"q": "sosial", "fq": "groups:bencana-sosial"}),
    ({"sort": "newest"}, {"sort": "metadata_modified desc"}),
    ({"sort": "title", "q": "kabupaten"}, {"sort": "title_string asc", "q": "kabupaten"}),
]


def _page(client, args: dict) -> dict:
    resp = client.get("/dataset", query_string={**args, "format": "json", "per_page": 100})
    assert resp.status_code == 200
    return resp.get_json()


def _api(client, args: dict) -> dict:
    body = client.get("/api/3/action/package_search",
                      query_string={**args, "rows": 100, "facet.limit": -1,
                                    "facet.field": json.dumps(list(FACETS.values()))}).get_json()
    assert body["success"] is True, body
    return body["result"]


@pytest.mark.parametrize("page_args, api_args", QUERIES, ids=[json.dumps(q[0]) for q in QUERIES])
def test_the_search_page_and_package_search_give_the_same_answer(demo_client, page_args, api_args):
    page, api = _page(demo_client, page_args), _api(demo_client, api_args)
    assert page["count"] == api["count"]
    assert [p["id"] for p in page["results"]] == [p["id"] for p in api["results"]]
    for page_name, api_name in FACETS.items():
        on_page = {i["name"]: i["count"] for i in page["facets"][page_name]}
        assert on_page == api["facets"][api_name], page_name


def test_the_year_in_the_words_is_counted_alike_on_both_doors(demo_client):
    page, api = _page(demo_client, {"q": "tahun 2023"}), _api(demo_client, {"q": "tahun 2023"})
    assert page["detected_year"] == 2023
    assert page["count"] > 0
    years = {i["name"]: i["count"] for i in page["facets"]["year"]}
    assert years["2024"] == api["facets"]["year"]["2024"]
    assert years["2024"] > 0  # a facet's counts ignore its own filter: choosing 2024 too widens the result


def test_the_topic_and_publisher_pages_count_what_a_search_finds(demo_client):
    api = _api(demo_client, {})
    groups = demo_client.get("/api/3/action/group_list", query_string={"all_fields": "true"}).get_json()["result"]
    assert groups and {g["name"]: g["package_count"] for g in groups if g["package_count"]} == api["facets"]["groups"]
    orgs = demo_client.get("/api/3/action/organization_list",
                           query_string={"all_fields": "true"}).get_json()["result"]
    assert {o["name"]: o["package_count"] for o in orgs if o["package_count"]} == api["facets"]["organization"]
