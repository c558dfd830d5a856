"""The warehouse contract in code: one definition per table of CONTRACT.md.

Each table is a pandera (polars) model (columns, types, value rules, descriptions) plus its key,
foreign keys, sort order and how it is partitioned, all below. The pandera checks, the lake DDL, the
data dictionary and `datapackage.json` are generated from here. Column order here is the column order
in Parquet and in the lake. Keep data-processing logic out of this module: it only says what a valid
table is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandera.polars as pa
import polars as pl

from pipelines.store.sqllist import of_articles
from pipelines.text import lexicon

OFFSET = {"ge": 0}
TIME_KINDS = ("date", "year", "month", "weekday", "season", "quarter", "decade", "relative", "range", "duration", "event")
TIME_GRANULARITIES = ("day", "week", "month", "season", "quarter", "year", "decade")
TIME_UNRESOLVED_REASONS = ("no_publication_date", "no_earlier_date", "anchor_too_coarse", "duration", "vague",
                           "invalid_date")


def _f(description: str, nullable: bool = False, **checks) -> object:
    return pa.Field(description=description, nullable=nullable, **checks)


def _starts_with_title(column: str) -> pl.Expr:
    """The name opens with a title (`Dr`, `Chief Constable`) and goes on with more words."""
    words = pl.col(column).str.split(" ")
    titles = list(lexicon.words("person_titles"))
    first = words.list.first().str.to_lowercase().str.strip_chars(".")
    two = words.list.slice(0, 2).list.join(" ").str.to_lowercase().str.replace_all(".", "", literal=True)
    return (first.is_in(titles) & (words.list.len() > 1)) | (two.is_in(titles) & (words.list.len() > 2))


class _Contract(pa.DataFrameModel):
    class Config:
        strict = True
        coerce = False


class Articles(_Contract):
    """One row per distinct input document."""

    article_id: str = _f("first 16 hex digits of sha256 of the normalised text", unique=True, str_matches=r"^[0-9a-f]{16}$")
    source_path: str = _f("path of the input, relative to the seeds folder")
    title: str = _f("headline: front matter title, else the first line where it is headline-like", nullable=True)
    published_on: pl.Date = _f("publication date from front matter or metadata", nullable=True)
    text: str = _f("the normalised text (NFC, \\n line ends, BOM stripped); offsets index into it")
    n_paragraphs: pl.Int32 = _f("number of paragraphs", ge=0)
    n_sentences: pl.Int32 = _f("number of sentences", ge=0)
    n_words: pl.Int32 = _f("number of words", ge=0)
    ingested_at: pl.Datetime(time_unit="us") = _f("when this version of the text was first ingested")


class Paragraphs(_Contract):
    """Paragraphs in reading order, with their display kind."""

    article_id: str = _f("article")
    paragraph_no: pl.Int32 = _f("0-based, in reading order", ge=0)
    kind: str = _f("headline, standfirst, body or pull_quote", isin=["headline", "standfirst", "body", "pull_quote"])
    duplicate_of: pl.Int32 = _f("paragraph_no of the body paragraph a display paragraph repeats", nullable=True)
    char_start: pl.Int32 = _f("start offset", **OFFSET)
    char_end: pl.Int32 = _f("end offset, exclusive", **OFFSET)


class Sentences(_Contract):
    """Sentences; display sentences (headline, pull quotes) are kept but flagged."""

    sentence_id: str = _f("{article_id}:{sentence_no}", unique=True)
    article_id: str = _f("article")
    paragraph_no: pl.Int32 = _f("paragraph holding the sentence", ge=0)
    sentence_no: pl.Int32 = _f("0-based over the whole article", ge=0)
    char_start: pl.Int32 = _f("start offset", **OFFSET)
    char_end: pl.Int32 = _f("end offset, exclusive", **OFFSET)
    text: str = _f("the sentence text; equals the span")
    is_display: bool = _f("in a headline, standfirst or pull quote: excluded from claim counts")


class Claims(_Contract):
    """One row per statement a reader could check or attribute."""

    claim_id: str = _f("stable across re-runs of the same text", unique=True)
    article_id: str = _f("article")
    sentence_id: str = _f("sentence where the claim starts")
    char_start: pl.Int32 = _f("start of what is claimed", **OFFSET)
    char_end: pl.Int32 = _f("end of what is claimed, exclusive", **OFFSET)
    text: str = _f("what is claimed; for an attributed claim the content without the frame")
    source_start: pl.Int32 = _f("start of the words naming the source at this place", nullable=True, **OFFSET)
    source_end: pl.Int32 = _f("end of the words naming the source at this place", nullable=True, **OFFSET)
    cue_start: pl.Int32 = _f("start of the cue words", nullable=True, **OFFSET)
    cue_end: pl.Int32 = _f("end of the cue words", nullable=True, **OFFSET)
    claim_type: str = _f("direct_quote, partial_quote, reported_speech, assertion, prediction or evaluation",
                         isin=["direct_quote", "partial_quote", "reported_speech", "assertion", "prediction", "evaluation"])
    source_id: str = _f("who makes the claim; null is the author's own voice", nullable=True)
    cue: str = _f("the attribution cue, lemmatised", nullable=True)
    hedged: bool = _f("carries a hedge")
    hedge_cues: pl.List(pl.Utf8) = _f("the hedge words found")
    is_display: bool = _f("comes from a headline or pull quote")
    confidence: pl.Float64 = _f("how likely the attribution (content and source) is right, calibrated on annotated "
                                "text; for the author's own voice, how likely no one else is speaking", ge=0, le=1)


class Quotes(_Contract):
    """Text inside quotation marks."""

    quote_id: str = _f("stable id", unique=True)
    article_id: str = _f("article")
    sentence_id: str = _f("sentence where the quote starts")
    claim_id: str = _f("the claim the quote belongs to; null for scare quotes", nullable=True)
    char_start: pl.Int32 = _f("start of the words inside the marks", **OFFSET)
    char_end: pl.Int32 = _f("end of the words inside the marks", **OFFSET)
    text: str = _f("the words inside the marks, marks excluded")
    quote_type: str = _f("direct, partial or scare", isin=["direct", "partial", "scare"])
    source_id: str = _f("the speaker", nullable=True)
    cue: str = _f("the attribution cue, lemmatised", nullable=True)
    attribution: str = _f("explicit, continuation, inferred or none", isin=["explicit", "continuation", "inferred", "none"])
    unclosed: bool = _f("the closing mark is missing: the quote was cut at the paragraph end")
    confidence: pl.Float64 = _f("the confidence of the claim the quote belongs to (of the author's voice when none)",
                                ge=0, le=1)


class Sources(_Contract):
    """Who speaks in an article: one row per speaker per article."""

    source_id: str = _f("stable per article and speaker", unique=True)
    article_id: str = _f("article")
    entity_id: str = _f("the entity behind the source; null for anonymous sources", nullable=True)
    name: str = _f("the fullest name the article gives")
    source_type: str = _f("person, organisation, government, group, document or anonymous",
                          isin=["person", "organisation", "government", "group", "document", "anonymous"])
    role: str = _f("title or description the article gives", nullable=True)
    n_quotes: pl.Int32 = _f("quotes attributed to the source", ge=0)
    n_claims: pl.Int32 = _f("claims attributed to the source", ge=0)

    @pa.dataframe_check
    @classmethod
    def no_title_in_person_name(cls, data) -> pl.LazyFrame:
        """A person's name never starts with a title or honorific (`Councillor`, `Dr`): that is the role."""
        return data.lazyframe.select(~_starts_with_title("name") | (pl.col("source_type") != "person"))

    @pa.dataframe_check
    @classmethod
    def role_starts_with_no_determiner(cls, data) -> pl.LazyFrame:
        """A role never starts with a determiner or pronoun (`Its president` is `president`)."""
        first = pl.col("role").str.split(" ").list.first().str.to_lowercase()
        return data.lazyframe.select(pl.col("role").is_null() | ~first.is_in(list(lexicon.words("role_openers"))))


