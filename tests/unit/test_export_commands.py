"""Tests for sift.export.commands: arguments, names and messages, Cancel and failures that
leave no partial file, progress."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sift.export import cell_sql
from sift.export import rows as export_rows
from sift.export.commands import COMMANDS
from sift.export.registry import EXPORT_FORMATS
from sift.session import Session
from tests.unit.export_helpers import CancelAfter, export, export_reply, load

FORMATS = list(EXPORT_FORMATS)


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as opened:
        load(
            opened,
            "sales.csv",
            b"region,amount\n" + b"".join(b"r%d,%d\n" % (i % 7, i) for i in range(10_000)),
        )
        yield opened


def error(reply: dict[str, Any]) -> dict[str, Any]:
    assert reply["ok"] is False
    found: dict[str, Any] = reply["error"]
    return found


def test_the_registry_names_the_commands_and_their_arguments() -> None:
    assert sorted(COMMANDS) == ["export", "export_workspace"]
    assert COMMANDS["export"].params == {
        "table", "sort", "filters", "q", "format", "path", "options", "progress"
    }  # fmt: skip
    assert COMMANDS["export_workspace"].params == {"path", "progress"}


def test_labels_match_the_ui_contract() -> None:
    # DESIGN.md: export controls' accessible names contain "CSV", "JSON", "Excel", "SQLite".
    assert [f.label for f in EXPORT_FORMATS.values()] == ["CSV", "JSON", "Excel", "SQLite"]


@pytest.mark.parametrize(
    ("fmt", "name", "mime"),
    [
        ("csv", "sales.csv", "text/csv;charset=utf-8"),
        ("json", "sales.json", "application/json"),
        ("xlsx", "sales.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("sqlite", "sales.sqlite", "application/vnd.sqlite3"),
    ],
)
def test_result_of_each_format(
    session: Session, tmp_path: Path, fmt: str, name: str, mime: str
) -> None:
    result = export(session, tmp_path / "out", fmt)
    label = EXPORT_FORMATS[fmt].label
    assert result == {
        "path": str(tmp_path / "out"),
        "name": name,
        "format": fmt,
        "table": "sales",
        "rows": 10_000,
        "bytes": (tmp_path / "out").stat().st_size,
        "mime": mime,
        "warnings": [],
        "message": f"Exported 10,000 rows of sales to {label}.",
    }
    assert os.listdir(tmp_path) == ["out"]  # no temporary file left beside it


def test_a_filtered_or_searched_view_is_named_so(session: Session, tmp_path: Path) -> None:
    sort = export(session, tmp_path / "a", "csv", sort=[{"column": "amount", "desc": True}])
    assert sort["name"] == "sales.csv"
    searched = export(session, tmp_path / "b", "csv", q="r3")
    assert searched["name"] == "sales-filtered.csv"
    assert searched["rows"] == 10_000 // 7 + 1


def test_a_format_name_in_capitals_is_accepted(session: Session, tmp_path: Path) -> None:
    assert export(session, tmp_path / "a", "CSV")["format"] == "csv"


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (
            {"format": "pdf"},
            "Sift cannot export to 'pdf'.",
            "Choose one of: csv, json, xlsx, sqlite.",
        ),
        (
            {"format": None},
            "Sift cannot export to None.",
            "Choose one of: csv, json, xlsx, sqlite.",
        ),
        (
            {"options": {"bom": 1}},
            "The export option 'bom' must be true or false, not 1.",
            "Send 'bom' as a JSON boolean.",
        ),
        (
            {"options": {"neutralize": False}},
            "The CSV export has no option 'neutralize'.",
            "It takes: bom, raw.",
        ),
        (
            {"format": "xlsx", "options": {"bom": True}},
            "The Excel export has no option 'bom'.",
            "It takes: raw.",
        ),
        (
            {"options": [True]},
            "An export's 'options' must be a mapping, not [True].",
            'Send the options as a JSON object, e.g. {"bom": true}.',
        ),
        (
            {"path": 5},
            "The command 'export' needs 'path' as text, not 5.",
            "Pass 'path' as a string.",
        ),
        ({"path": " "}, "An export needs a path to write to.", "Pass 'path', e.g. /tmp/x.csv."),
        (
            {"progress": 3},
            "An export's 'progress' must be a function, not 3.",
            "Leave it out: the engine worker passes one.",
        ),
        ({"table": "nope"}, "There is no table named 'nope'.", "Choose one of the tables: sales."),
        (
            {"sort": [{"column": "nope"}]},
            "Cannot sort sales by 'nope': it has no such column.",
            "Click a column's header to sort by it.",
        ),
    ],
)
def test_bad_arguments_say_what_to_do(
    session: Session, tmp_path: Path, args: dict[str, Any], message: str, hint: str
) -> None:
    full = {"table": "sales", "format": "csv", "path": str(tmp_path / "out.csv"), **args}
    found = error(export_reply(session, full))
    assert (found["message"], found["hint"]) == (message, hint)
    assert os.listdir(tmp_path) == []


def test_a_bad_filter_is_a_filter_error(session: Session, tmp_path: Path) -> None:
    args = {
        "table": "sales",
        "format": "csv",
        "path": str(tmp_path / "out.csv"),
        "filters": [{"column": "amount", "op": "gt", "value": "lots"}],
    }
    found = error(export_reply(session, args))
    assert found["kind"] == "filter"
    assert os.listdir(tmp_path) == []


def test_a_missing_folder_or_a_folder_as_path_is_refused(session: Session, tmp_path: Path) -> None:
    missing = error(
        export_reply(
            session, {"table": "sales", "format": "csv", "path": str(tmp_path / "no" / "x.csv")}
        )
    )
    assert (
        missing["message"]
        == f"Cannot write the export to {tmp_path / 'no' / 'x.csv'}: its folder does not exist."
    )
    folder = error(
        export_reply(session, {"table": "sales", "format": "csv", "path": str(tmp_path)})
    )
    assert folder["message"] == f"Cannot write the export to {tmp_path}: it is a folder."
    assert folder["hint"] == "Choose a file path in an existing folder."
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_cancel_mid_export_leaves_no_file(session: Session, tmp_path: Path, fmt: str) -> None:
    session.poll = poll = CancelAfter(3)  # between batches or from SQLite's progress handler
    reply = export_reply(session, {"table": "sales", "format": fmt, "path": str(tmp_path / "out")})
    assert error(reply)["kind"] == "cancelled"
    assert poll.seen == 3
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_cancel_keeps_the_file_that_was_there(session: Session, tmp_path: Path, fmt: str) -> None:
    (tmp_path / "out").write_bytes(b"older export")
    session.poll = CancelAfter(2)
    reply = export_reply(session, {"table": "sales", "format": fmt, "path": str(tmp_path / "out")})
    assert error(reply)["kind"] == "cancelled"
    assert (tmp_path / "out").read_bytes() == b"older export"
    assert os.listdir(tmp_path) == ["out"]


def test_a_finished_export_replaces_the_file_that_was_there(
    session: Session, tmp_path: Path
) -> None:
    (tmp_path / "out.csv").write_bytes(b"older export")
    export(session, tmp_path / "out.csv", "csv")
    assert (tmp_path / "out.csv").read_bytes().startswith(b"region,amount\r\n")


def test_cancel_while_sqlite_sorts_before_the_first_row(session: Session, tmp_path: Path) -> None:
    # Sorting happens inside SQLite before any row comes out: poll() runs from its progress
    # handler there, and its Cancelled stops SQLite and surfaces as itself.
    session.poll = poll = CancelAfter(1)
    reply = export_reply(
        session,
        {
            "table": "sales",
            "format": "csv",
            "path": str(tmp_path / "o"),
            "sort": [{"column": "region"}],
        },
    )
    assert error(reply)["kind"] == "cancelled"
    assert poll.seen == 1
    assert os.listdir(tmp_path) == []


def test_a_failing_writer_leaves_no_file(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object) -> list[list[object]]:
        raise OSError(28, "No space left on device")

    def step(self: export_rows.Pacer, rows: int, written: int) -> None:
        if self.rows:
            broken()
        self.rows += rows

    monkeypatch.setattr(export_rows.Pacer, "step", step)
    for fmt in FORMATS:
        reply = export_reply(
            session, {"table": "sales", "format": fmt, "path": str(tmp_path / "o")}
        )
        assert error(reply)["kind"] == "internal"
        assert os.listdir(tmp_path) == []


def test_progress_and_poll_run_between_batches(session: Session, tmp_path: Path) -> None:
    polls: list[int] = []
    reports: list[tuple[int, int]] = []
    session.poll = lambda: polls.append(1)
    export(session, tmp_path / "out.csv", "csv", progress=lambda r, b: reports.append((r, b)))
    assert [r for r, _ in reports] == [2000, 4000, 6000, 8000, 10_000]
    assert [b for _, b in reports] == sorted(b for _, b in reports)
    assert len(polls) >= 5


def test_export_workspace_cancel_leaves_no_file(session: Session, tmp_path: Path) -> None:
    load(session, "more.csv", b"a\n1\n")
    session.poll = CancelAfter(2)
    reply = export_reply_workspace(session, {"path": str(tmp_path / "all.sqlite")})
    assert error(reply)["kind"] == "cancelled"
    assert os.listdir(tmp_path) == []


def test_export_workspace_bad_path(session: Session, tmp_path: Path) -> None:
    found = error(export_reply_workspace(session, {"path": None}))
    assert found["message"] == "The command 'export_workspace' needs 'path' as text, not None."


def export_reply_workspace(session: Session, args: dict[str, Any]) -> dict[str, Any]:
    from sift.session import reply_for

    return reply_for(lambda: COMMANDS["export_workspace"].run(session, args))


def test_an_sqlite_error_mid_stream_leaves_no_file(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def failing(text: str) -> str:
        calls.append(text)
        if len(calls) == 5000:
            raise ValueError("boom")
        return text

    monkeypatch.setattr(cell_sql, "neutralize", failing)
    session.workspace.conn.execute("UPDATE sales SET region = '=' || region")
    reply = export_reply(session, {"table": "sales", "format": "csv", "path": str(tmp_path / "o")})
    assert error(reply)["kind"] == "internal"
    assert "user-defined function raised exception" in error(reply)["message"]
    assert len(calls) == 5000
    assert os.listdir(tmp_path) == []
