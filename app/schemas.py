"""marshmallow schemas at the boundaries: dataset metadata in, the CKAN package dict out."""
from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cached_property, lru_cache
from importlib import resources as importlib_resources
from typing import Any

from flask_babel import lazy_gettext as _l
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    pre_load,
    validate,
    validates,
    validates_schema,
)

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,99}$")


@lru_cache(maxsize=1)
def catalog() -> dict[str, Any]:
    """The office's organizations, topics and vocabularies (app/data/catalog.json)."""
    text = importlib_resources.files("app").joinpath("data/catalog.json").read_text(encoding="utf-8")
    return json.loads(text)


def slugify(text: str) -> str:
    """Turn a title or file name into a dataset name (`korban-bencana-sosial-2019-2024`)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:100] or "dataset"


def parse_years(value: Any) -> list[int]:
    """Accept [2019, 2020], "2019-2024", "2019, 2021" or "2019 2020"."""
    if value in (None, ""):
        return []
    items: list[Any]
    if isinstance(value, (list, tuple)):
        items = list(value)
    else:
        items = re.split(r"[,\s;]+", str(value).strip())
    years: set[int] = set()
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        m = re.fullmatch(r"(\d{4})\s*[-–]\s*(\d{4})", text)
        if m:
            a, b = int(m.group(1)), int(m.group(2))
            if a > b or b - a > 200:
                raise ValidationError("Invalid year range.")
            years.update(range(a, b + 1))
        elif re.fullmatch(r"\d{4}", text):
            years.add(int(text))
        else:
            raise ValidationError("Invalid year.")
    if any(y < 1900 or y > 2100 for y in years):
        raise ValidationError("Invalid year.")
    return sorted(years)


class YearsField(fields.Field):
    def _deserialize(self, value, attr, data, **kwargs):
        return parse_years(value)

    def _serialize(self, value, attr, obj, **kwargs):
        return list(value or [])


class StringList(fields.Field):
    """A list of strings, also accepted as one comma-separated string."""

    def _deserialize(self, value, attr, data, **kwargs):
        if value in (None, ""):
            return []
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, (list, tuple)):
            raise ValidationError("Not a valid list.")
        out = []
        for v in value:
            if isinstance(v, dict):  # CKAN clients send [{"name": ...}]
                v = v.get("name", "")
            v = str(v).strip()
            if v and v not in out:
                out.append(v)
        return out


class DatasetInSchema(Schema):
    """Dataset metadata as an admin or an API client gives it."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(validate=validate.Regexp(SLUG_RE, error="Use 2-100 lowercase letters, digits, - or _."))
    title = fields.String(required=True, validate=validate.Length(min=3, max=300))
    notes = fields.String(load_default="")
    organization = fields.String(load_default=None, allow_none=True)
    topics = StringList(load_default=list)
    tags = StringList(load_default=list)
    years = YearsField(load_default=list)
    unit = fields.String(load_default="", validate=validate.Length(max=100))
    measure = fields.String(load_default="", validate=validate.Length(max=200))
    frequency = fields.String(load_default="")
    level = fields.String(load_default="")
    coverage = fields.String(load_default="", validate=validate.Length(max=200))
    definition = fields.String(load_default="")
    method = fields.String(load_default="")
    source = fields.String(load_default="", validate=validate.Length(max=300))
    license_id = fields.String(load_default="CC-BY-4.0")
    contact_name = fields.String(load_default="", validate=validate.Length(max=200))
    contact_email = fields.String(load_default="")
    private = fields.Boolean(load_default=False)
    suppress_small_cells = fields.Boolean(load_default=False)

    @pre_load
    def _ckan_aliases(self, data, **kwargs):
        """Accept CKAN's keys (owner_org, groups, extras) beside ours."""
        data = dict(data)
        if isinstance(data.get("organization"), dict):  # a package dict sent back (package_show -> update)
            data["organization"] = data["organization"].get("name") or data["organization"].get("id")
        if "owner_org" in data and not data.get("organization"):
            data["organization"] = data["owner_org"]
        if "groups" in data and "topics" not in data:
            data["topics"] = data["groups"]
        for extra in data.get("extras") or []:
            if isinstance(extra, dict) and extra.get("key") in EXTRA_KEYS and EXTRA_KEYS[extra["key"]] not in data:
                data[EXTRA_KEYS[extra["key"]]] = extra.get("value")
        if "maintainer" in data and "contact_name" not in data:
            data["contact_name"] = data["maintainer"] or ""
        if "maintainer_email" in data and "contact_email" not in data:
            data["contact_email"] = data["maintainer_email"] or ""
        for key, value in list(data.items()):
            if value is None and key not in ("organization",):
                data.pop(key)
        return data

    @validates("frequency")
    def _frequency(self, value, **kwargs):
        if value and value not in catalog()["frequencies"]:
            raise ValidationError("Must be one of: " + ", ".join(catalog()["frequencies"]) + ".")

    @validates("level")
    def _level(self, value, **kwargs):
        if value and value not in catalog()["levels"]:
            raise ValidationError("Must be one of: " + ", ".join(catalog()["levels"]) + ".")

    @validates("license_id")
    def _license(self, value, **kwargs):
        if value not in catalog()["licenses"]:
            raise ValidationError("Must be one of: " + ", ".join(catalog()["licenses"]) + ".")

    @validates("contact_email")
    def _email(self, value, **kwargs):
        if value and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            raise ValidationError("Not a valid email address.")


