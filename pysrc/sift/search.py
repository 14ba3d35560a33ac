"""Full-text search of a table's text columns: an FTS5 trigram index, built a chunk at a time.

The index (``sift_fts_<table>``) is contentless and keeps no positions (``detail=none``): about
a fifth of the memory of a full index. A search term becomes the AND of its trigrams, which
finds a superset of the rows holding it; a LIKE check on those rows keeps the exact ones. Until
the index is complete, and for terms under three characters (which have no trigram), the
search is a LIKE scan over the text columns: slower, same answer. LIKE matches ignore ASCII
letter case, as the index does. Several words all have to match, each in any text column.

``SearchIndexes.build_step`` adds rows for a bounded time and reports progress; the UI calls it
again until ``done``, other commands in between. Build state lives here, keyed on the table's
version (sift.workspace), so a changed table starts a new index.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sift.filters import LIKE_ESCAPE, TEXT, column_kind, like_pattern
from sift.names import quote_ident
from sift.workspace import Workspace, rowid_alias, search_index_name

NONE, PARTIAL, READY = "none", "partial", "ready"
FIRST_CHUNK_ROWS = 2_000  # then sized from the rows per second measured so far
MIN_CHUNK_ROWS, MAX_CHUNK_ROWS = 200, 50_000
BUILD_SECONDS = 0.25  # per build_step: other commands wait at most about this long
MAX_TRIGRAMS = 12  # per term: enough to be selective, few enough to stay cheap
PARAM = "sq"  # parameter prefix: filters use f<n>, facets their own

Params = dict[str, Any]


@dataclass
class Build:
    """How far the index of one version of a table has got."""

    version: int
    columns: tuple[str, ...]
    rowid: str | None
    rows_total: int
    rows_done: int = 0
    last_rowid: int | None = None
    done: bool = False
    chunk_rows: int = FIRST_CHUNK_ROWS

    def progress(self, table: str) -> dict[str, Any]:
        return {
            "table": table,
            "done": self.done,
            "rows_done": self.rows_done,
            "rows_total": self.rows_total,
        }


def text_columns(columns: Sequence[str], types: Sequence[str]) -> tuple[str, ...]:
    """The columns search looks in: those whose declared type makes them text."""
    return tuple(c for c, t in zip(columns, types, strict=True) if column_kind(t) == TEXT)


class SearchIndexes:
    """The search indexes of one workspace and how far each has been built."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._builds: dict[str, Build] = {}
        self._clock = clock

    def state(self, ws: Workspace, table: str) -> str:
        """'none' (not started, or the table changed since), 'partial' or 'ready'."""
        build = self._current(ws, table)
        if build is None:
            return NONE
        return READY if build.done else PARTIAL

    def forget(self, table: str) -> None:
        self._builds.pop(table.lower(), None)

    def build_step(
        self,
        ws: Workspace,
        table: str,
        *,
        seconds: float = BUILD_SECONDS,
        chunk_rows: int | None = None,
    ) -> dict[str, Any]:
        """Index the next rows of ``table`` for about ``seconds``; report how far it is.
        Chunks are sized to take about half of ``seconds`` each (or ``chunk_rows`` rows)."""
        name = ws.resolve(table)
        build = self._current(ws, name) or self._start(ws, name)
        started = self._clock()
        while not build.done:
            size = chunk_rows or build.chunk_rows
            before = self._clock()
            self._index_chunk(ws, name, build, size)
            now = self._clock()
            rate = size / max(now - before, 1e-3)
            build.chunk_rows = max(MIN_CHUNK_ROWS, min(MAX_CHUNK_ROWS, int(rate * seconds / 2)))
            if now - started + build.chunk_rows / rate > seconds:
                break  # the next chunk would end past the time given
        return build.progress(name)

    def condition(self, ws: Workspace, table: str, q: str) -> tuple[str, Params]:
        """A WHERE fragment (and its parameters) keeping the rows of ``table`` that hold
        every word of ``q``; ("", {}) when ``q`` is blank."""
        terms = list(dict.fromkeys(q.split()))
        if not terms:
            return "", {}
        columns, types = ws.columns(table), ws.column_types(table)
        searched = text_columns(columns, types)
        if not searched:
            return "(0)", {}  # nothing to search in: no row holds the text
        params: Params = {}
        parts = [_like_any(searched, term, f"{PARAM}{n}", params) for n, term in enumerate(terms)]
        build = self._current(ws, table)
        trigrams = [g for term in terms for g in _trigrams(term)]
        if build is not None and build.done and build.rowid is not None and trigrams:
            params[f"{PARAM}_match"] = " ".join(_fts_string(g) for g in trigrams)
            index = quote_ident(search_index_name(table))
            parts.insert(
                0,
                f"{build.rowid} IN (SELECT rowid FROM {index} WHERE {index} MATCH :{PARAM}_match)",
            )
        return "(" + " AND ".join(parts) + ")", params

    def _current(self, ws: Workspace, table: str) -> Build | None:
        build = self._builds.get(table.lower())
        if build is None or build.version != ws.version(table):
            return None
        return build

    def _start(self, ws: Workspace, table: str) -> Build:
        """A new, empty index for the table as it is now (an older one is dropped)."""
        ws.drop_search_index(table)
        columns = ws.columns(table)
        searched = text_columns(columns, ws.column_types(table))
        rowid = rowid_alias(columns)
        build = Build(ws.version(table), searched, rowid, ws.count(table))
        if rowid is None or not searched:
            build.done, build.rows_done = True, build.rows_total  # LIKE answers; nothing to index
        else:
            names = ", ".join(f"c{n}" for n in range(len(searched)))
            ws.conn.execute(
                f"CREATE VIRTUAL TABLE {quote_ident(search_index_name(table))} USING fts5("
                f"{names}, content='', tokenize='trigram', detail='none')"
            )
        self._builds[table.lower()] = build
        return build

    def _index_chunk(self, ws: Workspace, table: str, build: Build, chunk_rows: int) -> None:
        assert build.rowid is not None  # a build without a rowid is done at its start
        source, rowid = quote_ident(table), build.rowid
        after = "" if build.last_rowid is None else f" WHERE {rowid} > :last"
        window = {"last": build.last_rowid, "rows": chunk_rows}
        count, high = ws.conn.execute(
            f"SELECT count(*), max(r) FROM (SELECT {rowid} AS r FROM {source}{after}"
            f" ORDER BY {rowid} LIMIT :rows)",
            window,
        ).fetchone()
        if not count:
            build.done = True
            build.rows_total = build.rows_done
            return
        names = ", ".join(f"c{n}" for n in range(len(build.columns)))
        values = ", ".join(quote_ident(c) for c in build.columns)
        upto = f"{rowid} <= :high" + ("" if not after else f" AND {rowid} > :last")
        ws.conn.execute(
            f"INSERT INTO {quote_ident(search_index_name(table))} (rowid, {names})"
            f" SELECT {rowid}, {values} FROM {source} WHERE {upto}",
            {"high": high, "last": build.last_rowid},
        )
        build.last_rowid = int(high)
        build.rows_done += int(count)
        build.rows_total = max(build.rows_total, build.rows_done)


def _like_any(columns: Sequence[str], term: str, name: str, params: Params) -> str:
    """True when any of ``columns`` holds ``term`` (ASCII letter case ignored)."""
    params[name] = like_pattern(term, "%", "%")
    tests = [f"{quote_ident(c)} LIKE :{name} ESCAPE '{LIKE_ESCAPE}'" for c in columns]
    return "(" + " OR ".join(tests) + ")"


def _trigrams(term: str) -> list[str]:
    """Up to MAX_TRIGRAMS of the term's trigrams, spread over it; none under 3 characters."""
    grams = list(dict.fromkeys(term[i : i + 3] for i in range(len(term) - 2)))
    if len(grams) <= MAX_TRIGRAMS:
        return grams
    step = (len(grams) - 1) / (MAX_TRIGRAMS - 1)
    return [grams[round(i * step)] for i in range(MAX_TRIGRAMS)]


def _fts_string(text: str) -> str:
    """An FTS5 string literal: one token for the trigram tokenizer, whatever it holds."""
    return '"' + text.replace('"', '""') + '"'
