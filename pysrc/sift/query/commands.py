"""The SQL commands of the engine (docs/query-contract.md)."""

from __future__ import annotations

from collections.abc import Mapping

from sift.command import Command

COMMANDS: Mapping[str, Command] = {}
