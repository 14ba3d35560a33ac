"""Guess the delimiter of CSV-like text (the candidate that splits the lines most consistently)
and its quote character.

Our own rule instead of ``csv.Sniffer``, which misfires on ordinary quoted CSV and raises on
Python 3.14. Imports: the standard library only.
"""

from __future__ import annotations

import re
from collections import Counter

CANDIDATES = (",", "\t", ";", "|")
MAX_LINES = 50
MIN_QUOTED_FIELDS = 2  # single-quoted fields needed to take ' as the quote character

# A quoted section (closed or running to the end), a candidate delimiter, or a line break.
_TOKEN = re.compile(r'"[^"]*"?|[,;\t|]|\r\n?|\n')
_QUOTED = re.compile(r'"[^"]*"?')
_NOT_DECIMAL_COMMA = re.compile(r"(?<![0-9]),|,(?![0-9])")


def guess_delimiter(sample: str, *, complete: bool, default: str = ",") -> str:
    """The delimiter of ``sample``, the decoded start of a file (the whole file if ``complete``).

    The header (first non-blank line) must contain the delimiter; among those, the one whose
    count on the data lines most often equals the header's wins; ties go to ``default``, then
    to the order of CANDIDATES. When no candidate fits, the text is one column: ``default``.
    """
    records = _count_delimiters(sample, complete=complete)
    if not records:
        return default
    order = [default, *(c for c in CANDIDATES if c != default)]
    best, best_score = default, 0.0
    for candidate in order:
        score = _consistency(candidate, records)
        if score > best_score:
            best, best_score = candidate, score
    if best == "," and best_score == _consistency(";", records) and _decimal_commas(sample):
        return ";"  # "Ada;1,5": every comma sits between digits, so it is a decimal mark
    return best


def _decimal_commas(sample: str) -> bool:
    """True when the sample has commas outside quotes and each sits between two digits."""
    unquoted = _QUOTED.sub("", sample)
    return "," in unquoted and _NOT_DECIMAL_COMMA.search(unquoted) is None


def _consistency(delimiter: str, records: list[Counter[str]]) -> float:
    """The share of data lines with as many ``delimiter`` as the header (1.0 with no data
    lines); 0 when the header has none, because the header defines the columns."""
    expected = records[0][delimiter]
    if expected == 0:
        return 0.0
    data = records[1:]
    if not data:
        return 1.0
    return sum(1 for record in data if record[delimiter] == expected) / len(data)


def _count_delimiters(sample: str, *, complete: bool) -> list[Counter[str]]:
    """Per non-blank record of the sample (up to MAX_LINES), how often each candidate occurs
    outside quotes. A last record cut off by the end of an incomplete sample is dropped,
    unless it is the only one (a very long header)."""
    records: list[Counter[str]] = []
    counts: Counter[str] = Counter()
    start = 0
    for match in _TOKEN.finditer(sample):
        token = match.group()
        if token[0] == '"':
            continue
        if token[0] in "\r\n":
            if sample[start : match.start()].strip():
                records.append(counts)
                if len(records) >= MAX_LINES:
                    return records
            counts, start = Counter(), match.end()
        else:
            counts[token] += 1
    if sample[start:].strip() and (complete or not records):
        records.append(counts)
    return records


def guess_quotechar(sample: str, delimiter: str) -> str:
    """``"`` unless the sample has at least two whole fields in single quotes and none in double
    quotes (``'Ada','London'``); an apostrophe inside a value (O'Brien) is not a quote."""
    single = _wrapped_fields(sample, delimiter, "'")
    if single >= MIN_QUOTED_FIELDS and _wrapped_fields(sample, delimiter, '"') == 0:
        return "'"
    return '"'


def _wrapped_fields(sample: str, delimiter: str, quote: str) -> int:
    """How many fields of ``sample`` are some text wrapped in ``quote``. An empty pair ('')
    is no evidence: it is as likely a value of two apostrophes (hypothesis found one)."""
    edge = re.escape(delimiter)
    pattern = rf"(?:^|(?<=[{edge}\r\n])){quote}[^{quote}\r\n]+{quote}(?=[{edge}\r\n]|$)"
    return len(re.findall(pattern, sample))
