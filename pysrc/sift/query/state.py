"""What sift.query keeps for each session: its query results and its history.

Held in a WeakKeyDictionary keyed by the Session (which knows nothing of it), so it goes when
the session does. Imports: the standard library.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sift.query.history import History
    from sift.session import Session


@dataclass
class QueryState:
    history: History
    results: list[str] = field(default_factory=list)  # result tables, oldest first
    next_result: int = 1


_STATES: weakref.WeakKeyDictionary[Session, QueryState] = weakref.WeakKeyDictionary()


def state_of(session: Session) -> QueryState:
    """The session's query state, created on first use."""
    known = _STATES.get(session)
    if known is None:
        from sift.query.history import History  # history imports this module

        known = QueryState(History())
        _STATES[session] = known
    return known
