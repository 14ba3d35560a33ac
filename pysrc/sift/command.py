"""A command of the engine's registry: the function that runs it and the arguments it takes.

Each feature package keeps its own COMMANDS mapping (sift.query.commands, sift.pycode.commands);
sift.session merges them. Imports: the standard library and sift.errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sift.errors import SiftError

if TYPE_CHECKING:
    from sift.session import Session


@dataclass(frozen=True)
class Command:
    """A registry entry: the function that runs the command and the arguments it accepts."""

    run: Callable[[Session, Mapping[str, Any]], Any]
    params: frozenset[str] = frozenset()


def text_arg(command: str, args: Mapping[str, Any], key: str) -> str:
    """``args[key]``, which must be text."""
    value = args.get(key)
    if not isinstance(value, str):
        raise SiftError(
            f"The command {command!r} needs {key!r} as text, not {value!r}.",
            hint=f"Pass {key!r} as a string.",
        )
    return value
