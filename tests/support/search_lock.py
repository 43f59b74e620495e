"""Making the portal's real search index fail, without replacing any of its methods."""
from __future__ import annotations

from pathlib import Path


def hold_index_lock(app, writer_timeout: float = 0.3):
    """Open a second real writer on the portal's Whoosh index and return it (call `.cancel()` to
    let go); the portal's own writers then time out after `writer_timeout` seconds."""
    from whoosh.index import open_dir

    app.extensions["search_index"].writer_timeout = writer_timeout
    root = Path(app.config["SEARCH_INDEX_DIR"])
    return open_dir(str(root), indexname=(root / "CURRENT").read_text().strip()).writer()
