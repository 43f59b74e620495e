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
