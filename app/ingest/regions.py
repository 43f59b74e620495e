"""NTB region reference codes (Kemendagri; BPS uses the same digits for NTB)."""
from __future__ import annotations

import re
from typing import Any

PROVINCE_CODE = "52"

# Canonical dotted code -> official name.
REGIONS: dict[str, str] = {
    "52": "Provinsi Nusa Tenggara Barat",
    "52.01": "Kabupaten Lombok Barat",
    "52.02": "Kabupaten Lombok Tengah",
    "52.03": "Kabupaten Lombok Timur",
    "52.04": "Kabupaten Sumbawa",
    "52.05": "Kabupaten Dompu",
    "52.06": "Kabupaten Bima",
    "52.07": "Kabupaten Sumbawa Barat",
    "52.08": "Kabupaten Lombok Utara",
    "52.71": "Kota Mataram",
    "52.72": "Kota Bima",
}


def _code_forms() -> dict[str, str]:
    forms: dict[str, str] = {"52": "52", "52.0": "52", "52.00": "52"}
    for code in REGIONS:
        if code == "52":
            continue
        tail = code[3:]
        # 52.01, 5201, 52,01 (an Indonesian Excel shows the number 52.01 as 52,01)
        for form in (code, "52" + tail, "52," + tail):
            forms[form] = code
    return forms


# Every spelling of a code seen in files -> canonical dotted code. Used as a set by
# the type inference (membership tests run at C speed over whole column chunks).
REGION_CODE_FORMS: dict[str, str] = _code_forms()


def normalize_region_code(value: Any) -> str | None:
    """Return the dotted NTB code ("52.01", "52") for a code spelling, else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if value.is_integer():
            value = int(value)
        else:
            value = repr(value)
    text = str(value).strip()
    return REGION_CODE_FORMS.get(text)


_NAME_PREFIX = re.compile(r"^(?:provinsi|prov\.?|kabupaten|kab\.?|kota|kot\.?)\s+", re.I)
_ALIASES = {
    "lobar": "52.01",
    "loteng": "52.02",
    "lotim": "52.03",
    "lotara": "52.08",
    "klu": "52.08",
    "ksb": "52.07",
    "ntb": "52",
    "nusa tenggara barat": "52",
}


def _name_index() -> dict[str, str]:
    index: dict[str, str] = dict(_ALIASES)
    for code, name in REGIONS.items():
        index[name.lower()] = code
        if code.startswith("52.7"):
            # "Kota Bima" must not collide with "Kabupaten Bima": keep the prefix.
            index["kota " + _NAME_PREFIX.sub("", name).lower()] = code
            continue
        bare = _NAME_PREFIX.sub("", name).lower()
        index[bare] = code
        index["kab " + bare] = code
        index["kab. " + bare] = code
    index["mataram"] = "52.71"
    return index


_NAMES = _name_index()


def region_code_for_name(name: Any) -> str | None:
    """Return the dotted code for a region name spelling ("Kab. Lombok Barat", "Lobar")."""
    if not isinstance(name, str):
        return None
    key = " ".join(name.split()).lower()
    return _NAMES.get(key)
