"""The query history (every run, newest first) and saved queries, per session.

Kept beside the session (sift.query.state), never in it; ``dump`` and ``load`` are the
persistence hooks of docs/query-contract.md. ``load`` takes whatever storage gives back:
anything that is not a well-formed entry is left out, and it never raises.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sift.errors import SiftError
from sift.query.state import state_of

if TYPE_CHECKING:
    from sift.session import Session

MAX_HISTORY = 100
MAX_SAVED = 500
DUMP_VERSION = 1


@dataclass
class History:
    runs: list[dict[str, Any]] = field(default_factory=list)  # newest first
    saved: dict[str, str] = field(default_factory=dict)  # name -> sql, in saving order

    def record(self, sql: str, ok: bool, rows: int, seconds: float, message: str) -> None:
        run = {
            "sql": sql,
            "at": now_iso(),
            "ok": ok,
            "rows": rows,
            "seconds": round(seconds, 3),
            "message": message,
        }
        self.runs.insert(0, run)
        del self.runs[MAX_HISTORY:]

    def save(self, name: str, sql: str) -> None:
        """Save ``sql`` as ``name``; a name saved before (any letter case) is replaced."""
        label = name.strip()
        if not label:
            raise SiftError("Give the query a name.", hint="For example: big orders by city.")
        for known in [k for k in self.saved if k.lower() == label.lower()]:
            del self.saved[known]
        self.saved[label] = sql
        while len(self.saved) > MAX_SAVED:
            del self.saved[next(iter(self.saved))]

    def delete(self, name: str) -> None:
        known = [k for k in self.saved if k.lower() == name.strip().lower()]
        if not known:
            names = ", ".join(sorted(self.saved)) or "none yet"
            raise SiftError(
                f"There is no saved query named {name!r}.",
                hint=f"Saved queries: {names}.",
            )
        del self.saved[known[0]]

    def listing(self) -> dict[str, Any]:
        """The ``queries`` reply."""
        return {
            "history": [dict(run) for run in self.runs],
            "saved": [{"name": n, "sql": s} for n, s in sorted(self.saved.items(), key=_name_key)],
        }


def _name_key(item: tuple[str, str]) -> tuple[str, str]:
    return item[0].lower(), item[0]


def now_iso() -> str:
    """The time now in UTC, ISO 8601 to the second: '2026-11-22T03:33:02Z'."""
    moment = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def history_of(session: Session) -> History:
    return state_of(session).history


def dump(session: Session) -> dict[str, Any]:
    """History and saved queries as JSON-able data, for browser storage."""
    history = history_of(session)
    return {
        "version": DUMP_VERSION,
        "history": [dict(run) for run in history.runs],
        "saved": [{"name": n, "sql": s} for n, s in history.saved.items()],
    }


def load(session: Session, data: object) -> None:
    """Replace history and saved queries with ``data`` from ``dump``; bad parts are dropped."""
    history = History()
    if isinstance(data, dict) and data.get("version") == DUMP_VERSION:
        runs = data.get("history")
        if isinstance(runs, list):
            history.runs = [run for run in runs if _is_run(run)][:MAX_HISTORY]
            history.runs = [dict(run) for run in history.runs]
        saved = data.get("saved")
        if isinstance(saved, list):
            for entry in saved:
                if _is_saved(entry) and entry["name"].strip():
                    history.save(entry["name"], entry["sql"])
    state_of(session).history = history


_RUN_FIELDS: dict[str, tuple[type, ...]] = {
    "sql": (str,),
    "at": (str,),
    "ok": (bool,),
    "rows": (int,),
    "seconds": (int, float),
    "message": (str,),
}


def _is_run(run: object) -> bool:
    if not isinstance(run, dict) or set(run) != set(_RUN_FIELDS):
        return False
    for key, kinds in _RUN_FIELDS.items():
        value = run[key]
        if not isinstance(value, kinds) or (bool not in kinds and isinstance(value, bool)):
            return False
    return True


def _is_saved(entry: object) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("name"), str)
        and isinstance(entry.get("sql"), str)
    )
