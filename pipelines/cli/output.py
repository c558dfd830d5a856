"""Printing query results as a table, CSV or JSON with the standard library only (no pyarrow or
pandas needed), row batch by row batch so a large result does not sit in memory twice."""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import sys
import uuid
from typing import TextIO

BATCH = 10_000
FORMATS = ("table", "csv", "json")


def _plain(value: object) -> object:
    """A JSON-friendly value: dates as ISO text, decimals as numbers, bytes as hex."""
    if isinstance(value, dt.date | dt.datetime | dt.time | uuid.UUID):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, dt.timedelta):
        return str(value)
    return value


def _rows(cursor):
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def write_csv(cursor, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([d[0] for d in cursor.description])
    for row in _rows(cursor):
        writer.writerow(["" if v is None else _list_text(v) for v in row])


def _list_text(v: object) -> object:
    if isinstance(v, list | dict):
        return json.dumps(v, default=_plain, ensure_ascii=False)
    return _plain(v)


def write_json(cursor, out: TextIO | None = None) -> None:
    """A JSON array of objects, one per row."""
    out = out or sys.stdout
    cols = [d[0] for d in cursor.description]
    out.write("[")
    for i, row in enumerate(_rows(cursor)):
        out.write(",\n " if i else "\n ")
        out.write(json.dumps(dict(zip(cols, row, strict=True)), default=_plain, ensure_ascii=False))
    out.write("\n]\n")