class Entities(_Contract):
    """People, organisations, places and groups, one id across articles."""

    entity_id: str = _f("stable across articles for the same canonical name and type", unique=True)
    canonical_name: str = _f("the fullest name")
    entity_type: str = _f("person, organisation, location, group or other",
                          isin=["person", "organisation", "location", "group", "other"])
    acronym: str = _f("acronym defined or commonly used for the entity", nullable=True)

    @pa.dataframe_check
    @classmethod
    def no_title_in_person_name(cls, data) -> pl.LazyFrame:
        """A person's canonical name never starts with a title or honorific."""
        return data.lazyframe.select(~_starts_with_title("canonical_name") | (pl.col("entity_type") != "person"))


class Mentions(_Contract):
    """Each place an entity is named or referred to."""

    mention_id: str = _f("stable id", unique=True)
    article_id: str = _f("article")
    sentence_id: str = _f("sentence holding the mention")
    entity_id: str = _f("entity mentioned")
    char_start: pl.Int32 = _f("start offset", **OFFSET)
    char_end: pl.Int32 = _f("end offset, exclusive", **OFFSET)
    surface: str = _f("the words as written")
    mention_type: str = _f("name, partial_name, acronym, title or pronoun",
                           isin=["name", "partial_name", "acronym", "title", "pronoun"])