# Satu Data fields carried in CKAN "extras": extra key -> our attribute.
EXTRA_KEYS = {
    "satuan": "unit",
    "ukuran": "measure",
    "frekuensi": "frequency",
    "tingkat_penyajian": "level",
    "cakupan": "coverage",
    "konsep_definisi": "definition",
    "cara_perhitungan": "method",
    "sumber": "source",
    "tahun": "years",
}


def ckan_time(value: datetime | None) -> str | None:
    """CKAN's timestamp format: naive UTC ISO 8601 with microseconds."""
    return value.strftime("%Y-%m-%dT%H:%M:%S.%f") if value else None


LICENSE_URLS = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
}


class OrganizationOutSchema(Schema):
    id = fields.String()
    name = fields.String()
    title = fields.String()
    display_name = fields.Function(lambda o: o.title)
    description = fields.String()
    created = fields.Function(lambda o: ckan_time(o.created))
    type = fields.Constant("organization")
    is_organization = fields.Constant(True)
    approval_status = fields.Constant("approved")
    state = fields.Constant("active")
    image_url = fields.Constant("")
    # Strict harvesters (uData) still require CKAN 2.8's revision keys.
    revision_id = fields.Constant("")
    revision_timestamp = fields.Function(lambda o: ckan_time(o.created))


class TopicOutSchema(Schema):
    id = fields.String()
    name = fields.String()
    title = fields.String()
    display_name = fields.Function(lambda o: o.title)
    description = fields.String()
    image_display_url = fields.Constant("")
    created = fields.Function(lambda o: ckan_time(o.created))
    type = fields.Constant("group")
    is_organization = fields.Constant(False)
    approval_status = fields.Constant("approved")
    state = fields.Constant("active")
    image_url = fields.Constant("")


class TagOutSchema(Schema):
    id = fields.String()
    name = fields.String()
    display_name = fields.Function(lambda o: o.name)
    state = fields.Constant("active")
    vocabulary_id = fields.Constant(None)


