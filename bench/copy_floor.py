"""The floor of `flask demo generate`: the database writing the same rows with no Python.

    DATABASE_URL=<the generated database> python bench/copy_floor.py [<empty migrated SQLite URL>]

Every table the generator writes is copied by the database itself, `INSERT INTO ... SELECT *`,
into an empty copy of the schema (indexes included), in the generator's order and with its
session settings, then the statistics are gathered as the generator's load ends. What is
timed is what any generator of these rows would have to wait for at the least: no row is
built, bound or sent.

SQLite: into the given freshly migrated file, attached beside the generated one (the copy
takes SQLite's transfer path: records and index entries moved as they are stored); the party
indexes and name-search triggers set aside and rebuilt as the generator does; then ANALYZE.
PostgreSQL: into a schema of tables made `LIKE ... INCLUDING ALL`, then VACUUM (ANALYZE) of
them. Prints one line of JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

import sqlalchemy as sa

from notary.demo_generate import LOAD_PRAGMAS, TABLE_ORDER, _restore, _set_aside

# The generator's SQLite session settings for a load into a new database.
SQLITE_PRAGMAS = (*LOAD_PRAGMAS, ("journal_mode", "MEMORY"))
SCHEMA = "bench_copy_floor"


def sqlite_floor(source: str, target: str) -> dict[str, Any]:
    engine = sa.create_engine(target, poolclass=sa.pool.NullPool)
    with engine.connect() as conn:
        for name, value in SQLITE_PRAGMAS:
            conn.exec_driver_sql(f"PRAGMA {name} = {value}")
        conn.exec_driver_sql(f"ATTACH DATABASE '{sa.make_url(source).database}' AS generated")
        conn.commit()
        began = time.perf_counter()
        aside = _set_aside(conn, first_party=1)
        copied = 0
        for table in TABLE_ORDER:
            copied += conn.exec_driver_sql(
                f"INSERT INTO main.{table} SELECT * FROM generated.{table}").rowcount
        conn.commit()
        _restore(conn, aside)
        copy_s = time.perf_counter() - began
        conn.exec_driver_sql("ANALYZE main")
        conn.commit()
        seconds = time.perf_counter() - began
        conn.exec_driver_sql("DETACH DATABASE generated")
    engine.dispose()
    return {"rows": copied, "copy_s": round(copy_s, 2), "seconds": round(seconds, 2)}


def postgres_floor(source: str) -> dict[str, Any]:
    import psycopg

    url = sa.make_url(source)
    with psycopg.connect(host=url.host, port=url.port or 5432, user=url.username,
                         password=url.password, dbname=url.database, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        conn.execute(f"CREATE SCHEMA {SCHEMA}")
        for table in TABLE_ORDER:
            conn.execute(f"CREATE TABLE {SCHEMA}.{table} (LIKE public.{table} INCLUDING ALL)")
        try:
            began = time.perf_counter()
            copied = 0
            with conn.transaction():
                conn.execute("SET LOCAL synchronous_commit = off")
                for table in TABLE_ORDER:
                    copied += conn.execute(
                        f"INSERT INTO {SCHEMA}.{table} SELECT * FROM public.{table}").rowcount
            copy_s = time.perf_counter() - began
            conn.execute(f"VACUUM (ANALYZE) {', '.join(f'{SCHEMA}.{t}' for t in TABLE_ORDER)}")
            seconds = time.perf_counter() - began
        finally:
            conn.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
    return {"rows": copied, "copy_s": round(copy_s, 2), "seconds": round(seconds, 2)}


def main() -> None:
    source = os.environ["DATABASE_URL"]
    if source.startswith("sqlite"):
        result = sqlite_floor(source, sys.argv[1])
    else:
        result = postgres_floor(source)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