class TimeExpressions(_Contract):
    """Dates, years, weekdays, seasons, relative phrases, ranges and durations, resolved to dates where possible."""

    article_id: str = _f("article")
    sentence_id: str = _f("sentence holding the expression")
    char_start: pl.Int32 = _f("start offset", **OFFSET)
    char_end: pl.Int32 = _f("end offset, exclusive", **OFFSET)
    surface: str = _f("the words as written")
    kind: str = _f("date, year, month, weekday, season, quarter, decade, relative, range, duration or event",
                   isin=list(TIME_KINDS))
    year: pl.Int32 = _f("resolved year, when the expression lies within one year", nullable=True)
    month: pl.Int32 = _f("resolved month, when the expression lies within one month (or names one)", nullable=True,
                         ge=1, le=12)
    anchor: str = _f("what the resolution counts from: publication, an event (9/11) or an earlier date", nullable=True)
    resolved_start: pl.Date = _f("first day of the period meant", nullable=True)
    resolved_end: pl.Date = _f("last day of the period meant", nullable=True)
    granularity: str = _f("unit of the period: day, week, month, season, quarter, year or decade", nullable=True,
                          isin=list(TIME_GRANULARITIES))
    unresolved_reason: str = _f("why there is no resolved period: no_publication_date, no_earlier_date, "
                                "anchor_too_coarse, duration, vague or invalid_date", nullable=True,
                                isin=list(TIME_UNRESOLVED_REASONS))

    @pa.dataframe_check
    @classmethod
    def resolved_or_explained(cls, data) -> pl.LazyFrame:
        """Each expression has a period (start <= end, with a granularity) or a reason, never both."""
        resolved = pl.col("resolved_start").is_not_null()
        return data.lazyframe.select(
            pl.when(resolved).then(
                pl.col("resolved_end").is_not_null() & (pl.col("resolved_start") <= pl.col("resolved_end"))
                & pl.col("granularity").is_not_null() & pl.col("unresolved_reason").is_null()
            ).otherwise(pl.col("unresolved_reason").is_not_null())
        )


class ClaimEntities(_Contract):
    """Links between claims and the entities that make them or that they mention."""

    claim_id: str = _f("claim")
    entity_id: str = _f("entity")
    role: str = _f("source or mentioned", isin=["source", "mentioned"])


