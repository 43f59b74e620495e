"""The Indonesian catalogue is complete, consistent with the code, compiled, and used by the app.

If one of these fails after you added or changed a UI string, run `scripts/update_translations`,
translate what it lists in app/translations/id/LC_MESSAGES/messages.po, and run it again.
"""
from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "update_translations"
PO = ROOT / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.po"
MO = ROOT / "app" / "translations" / "id" / "LC_MESSAGES" / "messages.mo"
HINT = "run scripts/update_translations and translate what it lists"


def _load_script():
    loader = importlib.machinery.SourceFileLoader("update_translations", str(SCRIPT))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


tool = _load_script()


@pytest.fixture(scope="module")
def catalog():
    """The Indonesian .po file, read once: the tests only read it."""
    with PO.open("rb") as f:
        return read_po(f, locale="id")


def _key(message):
    return message.id if isinstance(message.id, str) else tuple(message.id)


def _forms(value):
    return [value] if isinstance(value, str) else list(value)


def test_catalogue_is_indonesian_with_one_plural_form(catalog):
    assert str(catalog.locale) == "id"
    assert catalog.num_plurals == 1
    assert catalog.plural_expr == "0"
    assert sum(1 for m in catalog if m.id) > 300


def test_every_message_has_a_non_fuzzy_translation(catalog):
    bad = [m.id for m in catalog if m.id and (m.fuzzy or not all(_forms(m.string)) or not m.string)]
    assert not bad, f"untranslated or fuzzy ({HINT}): {bad}"


def test_plural_messages_have_exactly_one_indonesian_form(catalog):
    plurals = [m for m in catalog if m.id and m.pluralizable]
    assert plurals, "ngettext() strings in the templates were not extracted"
    for m in plurals:
        assert isinstance(m.string, (list, tuple)) and len(m.string) == 1, m.id
    singular_plural = {_key(m): m.string[0] for m in plurals}
    assert singular_plural[("%(num)s dataset", "%(num)s datasets")] == "%(num)s dataset"


def test_placeholders_are_kept_exactly(catalog):
    errors = tool.placeholder_errors(catalog)
    assert not errors, "\n".join(errors)
    # the check itself sees every kind of placeholder the code uses
    assert tool.placeholders("a %(x)s %(n)d {min} 100%% %s") == tool.placeholders("%s {min} %(n)d %% %(x)s")
    assert tool.placeholders("%(x)s") != tool.placeholders("%(y)s")
    assert tool.placeholders("{min}") != tool.placeholders("{max}")


def test_compiled_catalogue_matches_the_po(catalog):
    on_disk = tool.mo_messages(MO.read_bytes())
    fresh = tool.mo_messages(tool.mo_bytes(catalog))
    assert on_disk == fresh, f"messages.mo is stale ({HINT})"
    assert len(on_disk) >= sum(1 for m in catalog if m.id)


def test_no_string_in_the_code_is_missing_from_the_po(catalog):
    template = tool.extract()
    extracted = {_key(m) for m in template if m.id}
    in_po = {_key(m) for m in catalog if m.id}
    missing = sorted(map(str, extracted - in_po))
    assert not missing, f"new strings not in the catalogue ({HINT}): {missing}"
    # the reader's and the privacy scanner's notes are _l() literals like any other
    from app.ingest.messages import MESSAGES
    from app.ingest.privacy.messages import MESSAGES as PRIVACY_MESSAGES

    for template in [*MESSAGES.values(), *PRIVACY_MESSAGES.values()]:
        assert str(template) in extracted
    # extraction sees ngettext() in templates and _l() in Python
    assert ("%(num)s row", "%(num)s rows") in extracted
    assert "Missing data for required field." in extracted


def test_a_fresh_merge_leaves_nothing_untranslated():
    catalog, _notes = tool.merge(tool.extract(), "id")
    assert not [m.id for m in tool.untranslated(catalog)], HINT
    assert not tool.placeholder_errors(catalog)


def test_merge_never_loses_a_translation(monkeypatch, tmp_path):
    """A string removed from the code is kept as obsolete and comes back translated."""
    po = tmp_path / "id" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_bytes(PO.read_bytes())
    monkeypatch.setattr(tool, "TRANSLATIONS", tmp_path)
    template = tool.extract()
    gone = "Choose at least one topic."
    shrunk = tool.extract()
    del shrunk[gone]

    catalog, _ = tool.merge(shrunk, "id")
    assert gone not in catalog and catalog.obsolete[gone].string == "Pilih setidaknya satu topik."
    po.write_bytes(tool.po_bytes(catalog))

    catalog, _ = tool.merge(template, "id")
    assert catalog[gone].string == "Pilih setidaknya satu topik." and not catalog[gone].fuzzy
    assert gone not in catalog.obsolete
    assert not tool.untranslated(catalog)


def test_home_page_speaks_indonesian_first_and_english_after_the_switch(demo_client):
    page = demo_client.get("/").get_data(as_text=True)
    assert 'lang="id"' in page
    assert "Cari" in page and "Topik" in page and "Produsen Data" in page
    assert ">Search<" not in page and ">Topics<" not in page
    demo_client.get("/lang/en?next=/")
    english = demo_client.get("/").get_data(as_text=True)
    assert 'lang="en"' in english
    assert "Search" in english and "Topics" in english and "Publishers" in english
    demo_client.get("/lang/id?next=/")
    assert "Masuk" in demo_client.get("/").get_data(as_text=True)


def test_messages_rendered_at_run_time_are_translated(demo_app):
    from flask_babel import gettext, ngettext

    from app.ingest.messages import render
    from app.ingest.model import Note
    from app.services.translate import translate_errors

    with demo_app.test_request_context("/?lang=id"):
        assert gettext("Page not found.") == "Halaman tidak ditemukan."
        assert ngettext("%(num)s dataset", "%(num)s datasets", 3) == "3 dataset"
        assert render(Note("empty_file", {})) == "Berkas kosong: tidak ada tabel di dalamnya."
        privacy = render(Note("privacy.header.phone", {"column": "HP", "phrase": "no hp"}))
        assert privacy == "Kolom HP berjudul nomor telepon (no hp)."
        errors = translate_errors({"title": ["Missing data for required field."],
                                   "name": ["Shorter than minimum length 3."]})
        assert errors == {"title": ["Isian wajib ini belum diisi."],
                          "name": ["Terlalu pendek; panjang minimum 3."]}
    with demo_app.test_request_context("/?lang=en"):
        assert render(Note("empty_file", {})) == "The file is empty: no table was found in it."
