"""Reading back what a test's database holds."""
from __future__ import annotations

from sqlalchemy import inspect, text


def database_text(app) -> str:
    """Every column of every row of every table, as text (a dump through SQL, on any database)."""
    engine = app.extensions["db_engine"]
    out = []
    with engine.connect() as con:
        for table in inspect(engine).get_table_names():
            for row in con.execute(text(f'SELECT * FROM "{table}"')):
                out.append(" | ".join(str(v) for v in row))
    return "\n".join(out)


def stored_dataset(name_or_id: str):
    """The dataset row by name or id, whatever its state, with no permission check (what the
    database holds, for a test to look at; inside an app context)."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from app import db
    from app.models import Dataset, Resource

    # Loaded with what the tests look at, so the row can still be read after its app context ends.
    return db.session().scalar(
        select(Dataset).where((Dataset.name == name_or_id) | (Dataset.id == name_or_id))
        .options(selectinload(Dataset.topics), selectinload(Dataset.tags),
                 selectinload(Dataset.resources).selectinload(Resource.versions)))