class IngestErrors(_Contract):
    """Inputs that could not be read, kept and explained."""

    source_path: str = _f("path of the input, relative to the seeds folder")
    error: str = _f("empty, not_text, encoding, too_large, unsupported, unreadable, symlink_outside, not_regular, "
                    "duplicate, too_slow, too_big, contract, metadata, html_fallback")
    message: str = _f("what went wrong, for a person")
    seen_at: pl.Datetime(time_unit="us") = _f("when the input was last seen")


@dataclass(frozen=True)
class Span:
    """Character offsets into `articles.text`: `start` < `end` within the text and, when `text` names
    a column, that column equals the text between them."""

    start: str
    end: str
    text: str | None = None

    @property
    def rule(self) -> str:
        return f"{self.text} equals its span" if self.text else f"{self.start}..{self.end} inside the text"


@dataclass(frozen=True)
class ForeignKey:
    """`columns` of this table refer to `references` of `table` (null values refer to nothing)."""

    columns: tuple[str, ...]
    table: str
    references: tuple[str, ...]


def _fk(column: str, table: str) -> ForeignKey:
    return ForeignKey((column,), table, (column,))


@dataclass(frozen=True)
class Column:
    name: str
    polars: pl.DataType
    duckdb: str
    nullable: bool
    description: str


@dataclass(frozen=True)
class Table:
    """Everything about one table of CONTRACT.md, in one place.

    `model` holds the columns (order, types, nullability, descriptions, value rules); `key` is the
    primary key, `sort` the total order rows are written in (byte-identical output needs one),
    `article_key` the SQL expression giving the article a row belongs to (the lake replaces rows by
    article, partition by partition; None: the table is not per article), `article_prefix` the key
    column `article_key` is computed from when it is not a column (its values start with the article
    id: `sqllist.of_articles` states their range), `spans` the character
    offsets that must reproduce the article text. Pandera checks, the lake DDL, the data dictionary,
    `datapackage.json`, the key and foreign-key rules and the Dagster asset checks are made from it.
    """

    name: str
    model: type[_Contract]
    sort: tuple[str, ...]
    key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    spans: tuple[Span, ...] = ()
    article_key: str | None = "article_id"
    article_prefix: str | None = None

    def of_articles(self, ids: Sequence[str]) -> tuple[str, list[str]]:
        """SQL condition (and its parameters) selecting the rows of the articles `ids`."""
        if self.article_key is None:
            raise ValueError(f"{self.name} is not a per-article table")
        return of_articles(self.article_key, ids, self.article_prefix)

    @property
    def description(self) -> str:
        return (self.model.__doc__ or self.name).strip()

    @property
    def key_article(self) -> str | None:
        """SQL of the article a row's key names (None: not a per-article table with a key). Every
        per-article key starts with its article id (`{article_id}:...`, CONTRACT.md), so rows of two
        articles never share a key: a key of a changed article's rows is checked among that article's
        rows alone (`validate.scoped_rules`)."""
        if not self.key or self.article_key is None:
            return None
        if self.article_prefix is not None:  # the article is computed from the key
            return self.article_key
        first = self.key[0]
        return first if first == "article_id" else f"split_part({first}, ':', 1)"

    @property
    def columns(self) -> list[Column]:
        out = []
        for name, col in self.model.to_schema().columns.items():
            dtype = col.dtype.type
            out.append(Column(name, dtype, DUCKDB_TYPES.get(str(dtype), str(dtype)), bool(col.nullable),
                              col.description or ""))
        return out


DUCKDB_TYPES = {"String": "VARCHAR", "Int32": "INTEGER", "Int64": "BIGINT", "Int16": "SMALLINT", "Float64": "DOUBLE",
                "Float32": "FLOAT", "Boolean": "BOOLEAN", "Date": "DATE",
                "Datetime(time_unit='us', time_zone=None)": "TIMESTAMP", "List(String)": "VARCHAR[]"}
