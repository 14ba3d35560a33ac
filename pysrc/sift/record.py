"""Value classes without dataclasses' generated code.

A dataclass writes its methods as source text and compiles it when its module is imported:
about 3 ms a class in Pyodide (measured under Node), paid by the chart command's first call
for seven classes, while a page's chart waits. A `Record` subclass lists its fields in
`__slots__` and writes its own typed `__init__`; `Record` gives equality, hashing and a repr
from those fields, in their order.
Imports: none.
"""

from __future__ import annotations


class Record:
    __slots__: tuple[str, ...] = ()

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and _values(self) == _values(other)

    def __hash__(self) -> int:
        return hash((type(self).__name__, _values(self)))

    def __repr__(self) -> str:
        pairs = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({pairs})"


def _values(record: object) -> tuple[object, ...]:
    return tuple(getattr(record, name) for name in type(record).__slots__)  # type: ignore[attr-defined]
