"""The demo catalogue: every sample table published through the admin's own services."""
from __future__ import annotations

import json
from importlib import resources as importlib_resources
from typing import Any, Callable

from . import datasets, resources
from .permissions import Actor


def catalog_entries() -> list[dict[str, Any]]:
    """The demo datasets' metadata (app/data/demo.json), one entry per sample file."""
    return json.loads(importlib_resources.files("app").joinpath("data/demo.json").read_text(encoding="utf-8"))


def seed(actor: Actor, entries: list[dict[str, Any]] | None = None, folder=None,
         progress: Callable[[str], None] = lambda name: None) -> int:
    """Publish each demo table unless the database already has datasets; return how many.

    Each file goes through `resources.upload_new_dataset` like an admin's, privacy scan
    included: a file with personal data is refused, no dataset is made, and the error says why.
    """
    if datasets.has_any():
        return 0
    entries = catalog_entries() if entries is None else entries
    folder = importlib_resources.files("app").joinpath("demo_data") if folder is None else folder
    for entry in entries:
        meta = {k: v for k, v in entry.items() if k != "file"}
        meta["name"] = entry["file"].rsplit(".", 1)[0].replace("_", "-")
        with folder.joinpath(entry["file"]).open("rb") as fh:
            result = resources.upload_new_dataset(actor, fh, entry["file"], meta, name=meta["title"],
                                                  keep_blocked=False)
        datasets.publish(actor, result.resource.dataset_id)
        progress(meta["name"])
    return len(entries)