_ARTICLE, _SENTENCE, _SOURCE, _ENTITY, _CLAIM = (_fk("article_id", "articles"), _fk("sentence_id", "sentences"),
                                                 _fk("source_id", "sources"), _fk("entity_id", "entities"),
                                                 _fk("claim_id", "claims"))

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("articles", Articles, sort=("article_id",), key=("article_id",)),
    Table("paragraphs", Paragraphs, sort=("article_id", "paragraph_no"), key=("article_id", "paragraph_no"),
          foreign_keys=(_ARTICLE,), spans=(Span("char_start", "char_end"),)),
    Table("sentences", Sentences, sort=("article_id", "sentence_no"), key=("sentence_id",), foreign_keys=(_ARTICLE,),
          spans=(Span("char_start", "char_end", "text"),)),
    Table("claims", Claims, sort=("article_id", "char_start", "char_end", "claim_id"), key=("claim_id",),
          foreign_keys=(_ARTICLE, _SENTENCE, _SOURCE),
          spans=(Span("char_start", "char_end", "text"), Span("source_start", "source_end"),
                 Span("cue_start", "cue_end"))),
    Table("quotes", Quotes, sort=("article_id", "char_start", "quote_id"), key=("quote_id",),
          foreign_keys=(_ARTICLE, _SENTENCE, _CLAIM, _SOURCE), spans=(Span("char_start", "char_end", "text"),)),
    Table("sources", Sources, sort=("article_id", "source_id"), key=("source_id",), foreign_keys=(_ARTICLE, _ENTITY)),
    Table("entities", Entities, sort=("entity_id",), key=("entity_id",), article_key=None),
    Table("mentions", Mentions, sort=("article_id", "char_start", "char_end", "mention_id"), key=("mention_id",),
          foreign_keys=(_ARTICLE, _SENTENCE, _ENTITY), spans=(Span("char_start", "char_end", "surface"),)),
    Table("time_expressions", TimeExpressions, sort=("article_id", "char_start", "char_end"),
          foreign_keys=(_ARTICLE, _SENTENCE), spans=(Span("char_start", "char_end", "surface"),)),
    Table("claim_entities", ClaimEntities, sort=("claim_id", "role", "entity_id"), key=("claim_id", "entity_id", "role"),
          foreign_keys=(_CLAIM, _ENTITY), article_key="left(claim_id, 16)", article_prefix="claim_id"),
    Table("ingest_errors", IngestErrors, sort=("source_path", "error"), key=("source_path", "error"), article_key=None),
)}

# Views of TABLES kept for the modules that need only one aspect.
SCHEMAS: dict[str, type[_Contract]] = {name: t.model for name, t in TABLES.items()}
SORT_KEYS: dict[str, list[str]] = {name: list(t.sort) for name, t in TABLES.items()}
ARTICLE_KEY: dict[str, str | None] = {name: t.article_key for name, t in TABLES.items()}


def polars_schema(table: str) -> dict[str, pl.DataType]:
    """Column name -> polars dtype for `table`, in contract order."""
    return {c.name: c.polars for c in TABLES[table].columns}


def frame(table: str, rows: list[dict] | None = None) -> pl.DataFrame:
    """A frame of `table` with exactly the contract's columns and dtypes, sorted by its key.

    Row keys outside the contract (such as the extractor's private `_features`) are left out."""
    schema = polars_schema(table)
    df = pl.DataFrame(rows or [], schema=schema, orient="row" if rows and not isinstance(rows[0], dict) else None)
    return df.sort(SORT_KEYS[table], nulls_last=True) if df.height else df


# `entities` is shared by all articles: the lake keeps each article's entity rows (ENTITY_ROWS, the
# entities columns plus article_id) and `entities` is a view folding them into one row per id.
ENTITY_ROWS = "entity_rows"
# Articles the budget guard or the contract left out (too_slow, too_big, contract): their ingest_errors rows with the article id,
# kept per partition so an article is not tried again until its text or the extractor changes.
REJECTED = "rejected_articles"


def duckdb_columns(table: str) -> list[tuple[str, str]]:
    """(name, DuckDB type) of every column of `table`, in contract order."""
    return [(c.name, c.duckdb) for c in TABLES[table].columns]