class ResourceOutSchema(Schema):
    """A CKAN resource dict; `base_url` builds download URLs."""

    def __init__(self, *args, base_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.base_url = base_url

    id = fields.String()
    package_id = fields.String(attribute="dataset_id")
    name = fields.String()
    description = fields.String()
    format = fields.Function(lambda r: r.format or None)
    url = fields.Method("_url")
    url_type = fields.Constant("upload")
    mimetype = fields.Method("_mimetype")
    mimetype_inner = fields.Constant(None)
    size = fields.Function(lambda r: r.size)
    hash = fields.Function(lambda r: r.sha256 or "")  # bare hex: uData ignores prefixed hashes
    created = fields.Function(lambda r: ckan_time(r.created))
    last_modified = fields.Function(lambda r: ckan_time(r.current.created if r.current else r.modified))
    metadata_modified = fields.Function(lambda r: ckan_time(r.modified))
    position = fields.Integer()
    state = fields.Constant("active")
    resource_type = fields.Constant(None)
    cache_url = fields.Constant(None)
    cache_last_updated = fields.Constant(None)
    datastore_active = fields.Function(lambda r: r.public_version is not None)
    row_count = fields.Function(lambda r: r.row_count)
    version = fields.Function(lambda r: r.version)
    columns = fields.Function(lambda r: [{"name": c["name"], "type": c["type"]} for c in r.columns])

    def _url(self, r):
        return f"{self.base_url}/dataset/{r.dataset.name}/resource/{r.id}/download/{r.dataset.name}.csv"

    def _mimetype(self, r):
        return "text/csv"


class PackageOutSchema(Schema):
    """The one shape of a dataset: CKAN's package dict, with every core key."""

    def __init__(self, *args, base_url: str = "", all_versions: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.base_url = base_url
        self.all_versions = all_versions

    id = fields.String()
    name = fields.String()
    title = fields.String()
    notes = fields.Function(lambda d: d.notes or None)  # CKAN gives null, not "", for no description
    type = fields.Constant("dataset")
    state = fields.Function(lambda d: "active" if d.state == "published" else d.state)
    private = fields.Boolean()
    author = fields.Function(lambda d: d.organization.title)
    author_email = fields.Function(lambda d: d.organization.email)
    maintainer = fields.Function(lambda d: d.contact_name or None)
    maintainer_email = fields.Function(lambda d: d.contact_email or None)
    license_id = fields.String()
    license_title = fields.Function(lambda d: catalog()["licenses"].get(d.license_id))
    license_url = fields.Function(lambda d: LICENSE_URLS.get(d.license_id))
    isopen = fields.Function(lambda d: d.license_id in LICENSE_URLS)
    url = fields.Method("_url")
    version = fields.Constant(None)
    metadata_created = fields.Function(lambda d: ckan_time(d.created))
    metadata_modified = fields.Function(lambda d: ckan_time(d.modified))
    creator_user_id = fields.Function(lambda d: str(d.creator_id) if d.creator_id else None)
    owner_org = fields.String(attribute="organization_id")
    # Nested schemas are built once per dump, not once per dataset (marshmallow deep-copies
    # its fields on every construction: that was most of a 20-result search page).
    organization = fields.Method("_organization")
    groups = fields.Method("_groups")
    tags = fields.Method("_tags")
    num_tags = fields.Function(lambda d: len(d.tags))
    extras = fields.Method("_extras")
    resources = fields.Method("_resources")
    num_resources = fields.Method("_num_resources")
    relationships_as_object = fields.Constant([])
    relationships_as_subject = fields.Constant([])
    # Our Satu Data fields, also at top level for templates and scripts.
    years = fields.Function(lambda d: list(d.years or []))
    unit = fields.String()
    measure = fields.String()
    frequency = fields.String()
    level = fields.String()
    coverage = fields.String()
    definition = fields.String()
    method = fields.String()
    source = fields.String()
    downloads = fields.Integer()
    suppress_small_cells = fields.Boolean()

    def _url(self, d):
        return f"{self.base_url}/dataset/{d.name}"

    def _visible_resources(self, d):
        if self.all_versions:
            return list(d.resources)
        return [r for r in d.resources if r.public_version is not None]

    @cached_property
    def _nested(self) -> dict[str, Schema]:
        return {"organization": OrganizationOutSchema(), "groups": TopicOutSchema(many=True),
                "tags": TagOutSchema(many=True), "resources": ResourceOutSchema(many=True, base_url=self.base_url)}

    def _organization(self, d):
        return self._nested["organization"].dump(d.organization)

    def _groups(self, d):
        return self._nested["groups"].dump(d.topics)

    def _tags(self, d):
        return self._nested["tags"].dump(d.tags)

    def _resources(self, d):
        return self._nested["resources"].dump(self._visible_resources(d))

    def _num_resources(self, d):
        return len(self._visible_resources(d))

    def _extras(self, d):
        out = []
        for key, attr in EXTRA_KEYS.items():
            value = getattr(d, attr)
            if attr == "years":
                value = ", ".join(str(y) for y in value or [])
            if value:
                out.append({"key": key, "value": str(value)})
        return out


# -- interact: what a member of the public sends ------------------------------------------

def _required(message):
    return {"required": message, "null": message}


class InfoRequestInSchema(Schema):
    """A request for information, a comment on a dataset or a message (the public forms).

    Messages are lazy strings: the caller shows them in the reader's language.
    """

    class Meta:
        unknown = EXCLUDE

    kind = fields.String(load_default="request", validate=validate.OneOf(("request", "feedback", "message")))
    subject = fields.String(required=True, error_messages=_required(_l("Say briefly what you ask for.")),
                            validate=validate.Length(min=5, max=300, error=_l("Between 5 and 300 characters.")))
    description = fields.String(load_default="", validate=validate.Length(max=5000, error=_l("At most 5,000 characters.")))
    purpose = fields.String(load_default="", validate=validate.Length(max=2000, error=_l("At most 2,000 characters.")))
    delivery = fields.String(load_default="email", validate=validate.OneOf(
        ("email", "pickup", "post"), error=_l("Choose how you want to receive it.")))
    name = fields.String(required=True, error_messages=_required(_l("Your name is needed (UU 14/2008 Pasal 22).")),
                         validate=validate.Length(min=2, max=200, error=_l("Between 2 and 200 characters.")))
    contact = fields.String(required=True, error_messages=_required(_l("An e-mail address or a phone number is needed, to send you the answer.")),
                            validate=validate.Length(min=5, max=200, error=_l("Between 5 and 200 characters.")))
    is_public = fields.Boolean(load_default=False)
    dataset = fields.String(load_default=None, allow_none=True)
    website = fields.String(load_default="")  # the honeypot: people never see it, robots fill it

    @pre_load
    def _strip(self, data, **_kwargs):
        data = dict(data)
        for key, value in list(data.items()):
            if isinstance(value, str):
                data[key] = value.strip()
        for key in ("subject", "name", "contact"):  # left empty: "required", not "too short"
            if data.get(key) == "":
                del data[key]
        if data.get("is_public") in ("on", "1", "yes", "true"):
            data["is_public"] = True
        elif data.get("is_public") in ("", None, "0", "off"):
            data["is_public"] = False
        if data.get("dataset") == "":
            data["dataset"] = None
        return data

    @validates("contact")
    def _contact(self, value, **_kwargs):
        digits = re.sub(r"\D", "", value)
        if not (re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) or 8 <= len(digits) <= 15):
            raise ValidationError(_l("Give an e-mail address or a phone number."))


class AuditFilterSchema(Schema):
    """The audit log page's filters: an account, a date range (both ends included), a page.
    An empty field is no filter."""

    class Meta:
        unknown = EXCLUDE

    user = fields.Integer(load_default=None, allow_none=True, strict=False,
                          error_messages={"invalid": "Choose an account from the list."})
    action = fields.String(load_default=None, allow_none=True)
    date_from = fields.Date(data_key="from", load_default=None, allow_none=True,
                            error_messages={"invalid": "The 'from' date is not a date: write it as YYYY-MM-DD, "
                                                       "e.g. 2026-03-31."})
    date_to = fields.Date(data_key="to", load_default=None, allow_none=True,
                          error_messages={"invalid": "The 'to' date is not a date: write it as YYYY-MM-DD, "
                                                     "e.g. 2026-03-31."})
    page = fields.Integer(load_default=1, strict=False, validate=validate.Range(min=1, max=100_000, error="Not a valid page number."),
                          error_messages={"invalid": "Not a valid page number."})

    @pre_load
    def _empty_is_no_filter(self, data, **kwargs):
        """A form sends every field, filled or not: "" means no filter."""
        out = {}
        for key, value in dict(data).items():
            value = value.strip() if isinstance(value, str) else value
            if value not in ("", None):
                out[key] = value[:100] if isinstance(value, str) else value
        return out

    @validates_schema
    def _range_in_order(self, data, **kwargs):
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise ValidationError("The 'from' date is after the 'to' date.", "to")
