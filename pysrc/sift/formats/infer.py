"""Column types of delimited text: the grammar of each type, inference over batches of rows,
and the guess whether the first row is a header.

Values arrive as text. A column gets the narrowest type that every non-empty value in it
matches; empty values never disprove a type. The grammar, on purpose strict, so that text is
never silently changed:

- INTEGER: ``-?(0|[1-9][0-9]*)`` within 64 bits. Leading zeros (``007``, zip ``02134``), a
  ``+`` sign, spaces and wider numbers stay TEXT.
- REAL: an INTEGER or a decimal number (``1.5``, ``.5``, ``1.``, ``-2.5e-3``); no leading zeros
  before the point. In a ';'-separated file a decimal comma (``1,5``) is read as a point, as in
  the locales that write such files. Thousands separators (``1,234.5``, ``1.234,5``) are not
  read: such a column stays TEXT, because ``1,500`` means 1.5 in one locale and 1500 in another.
- BOOLEAN: ``true`` / ``false`` in any letter case, stored as 1 / 0. (``yes``/``no`` and ``0``/``1``
  stay TEXT and INTEGER: they mean other things too often.)
- DATE: ISO 8601 ``YYYY-MM-DD``, a real calendar day. DATETIME: a DATE, a ``T`` or a space, then
  ``HH:MM``, optional ``:SS`` and fraction, optional ``Z`` or ``+HH:MM``; a column mixing dates
  and date-times is DATETIME. Both are stored as the ISO text they were written in.
- TEXT: everything else.

The checks run on whole batches: one regular expression over a column's values joined by NUL
(the importer strips NUL from the input, so it cannot occur inside a value). When a batch also
comes as plain text (no quotes, one line per row), one regular expression over that text first
checks every column at once against the kinds found so far; only a batch that fails it (a
column widens, or a suspect date) is checked column by column.
Imports: the standard library and sift.column_types.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product
from operator import itemgetter

from sift.column_types import REAL_FUNCTION

__all__ = [
    "BOOLEAN",
    "DATE",
    "DATETIME",
    "INTEGER",
    "REAL",
    "REAL_DECIMAL_COMMA",
    "TEXT",
    "ColumnTypes",
    "Kind",
    "chains_for",
    "classify",
    "guess_header",
]

SEPARATOR = "\x00"
DISTINCT_SHARE = 4  # keep checking distinct values while at most 1 in 4 values is new
INT64_MAX = "9223372036854775807"


def _at_most(limit: str) -> str:
    """A regex for the decimal numbers with as many digits as ``limit`` that are <= ``limit``."""
    branches = []
    for position, digit in enumerate(limit):
        if digit != "0":
            low = "1" if position == 0 else "0"
            lower = f"[{low}-{int(digit) - 1}]" if int(digit) - 1 >= int(low) else None
            if lower is not None:
                rest = len(limit) - position - 1
                branches.append(limit[:position] + lower + (f"[0-9]{{{rest}}}" if rest else ""))
    branches.append(limit)
    return "|".join(branches)


# Each value pattern matches a whole value: it is followed by the separator or the end of the
# batch, so the batch pattern can repeat it possessively (no backtracking between values).
_END = r"(?=\x00|\Z)"
# 1 to 18 digits always fit in 64 bits; 19 digits only up to 2**63 - 1 (2**63 for negatives),
# a branch tried only for values of exactly 19 digits.
_NINETEEN = r"(?=[0-9]{19}(?![0-9]))"
INT_PATTERN = (
    rf"0|-?+[1-9][0-9]{{0,17}}+{_END}"
    rf"|{_NINETEEN}(?:{_at_most(INT64_MAX)})|-{_NINETEEN}(?:{_at_most('9223372036854775808')})"
)
_EXPONENT = r"[eE][-+]?+[0-9]++"
# A decimal needs a point or an exponent; plain digits are INT_PATTERN's (so 20 digits are TEXT).
_DECIMAL = (
    rf"-?+(?:(?:0|[1-9][0-9]*+)(?:\.[0-9]*+(?:{_EXPONENT})?+|{_EXPONENT})"
    rf"|\.[0-9]++(?:{_EXPONENT})?+)"
)
_COMMA_DECIMAL = rf"-?+(?:0|[1-9][0-9]*+)?+,[0-9]++(?:{_EXPONENT})?+"
# Decimals first: in a REAL column most values have a point (measured a third faster).
REAL_PATTERN = rf"{_DECIMAL}|{INT_PATTERN}"
REAL_COMMA_PATTERN = rf"{_DECIMAL}|{_COMMA_DECIMAL}|{INT_PATTERN}"
BOOLEAN_PATTERN = r"(?i:true|false)"
DATE_PATTERN = r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\.[0-9]{1,9})?)?"
_ZONE = r"(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])"
DATETIME_PATTERN = rf"{DATE_PATTERN}(?:[T ]{_TIME}{_ZONE}?)?"
# The same grammars with the calendar folded in (short months, leap years), for the check over
# a batch's text, which cannot run the extra check on one column's values.
_LEAP_YEAR = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)"
CALENDAR_DATE_PATTERN = (
    r"(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
    r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
    rf"|{_LEAP_YEAR}-02-29)"
)
CALENDAR_DATETIME_PATTERN = rf"{CALENDAR_DATE_PATTERN}(?:[T ]{_TIME}{_ZONE}?)?"

# Days that the date pattern lets through but the calendar may not have: the 29th to 31st of
# the short months. Only these few values are checked one by one.
_SUSPECT_MONTH_DAYS = ("-02-29", "-02-30", "-02-31", "-04-31", "-06-31", "-09-31", "-11-31")


def _real_days(joined: str) -> bool:
    """False when ``joined`` holds a date that the calendar lacks (2023-02-29, 2024-04-31): a
    suspect month and day after four digits. Plain substring searches find them: much faster
    than a regular expression, which has no fixed text to look for first."""
    for month_day in _SUSPECT_MONTH_DAYS:
        at = joined.find(month_day, 4)
        while at >= 0:
            year = joined[at - 4 : at]
            leap_day = month_day == "-02-29"
            if year.isascii() and year.isdigit() and not (leap_day and calendar.isleap(int(year))):
                return False
            at = joined.find(month_day, at + 1)
    return True


def _comma_float(value: str) -> float:
    return float(value.replace(",", "."))


@dataclass(frozen=True)
class Kind:
    """A column type: the declared SQL type, the grammar of one value, the SQL expression that
    turns a staged text value ``{0}`` into the stored value, an extra batch check, and the
    Python conversion of a value inserted as this kind directly."""

    declared: str
    pattern: str
    convert: str = "{0}"
    extra_check: Callable[[str], bool] | None = None
    # How a value is converted when it is inserted as this kind directly; None: it is bound
    # as text and the column's affinity converts it (exactly, for what the pattern allows).
    python: Callable[[str], object] | None = None
    # The grammar with the extra check folded in, if it has one, for ``ColumnTypes``'s check
    # over a batch's text; without it that check runs the extra check on the whole text.
    calendar_pattern: str | None = None
    _batch: Callable[[str], object] = field(init=False, repr=False, compare=False)
    _one: Callable[[str], object] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        one = f"(?:{self.pattern}){_END}"
        batch = re.compile(f"(?:{one})?+(?:{SEPARATOR}(?:{one})?+)*+").fullmatch
        object.__setattr__(self, "_batch", batch)
        object.__setattr__(self, "_one", re.compile(one).fullmatch)

    def fits_joined(self, joined: str) -> bool:
        """True when every value of ``joined`` (values joined by NUL) is empty or of this kind."""
        if self._batch(joined) is None:
            return False
        return self.extra_check is None or self.extra_check(joined)

    def fits(self, value: str) -> bool:
        """True when the non-empty ``value`` is of this kind."""
        if self._one(value) is None:
            return False
        return self.extra_check is None or self.extra_check(value)

    def sql(self, column: str) -> str:
        """The SQL expression that stores the quoted staged ``column`` as this kind."""
        return self.convert.format(column)


INTEGER = Kind("INTEGER", INT_PATTERN, "CAST({0} AS INTEGER)")
# Reals go through Python's float(): SQLite's CAST is not always correctly rounded.
REAL = Kind("REAL", REAL_PATTERN, f"{REAL_FUNCTION}({{0}})", python=float)
REAL_DECIMAL_COMMA = Kind(
    "REAL", REAL_COMMA_PATTERN, f"{REAL_FUNCTION}({{0}})", python=_comma_float
)
# Every spelling of true and false (TRUE, True, tRuE...): a dict lookup converts a value
# faster than SQL's CASE lower(...) does.
_BOOLEAN_VALUES = {
    "".join(letters): flag
    for word, flag in (("true", 1), ("false", 0))
    for letters in product(*zip(word, word.upper(), strict=True))
}
BOOLEAN = Kind(
    "BOOLEAN",
    BOOLEAN_PATTERN,
    "CASE lower({0}) WHEN 'true' THEN 1 WHEN 'false' THEN 0 END",
    python=_BOOLEAN_VALUES.__getitem__,
)
DATE = Kind("DATE", DATE_PATTERN, extra_check=_real_days, calendar_pattern=CALENDAR_DATE_PATTERN)
DATETIME = Kind(
    "DATETIME",
    DATETIME_PATTERN,
    extra_check=_real_days,
    calendar_pattern=CALENDAR_DATETIME_PATTERN,
)
TEXT = Kind("TEXT", r"(?s:.*)")

# Each chain lists kinds from narrow to wide: a value of one kind is also of every later kind
# in its chain. Values of different chains never overlap, so the first value that is not empty
# picks the chain.
Chain = tuple[Kind, ...]
DEFAULT_CHAINS: tuple[Chain, ...] = ((INTEGER, REAL), (BOOLEAN,), (DATE, DATETIME))
DECIMAL_COMMA_CHAINS: tuple[Chain, ...] = (
    (INTEGER, REAL_DECIMAL_COMMA),
    (BOOLEAN,),
    (DATE, DATETIME),
)
DECIMAL_COMMA_DELIMITERS = (";",)


def chains_for(delimiter: str) -> tuple[Chain, ...]:
    """The type chains for a file: a ';' file may write decimals with a comma (``1,5``)."""
    return DECIMAL_COMMA_CHAINS if delimiter in DECIMAL_COMMA_DELIMITERS else DEFAULT_CHAINS


def classify(value: str, chains: Sequence[Chain] = DEFAULT_CHAINS) -> Kind | None:
    """The narrowest kind of one value; None for the empty string."""
    if not value:
        return None
    for chain in chains:
        for kind in chain:
            if kind.fits(value):
                return kind
    return TEXT


# Delimiters for which the text check is used: none of them can occur inside a typed value.
TEXT_DELIMITERS = (",", ";", "\t", "|")


class _TextCheck:
    """One regular expression for lines whose cells are of given kinds (None: empty only)."""

    def __init__(self, kinds: Sequence[Kind | None], delimiter: str) -> None:
        cell_end = f"(?=[{re.escape(delimiter)}\n])"
        cells = []
        for kind in kinds:
            if kind is None:
                cells.append("")
            elif kind is TEXT:
                cells.append(f"[^{re.escape(delimiter)}\n]*+")
            else:
                value = (kind.calendar_pattern or kind.pattern).replace(_END, cell_end)
                cells.append(f"(?:(?:{value}){cell_end})?+")
        line = re.escape(delimiter).join(cells)
        self._match = re.compile(f"(?:{line}\n)*+").fullmatch
        self._extra = [
            kind.extra_check
            for kind in kinds
            if kind and kind.extra_check and not kind.calendar_pattern
        ]

    def fits(self, text: str) -> bool:
        # The extra checks look at the whole text, other columns too: at worst a false alarm.
        if self._match(text) is None:
            return False
        return all(check(text) for check in self._extra)


# A column's state: no value yet, the position of its narrowest kind so far, or TEXT.
_UNSEEN: None = None
_State = tuple[int, int] | Kind | None


class ColumnTypes:
    """The narrowest kind of each column over every batch seen so far.

    ``update`` costs one regular-expression pass over the columns that are not TEXT yet; a
    column whose type a later batch disproves moves to a wider kind of its chain, or to TEXT.
    """

    def __init__(self, width: int, chains: Sequence[Chain] = DEFAULT_CHAINS) -> None:
        self._chains = tuple(chains)
        self._states: list[_State] = [_UNSEEN] * width
        self._open = list(range(width))  # columns that are not TEXT yet
        # Whether to check a column's distinct values only: worth it for columns with few
        # (dates, flags, small codes), so it stops for a column after a batch shows many.
        self._distinct = [True] * width
        self._text_checks: dict[tuple[object, ...], _TextCheck] = {}

    def update(
        self, rows: Sequence[Sequence[str]], text: str | None = None, delimiter: str = ","
    ) -> None:
        """Narrow the kinds with ``rows``, each exactly as wide as the table. ``text``, if given,
        is the same rows as lines (cells joined by ``delimiter``, no quotes, each line ending
        with a line feed): if every value fits the kinds found so far, nothing changes."""
        if not rows:
            return
        if text is not None and self._text_fits(text, delimiter):
            return
        still_open = []
        for column in self._open:
            values: Iterable[str] = map(itemgetter(column), rows)
            if self._distinct[column]:
                values = set(values)
                self._distinct[column] = len(values) * DISTINCT_SHARE <= len(rows)
            joined = SEPARATOR.join(values)
            state = self._next_state(self._states[column], joined)
            self._states[column] = state
            if state is not TEXT:
                still_open.append(column)
        self._open = still_open

    def _text_fits(self, text: str, delimiter: str) -> bool:
        """True when every line of ``text`` has exactly one value per column, each empty or of
        its column's kind so far (a column without a value yet: empty). Conservative: it may
        say False when a column by column check would change nothing."""
        if delimiter not in TEXT_DELIMITERS:
            return False
        key = (delimiter, *self._states)
        check = self._text_checks.get(key)
        if check is None:
            check = self._text_checks[key] = _TextCheck(self._line_kinds(), delimiter)
        return check.fits(text)

    def _line_kinds(self) -> list[Kind | None]:
        return [
            self._chains[state[0]][state[1]] if isinstance(state, tuple) else state
            for state in self._states
        ]

    def _next_state(self, state: _State, joined: str) -> _State:
        if isinstance(state, tuple):
            chain_index, kind_index = state
            return self._widen(chain_index, kind_index, joined)
        if len(joined) == joined.count(SEPARATOR):  # every value empty: no evidence yet
            return state
        for chain_index in range(len(self._chains)):
            found = self._widen(chain_index, 0, joined)
            if found is not TEXT:
                return found
        return TEXT

    def _widen(self, chain_index: int, kind_index: int, joined: str) -> _State:
        chain = self._chains[chain_index]
        for index in range(kind_index, len(chain)):
            if chain[index].fits_joined(joined):
                return (chain_index, index)
        return TEXT

    def kinds(self) -> list[Kind]:
        """The kind of each column; a column with no value at all is TEXT."""
        return [self._kind(state) for state in self._states]

    def _kind(self, state: _State) -> Kind:
        if isinstance(state, tuple):
            return self._chains[state[0]][state[1]]
        return TEXT


def guess_header(rows: Sequence[Sequence[str]], chains: Sequence[Chain] = DEFAULT_CHAINS) -> bool:
    """Whether ``rows[0]`` (the first rows of a file, blank lines left out) is a header.

    A header cell is text above a column of numbers, dates or booleans; a data cell is a value
    of such a type above such a column, or a text value that appears again below it. The first
    row is a header when any cell votes header or none votes data: a file whose columns are all
    text, and a file of one row, have a header.
    """
    if len(rows) < 2:
        return True
    first = list(rows[0])
    width = len(first)
    # A later copy of the whole first row is a repeated header (files joined end to end).
    data = [(list(row) + [""] * width)[:width] for row in rows[1:] if list(row) != first]
    types = ColumnTypes(width, chains)
    types.update(data)
    header_votes = data_votes = 0
    for index, (cell, column_kind) in enumerate(zip(first, types.kinds(), strict=True)):
        if not cell:
            continue
        if column_kind is not TEXT:
            if classify(cell, chains) is TEXT:
                header_votes += 1
            else:
                data_votes += 1
        elif any(row[index] == cell for row in data):
            data_votes += 1
    return header_votes > 0 or data_votes == 0
