"""Linked data: DCAT-AP (JSON-LD and Turtle) and Frictionless Data Packages, read by real tools."""
from __future__ import annotations

import pytest
import requests
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS


KORBAN = "korban-bencana-sosial-2019-2024"


def _graph(url: str, fmt: str) -> Graph:
    resp = requests.get(url)
    assert resp.status_code == 200
    expected = {"json-ld": "application/ld+json", "turtle": "text/turtle"}[fmt]
    assert resp.headers["Content-Type"].startswith(expected)
    return Graph().parse(data=resp.text, format=fmt, publicID=url)


@pytest.mark.parametrize("suffix, fmt", [(".jsonld", "json-ld"), (".ttl", "turtle")])
def test_dataset_dcat_parses_with_a_download_url(portal, suffix, fmt):
    pkg = portal.ckan().action.package_show(id=KORBAN)
    g = _graph(f"{portal.url}/dataset/{KORBAN}{suffix}", fmt)
    ds = URIRef(f"{portal.url}/dataset/{pkg['id']}")
    assert (ds, RDF.type, DCAT.Dataset) in g
    assert str(g.value(ds, DCTERMS.title)) == pkg["title"]
    assert str(g.value(ds, DCTERMS.identifier)) == pkg["id"]
    assert pkg["notes"] and str(g.value(ds, DCTERMS.description)) == pkg["notes"]
    assert {str(k) for k in g.objects(ds, DCAT.keyword)} == {t["name"] for t in pkg["tags"]}
    themes = set(g.objects(ds, DCAT.theme))
    eu_soci = URIRef("http://publications.europa.eu/resource/authority/data-theme/SOCI")
    topics = {URIRef(f"{portal.url}/group/{grp['name']}"): grp["title"] for grp in pkg["groups"]}
    assert topics and themes == {eu_soci, *topics}
    for theme, title in topics.items():
        assert (theme, RDF.type, SKOS.Concept) in g and str(g.value(theme, SKOS.prefLabel)) == title
    publisher = g.value(ds, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Organization) in g
    period = g.value(ds, DCTERMS.temporal)
    assert str(g.value(period, DCAT.startDate)) == "2019-01-01"
    assert str(g.value(period, DCAT.endDate)) == "2024-12-31"
    dists = list(g.objects(ds, DCAT.distribution))
    assert len(dists) == len(pkg["resources"]) == 1
    download = g.value(dists[0], DCAT.downloadURL)
    assert str(download) == pkg["resources"][0]["url"]
    assert g.value(dists[0], DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert g.value(dists[0], DCTERMS.license) is not None
    assert requests.get(str(download)).status_code == 200


@pytest.mark.parametrize("path, fmt", [("/catalog.jsonld", "json-ld"), ("/catalog.ttl", "turtle")])
def test_catalog_lists_every_public_dataset(portal, path, fmt):
    g = _graph(portal.url + path, fmt)
    catalogs = list(g.subjects(RDF.type, DCAT.Catalog))
    assert len(catalogs) == 1
    listed = set(g.objects(catalogs[0], DCAT.dataset))
    assert len(listed) == len(portal.ckan().action.package_list())
    for ds in listed:
        assert (ds, RDF.type, DCAT.Dataset) in g
        assert any(g.value(d, DCAT.downloadURL) for d in g.objects(ds, DCAT.distribution))


def test_linked_data_urls_do_not_shadow_the_dataset_page(portal):
    page = requests.get(f"{portal.url}/dataset/{KORBAN}")
    assert page.status_code == 200 and page.headers["Content-Type"].startswith("text/html")
    assert requests.get(f"{portal.url}/dataset/{KORBAN}.jsonld").headers["Content-Type"].startswith(
        "application/ld+json")
    assert requests.get(f"{portal.url}/dataset/no-such-dataset.ttl").status_code == 404


def test_drafts_have_no_public_linked_data(portal):
    admin = portal.ckan("org_admin")
    admin.action.package_create(name="uji-ld-draf", title="Uji LD Draf",
                                owner_org="bidang-perlindungan-jaminan-sosial")
    for suffix in (".jsonld", ".ttl", "/datapackage.json"):
        assert requests.get(f"{portal.url}/dataset/uji-ld-draf{suffix}").status_code == 404
    own = requests.get(f"{portal.url}/dataset/uji-ld-draf.jsonld",
                       headers={"Authorization": portal.tokens["org_admin"]})
    assert own.status_code == 200
    # Created without a description: null in the package dict, no empty dct:description.
    draft = admin.action.package_show(id="uji-ld-draf")
    assert draft["notes"] is None
    own_graph = Graph().parse(data=own.text, format="json-ld")
    subject = URIRef(f"{portal.url}/dataset/{draft['id']}")
    assert str(own_graph.value(subject, DCTERMS.title)) == "Uji LD Draf"
    assert own_graph.value(subject, DCTERMS.description) is None
    outsider = requests.get(f"{portal.url}/dataset/uji-ld-draf.jsonld",
                            headers={"Authorization": portal.tokens["other_editor"]})
    assert outsider.status_code == 404
    assert requests.get(f"{portal.url}/dataset/uji-ld-draf.ttl", headers={"Authorization": "bad"}).status_code == 403


def test_datapackage_is_valid_descriptor_and_data(portal):
    import frictionless

    for name in portal.ckan().action.package_list():
        url = f"{portal.url}/dataset/{name}/datapackage.json"
        descriptor = requests.get(url).json()
        assert descriptor["name"] == name
        assert descriptor["licenses"][0]["name"]
        for res in descriptor["resources"]:
            assert res["path"].startswith(portal.url) and res["format"] == "csv"
            assert res["mediatype"] == "text/csv" and res["encoding"] == "utf-8"
        report = frictionless.validate(url)
        assert report.valid, (name, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5])


def test_datapackage_maps_column_types(portal):
    descriptor = requests.get(f"{portal.url}/dataset/{KORBAN}/datapackage.json").json()
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["tahun"]["type"] in ("year", "integer")
    assert fields["korban_luka"]["type"] == "integer"
    assert fields["nama_kabupaten_kota"]["type"] == "string"
    code = fields["kode_kabupaten_kota"]
    assert code["type"] == "string" and code["constraints"]["pattern"]
    kinerja = requests.get(f"{portal.url}/dataset/kinerja-sakip-2019-2023/datapackage.json").json()
    types = {f["name"]: f["type"] for f in kinerja["resources"][0]["schema"]["fields"]}
    assert types["realisasi"] == "number"
