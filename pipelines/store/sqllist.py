"""Lists of values handed to DuckDB as ONE string parameter (split in SQL), or as SQL text.

DuckDB's Python client converts a list parameter element by element, and for every element it
tries to import pandas (to recognise pandas' missing values); where pandas is not installed, as
here, each try is a failed import that searches every folder of `sys.path`. Measured: 2,000 ids
as a list parameter made 4,000 failed imports (0.15 s); the 10,000-article commit made 478,000
of them (55 of its 133 profiled seconds). A joined string is converted once, whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

SEP = "\x1f"  # the ASCII unit separator: never inside an id, a person key, a bucket or a path


def joined(values: Iterable[str]) -> str:
    """The parameter for `IN_LIST`: the values joined by SEP (an empty list is an empty string)."""
    return SEP.join(values)


# the rows of one column `v`, one per value of a `joined` parameter: `x IN {IN_LIST}`
IN_LIST = "(SELECT unnest(string_split(nullif(?, ''), chr(31))))"


def of_articles(key: str, ids: Sequence[str], prefix: str | None = None) -> tuple[str, list[str]]:
    """`key IN ids` for an article key, as SQL and its parameters. With `prefix`, a column whose values
    start with the article id and a colon (`key` is computed from it, e.g. `left(claim_id, 16)`), also
    the range of that column the articles span: DuckDB checks a range on a column against the
    Parquet statistics of files and row groups, never a function of a column. Measured on the
    581,000 rows of `claim_entities` at 10,000 articles, one article's rows: 0.037 -> 0.020 s."""
    if prefix is None or not ids:
        return f"{key} IN {IN_LIST}", [joined(ids)]
    return f"{prefix} >= ? AND {prefix} < ? AND {key} IN {IN_LIST}", [min(ids) + ":", max(ids) + ";", joined(ids)]


def files_sql(files: Iterable[str | Path]) -> str:
    """A list of file paths as a SQL literal, for `read_parquet(...)`."""
    quoted = ("'" + Path(f).as_posix().replace("'", "''") + "'" for f in files)
    return "[" + ", ".join(quoted) + "]"
