"""DCAT-AP descriptions of the catalogue and its datasets, built from CKAN package dicts."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from ..schemas import catalog

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU_THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
EU_FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
EU_FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
EU_LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
IANA = "https://www.iana.org/assignments/media-types/"

CONTEXT = {
    "dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "vcard": str(VCARD), "xsd": str(XSD),
    "rdfs": str(RDFS), "skos": str(SKOS), "adms": str(ADMS),
}
FREQUENCIES = {"tahunan": "ANNUAL", "semesteran": "ANNUAL_2", "triwulanan": "QUARTERLY", "bulanan": "MONTHLY",
               "tidak-tentu": "IRREG"}


def _graph() -> Graph:
    g = Graph()
    for prefix, ns in CONTEXT.items():
        g.bind(prefix, ns)
    return g


def _datetime(value: str | None) -> Literal | None:
    if not value:
        return None
    return Literal(datetime.fromisoformat(value).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def dataset_uri(pkg: dict[str, Any], base_url: str) -> URIRef:
    """Datasets are named by their stable id, so a renamed dataset keeps its URI."""
    return URIRef(f"{base_url}/dataset/{pkg['id']}")


def _publisher(g: Graph, org: dict[str, Any], base_url: str, email: str | None = None) -> URIRef:
    node = URIRef(f"{base_url}/organization/{org['name']}")
    g.add((node, RDF.type, FOAF.Organization))
    g.add((node, FOAF.name, Literal(org["title"])))
    if email:
        g.add((node, FOAF.mbox, URIRef(f"mailto:{email}")))
    return node


def add_dataset(g: Graph, pkg: dict[str, Any], base_url: str) -> URIRef:
    """Describe one package dict as a dcat:Dataset with its distributions."""
    ds = dataset_uri(pkg, base_url)
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.identifier, Literal(pkg["id"])))
    g.add((ds, DCTERMS.title, Literal(pkg["title"])))
    if pkg.get("notes"):
        g.add((ds, DCTERMS.description, Literal(pkg["notes"])))
    g.add((ds, DCAT.landingPage, URIRef(pkg["url"])))
    g.add((ds, DCTERMS.language, EU_LANGUAGE.IND))
    for stamp, prop in (("metadata_created", DCTERMS.issued), ("metadata_modified", DCTERMS.modified)):
        lit = _datetime(pkg.get(stamp))
        if lit is not None:
            g.add((ds, prop, lit))
    for tag in pkg.get("tags") or []:
        g.add((ds, DCAT.keyword, Literal(tag["name"])))
    g.add((ds, DCAT.theme, EU_THEME.SOCI))  # population and society
    for group in pkg.get("groups") or []:
        theme = URIRef(f"{base_url}/group/{group['name']}")
        g.add((ds, DCAT.theme, theme))
        g.add((theme, RDF.type, SKOS.Concept))
        g.add((theme, SKOS.prefLabel, Literal(group["title"])))
    if pkg.get("organization"):
        g.add((ds, DCTERMS.publisher, _publisher(g, pkg["organization"], base_url, pkg.get("author_email"))))
    if pkg.get("maintainer") or pkg.get("maintainer_email"):
        contact = BNode()
        g.add((ds, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, VCARD.Kind))
        g.add((contact, VCARD.fn, Literal(pkg.get("maintainer") or pkg["organization"]["title"])))
        if pkg.get("maintainer_email"):
            g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{pkg['maintainer_email']}")))
    years = sorted(pkg.get("years") or [])
    if years:
        period = BNode()
        g.add((ds, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(f"{years[0]}-01-01", datatype=XSD.date)))
        g.add((period, DCAT.endDate, Literal(f"{years[-1]}-12-31", datatype=XSD.date)))
    if pkg.get("frequency") in FREQUENCIES:
        g.add((ds, DCTERMS.accrualPeriodicity, EU_FREQUENCY[FREQUENCIES[pkg["frequency"]]]))
    license_node = URIRef(pkg["license_url"]) if pkg.get("license_url") else None
    if license_node is not None:
        g.add((license_node, RDF.type, DCTERMS.LicenseDocument))
        g.add((license_node, RDFS.label, Literal(pkg.get("license_title") or pkg["license_id"])))
    for res in pkg.get("resources") or []:
        dist = URIRef(f"{base_url}/dataset/{pkg['id']}/resource/{res['id']}")
        g.add((ds, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.identifier, Literal(res["id"])))
        g.add((dist, DCTERMS.title, Literal(res["name"])))
        if res.get("description"):
            g.add((dist, DCTERMS.description, Literal(res["description"])))
        g.add((dist, DCAT.accessURL, URIRef(f"{base_url}/dataset/{pkg['name']}/resource/{res['id']}")))
        # The download URL serves the normalized table as CSV, whatever the upload's format.
        g.add((dist, DCAT.downloadURL, URIRef(res["url"])))
        g.add((dist, DCAT.mediaType, URIRef(IANA + "text/csv")))
        g.add((dist, DCTERMS["format"], EU_FILE_TYPE.CSV))
        if license_node is not None:
            g.add((dist, DCTERMS.license, license_node))
        for stamp, prop in (("created", DCTERMS.issued), ("last_modified", DCTERMS.modified)):
            lit = _datetime(res.get(stamp))
            if lit is not None:
                g.add((dist, prop, lit))
    return ds


def dataset_graph(pkg: dict[str, Any], base_url: str) -> Graph:
    g = _graph()
    add_dataset(g, pkg, base_url)
    return g


def catalog_graph(packages: Iterable[dict[str, Any]], base_url: str) -> Graph:
    """The dcat:Catalog of the portal with every dataset given."""
    g = _graph()
    cat = URIRef(f"{base_url}/catalog")
    g.add((cat, RDF.type, DCAT.Catalog))
    g.add((cat, DCTERMS.title, Literal("Portal Data Sosial NTB")))
    g.add((cat, DCTERMS.description, Literal("Open data of Dinas Sosial Provinsi Nusa Tenggara Barat")))
    g.add((cat, FOAF.homepage, URIRef(f"{base_url}/")))
    g.add((cat, DCTERMS.language, EU_LANGUAGE.IND))
    office = next(o for o in catalog()["organizations"] if o["name"] == catalog()["office"])
    g.add((cat, DCTERMS.publisher, _publisher(g, office, base_url, office.get("email"))))
    g.add((cat, DCAT.themeTaxonomy, URIRef(f"{base_url}/group")))
    latest = None
    for pkg in packages:
        g.add((cat, DCAT.dataset, add_dataset(g, pkg, base_url)))
        if pkg.get("metadata_modified") and (latest is None or pkg["metadata_modified"] > latest):
            latest = pkg["metadata_modified"]
    if latest:
        g.add((cat, DCTERMS.modified, _datetime(latest)))
    return g
