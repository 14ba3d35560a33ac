"""Tests for sift.session: the command facade and its JSON replies."""

from __future__ import annotations

import importlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import sift
from sift.errors import LoadError
from sift.session import (
    COMMANDS,
    FEATURE_COMMANDS,
    Session,
    command_entry,
    error_reply,
    internal_error_reply,
)
from sift.workspace import Workspace


def dumps(reply: dict[str, Any]) -> dict[str, Any]:
    """Every reply must survive strict JSON (no NaN) unchanged."""
    decoded: dict[str, Any] = json.loads(json.dumps(reply, allow_nan=False))
    assert decoded == reply
    return decoded


@pytest.fixture
def session() -> Iterator[Session]:
    with Session() as opened:
        yield opened


def test_load_returns_the_table_and_its_first_page(session: Session) -> None:
    data = b"city,pop\n" + b"".join(b"c%d,%d\n" % (i, i) for i in range(1500))
    result = session.load("cities.csv", io.BytesIO(data))
    assert result["table"] == "cities"
    assert result["name"] == "cities.csv"
    assert result["rows"] == 1500
    assert result["columns"] == ["city", "pop"]
    assert result["warnings"] == []
    assert result["message"] == "Loaded cities.csv: 1,500 rows, 2 columns"
    assert result["page"]["total_rows"] == 1500
    assert len(result["page"]["rows"]) == 100
    assert result["page"]["rows"][0] == ["c0", 0]


def test_loading_the_same_file_twice_gives_two_tables(session: Session) -> None:
    first = session.load("data.csv", b"a\n1\n")
    second = session.load("data.csv", b"a\n2\n")
    assert (first["table"], second["table"]) == ("data", "data_2")
    assert [t["name"] for t in session.tables()] == ["data", "data_2"]


def test_load_without_a_name(session: Session) -> None:
    assert session.load("  ", b"a\n1\n")["message"] == "Loaded untitled: 1 row, 1 column"


def test_handle_load_wraps_success_and_errors(session: Session) -> None:
    ok = dumps(session.handle("load", {"name": "x.csv", "stream": io.BytesIO(b"a;b\n1;2\n")}))
    assert ok["ok"] is True
    assert ok["result"]["page"]["rows"] == [[1, 2]]
    failed = dumps(session.handle_load("empty.csv", io.BytesIO(b"")))
    hint = "Choose a file that contains data: a header row and at least one row of values."
    assert failed == {
        "ok": False,
        "error": {
            "kind": "load",
            "message": "empty.csv is empty.",
            "hint": hint,
            "source": "empty.csv",
            "line": None,
            "column": None,
        },
    }


def test_handle_page_and_tables(session: Session) -> None:
    session.load("t.csv", b"n\n" + b"".join(b"%d\n" % i for i in range(10)))
    page = dumps(session.handle("page", {"table": "t", "offset": 8, "limit": 5}))
    assert page["result"]["rows"] == [[8], [9]]
    tables = dumps(session.handle("tables", {}))
    assert tables == {"ok": True, "result": [{"name": "t", "rows": 10, "columns": ["n"]}]}
    assert dumps(session.handle("tables")) == tables


def test_handle_drop(session: Session) -> None:
    session.load("t.csv", b"n\n1\n")
    assert dumps(session.handle("drop", {"table": "T"}))["result"]["table"] == "t"
    assert session.tables() == []


@pytest.mark.parametrize(
    ("command", "args", "message"),
    [
        ("nope", {}, "Sift has no command 'nope'."),
        (42, {}, "Sift has no command 42."),
        ("tables", ["x"], "The arguments of 'tables' must be a mapping of names to values."),
        ("page", {"table": "t", "ofset": 1}, "The command 'page' does not take 'ofset'."),
        ("page", {}, "The command 'page' needs 'table' as text, not None."),
        ("page", {"table": "missing"}, "There is no table named 'missing'."),
        (
            "page",
            {"table": "t", "limit": "all"},
            "The page limit must be a whole number from 0 to 1,000, not 'all'.",
        ),
        (
            "load",
            {"name": "x.csv", "stream": "a,b"},
            "The command 'load' needs 'stream' as a binary file or bytes, not 'a,b'.",
        ),
        (
            "load",
            {"name": "x.csv", "stream": b"\x89PNG\r\n\x1a\n"},
            "x.csv is not a CSV file: it looks like a PNG image.",
        ),
    ],
)
def test_handle_reports_bad_calls_as_errors(
    session: Session, command: Any, args: Any, message: str
) -> None:
    session.load("t.csv", b"n\n1\n")
    reply = dumps(session.handle(command, args))
    assert reply["ok"] is False
    assert reply["error"]["message"] == message
    assert reply["error"]["hint"]


def test_unexpected_exceptions_become_internal_errors(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:

    def broken(self: Workspace) -> list[str]:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Workspace, "table_names", broken)
    reply = dumps(session.handle("tables", {}))
    error = reply["error"]
    assert reply["ok"] is False
    assert error["kind"] == "internal"
    assert error["message"] == "Internal error: ZeroDivisionError: division by zero"
    assert error["hint"] == "This is a bug in Sift. Reload the page; your files are not affected."
    assert "Traceback" in error["details"]
    assert "broken" in error["details"]


def test_reply_helpers() -> None:
    assert error_reply(LoadError("m.", hint="h."))["error"]["kind"] == "load"
    assert (
        internal_error_reply(ValueError("v"))["error"]["message"] == "Internal error: ValueError: v"
    )


def test_registry_lists_the_commands() -> None:
    assert set(COMMANDS) | set(FEATURE_COMMANDS) == {
        "load",
        "page",
        "tables",
        "drop",
        "set_type",
        "rename",
        "view",
        "operators",
        "search_build",
        "facet",
        "profile",
        # SQL (sift.query) and Python (sift.pycode): docs/query-contract.md
        "sql",
        "save_result",
        "queries",
        "save_query",
        "delete_query",
        "column_preview",
        "add_column",
        "functions",
        "set_functions",
        # charts (sift.charts) and export (sift.export): docs/chart-contract.md, export-contract.md
        "chart",
        "chart_defaults",
        "export",
        "export_workspace",
    }


def test_each_feature_command_comes_from_the_module_the_table_names() -> None:
    by_module: dict[str, set[str]] = {}
    for command, module in FEATURE_COMMANDS.items():
        by_module.setdefault(module, set()).add(command)
    for module, commands in by_module.items():
        registry = importlib.import_module(module).COMMANDS
        assert set(registry) == commands, module
        assert all(command_entry(name) is registry[name] for name in commands)
    assert not set(COMMANDS) & set(FEATURE_COMMANDS)
    assert command_entry("no_such_command") is None


def test_starting_a_session_imports_no_feature_package_and_no_importer() -> None:
    """The engine's start imports sift.session and sift.snapshot (storage); the feature
    packages wait for their first command, the file formats for the first load."""
    script = (
        "import sys\n"
        "import sift.snapshot\n"
        "from sift.session import FEATURE_COMMANDS, Session\n"
        "deferred = {*FEATURE_COMMANDS.values(), 'sift.formats'}\n"
        "Session().handle('tables')\n"
        "print(sorted(deferred & set(sys.modules)))\n"
        "Session().handle('chart_defaults', {'table': 'none'})\n"
        "print(sorted(deferred & set(sys.modules)))\n"
        "Session().handle('load', {'name': 'a.csv', 'stream': b'a\\n1\\n'})\n"
        "print(sorted(deferred & set(sys.modules)))\n"
    )
    pysrc = Path(sift.__file__).resolve().parent.parent
    output = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(pysrc)},
    ).stdout.splitlines()
    assert output == [
        "[]",
        "['sift.charts.commands']",
        "['sift.charts.commands', 'sift.formats']",
    ]


def test_hostile_file_and_column_names_round_trip(session: Session) -> None:
    hostile = 'x"); DROP TABLE t; --'
    data = f'"{hostile.replace(chr(34), chr(34) * 2)}",<script>\n1,2\n'.encode()
    reply = dumps(session.handle_load(f"{hostile}.csv", io.BytesIO(data)))
    result = reply["result"]
    assert result["columns"] == [hostile, "<script>"]
    assert result["table"] == "x_DROP_TABLE_t"
    assert result["message"] == f"Loaded {hostile}.csv: 1 row, 2 columns"


def test_rename_makes_names_safe_and_unique(session: Session) -> None:
    session.load("a.csv", b"x\n1\n")
    session.load("b.csv", b"x\n2\n")
    result = session.rename("a", "Sales 2024 (final)")
    assert result == {
        "table": "Sales_2024_final",
        "old": "a",
        "message": "Renamed a to Sales_2024_final. Table names use letters, digits and _ only,"
        " and must be unique.",
    }
    assert session.rename("B", "sales_2024_FINAL")["table"] == "sales_2024_FINAL_2"
    assert [t["name"] for t in session.tables()] == ["Sales_2024_final", "sales_2024_FINAL_2"]
    assert session.page("Sales_2024_final")["rows"] == [[1]]


def test_rename_to_nothing_or_an_unknown_table_is_explained(session: Session) -> None:
    session.load("a.csv", b"x\n1\n")
    empty = session.handle("rename", {"table": "a", "name": "  "})
    assert empty["error"]["message"] == "Give a a new name."
    missing = session.handle("rename", {"table": "nope", "name": "x"})
    assert missing["ok"] is False


PEOPLE = b"name,city,age\nAnn,Paris,30\nBob,Lyon,\nCid,Paris,25\nDee,Oslo,30\n"


def test_view_command_sorts_filters_and_searches(session: Session) -> None:
    session.load("people.csv", PEOPLE)
    reply = dumps(
        session.handle(
            "view",
            {
                "table": "people",
                "sort": [{"column": "age", "desc": True}],
                "filters": [{"column": "city", "op": "exact", "value": "Paris"}],
                "q": "an",
                "offset": 0,
                "limit": 10,
            },
        )
    )
    result = reply["result"]
    assert result["rows"] == [["Ann", "Paris", 30]]
    assert (result["total_rows"], result["table_rows"]) == (1, 4)
    assert result["description"] == 'Rows containing “an” where city is "Paris"'
    assert result["search"] == "none"


def test_an_invalid_filter_is_an_error_reply_for_the_ui_to_show_inline(session: Session) -> None:
    session.load("people.csv", PEOPLE)
    reply = dumps(
        session.handle(
            "view",
            {"table": "people", "filters": [{"column": "age", "op": "between", "value": "1"}]},
        )
    )
    assert reply["ok"] is False
    assert reply["error"]["kind"] == "filter"
    assert reply["error"]["column"] == 0
    assert reply["error"]["message"] == (
        "Filter on age: is between needs two values separated by a comma, not '1'."
    )


def test_view_takes_only_spec_and_window_arguments(session: Session) -> None:
    session.load("people.csv", PEOPLE)
    reply = session.handle("view", {"table": "people", "order": "age"})
    assert reply["error"]["message"] == "The command 'view' does not take 'order'."
    assert "filters, limit, offset, q, sort, table" in reply["error"]["hint"]


def test_operators_command_lists_the_registry(session: Session) -> None:
    result = dumps(session.handle("operators"))["result"]
    assert [entry["name"] for entry in result][:3] == ["exact", "not", "contains"]
    assert {"name", "label", "types", "kinds", "arity"} == set(result[0])


def test_search_build_reports_progress_then_search_is_ready(session: Session) -> None:
    session.load("people.csv", PEOPLE)
    progress = dumps(session.handle("search_build", {"table": "PEOPLE"}))["result"]
    assert progress == {"table": "people", "done": True, "rows_done": 4, "rows_total": 4}
    result = session.view({"table": "people", "q": "aris"})
    assert (result["search"], result["total_rows"]) == ("ready", 2)
    missing = session.handle("search_build", {"table": "nope"})
    assert missing["error"]["message"] == "There is no table named 'nope'."


def test_facet_and_profile_commands_read_the_view(session: Session) -> None:
    session.load("people.csv", PEOPLE)
    spec = {"table": "people", "filters": [{"column": "age", "op": "gte", "value": "30"}]}
    facet = dumps(session.handle("facet", {**spec, "column": "CITY", "limit": 5}))["result"]
    assert facet["column"] == "city"
    assert facet["kind"] == "values"
    assert facet["values"] == [{"value": "Oslo", "count": 1}, {"value": "Paris", "count": 1}]
    whole = dumps(session.handle("facet", {"table": "people", "column": "city"}))["result"]
    assert whole["values"][0] == {"value": "Paris", "count": 2}
    searched = session.handle("facet", {"table": "people", "q": "lyo", "column": "city"})
    assert searched["result"]["values"] == [{"value": "Lyon", "count": 1}]
    profile = dumps(session.handle("profile", {"table": "people", "column": "age"}))["result"]
    assert (profile["column"], profile["rows"], profile["nulls"]) == ("age", 4, 1)
    bad = session.handle("facet", {**spec, "column": "city", "kind": 3})
    assert bad["error"]["message"] == "A facet's 'kind' must be text, not 3."
    wrong = session.handle(
        "facet", {"table": "people", "filters": [{"column": "x"}], "column": "city"}
    )
    assert (wrong["error"]["kind"], wrong["error"]["column"]) == ("filter", 0)


def test_a_changed_table_gets_new_counts_profiles_and_search(session: Session) -> None:
    session.load("people.csv", PEOPLE)
    spec = {"table": "people", "filters": [{"column": "age", "op": "gt", "value": "26"}]}
    assert session.view(spec)["total_rows"] == 2
    assert session.profile("people", "age")["nulls"] == 1
    session.search_build("people")
    session.set_type("people", "age", "TEXT")  # the filter no longer fits: a text column
    assert session.handle("view", spec)["error"]["kind"] == "filter"
    assert session.view({"table": "people", "q": "30"})["search"] == "none"
    assert session.profile("people", "age")["type"] == "TEXT"
    session.drop("people")
    session.load("people.csv", b"name,age\nZed,99\n")
    assert session.view(spec)["total_rows"] == 1
    assert session.profile("people", "age")["nulls"] == 0


def test_rename_keeps_views_working_and_leaves_no_stale_index(session: Session) -> None:
    session.load("people.csv", PEOPLE)
    session.view({"table": "people", "sort": [{"column": "age"}]})
    session.search_build("people")
    session.rename("people", "folks")
    result = session.view({"table": "folks", "sort": [{"column": "age"}], "q": "ar"})
    assert [row[0] for row in result["rows"]] == ["Cid", "Ann"]
    assert result["search"] == "none"
    names = {row[0] for row in session.workspace.conn.execute("SELECT name FROM sqlite_master")}
    assert names == {"folks", "sift_idx_folks_1"}


@pytest.mark.parametrize(
    ("name", "table"), [("sift_fts_x.csv", "t_sift_fts_x"), ("SIFT.csv", "SIFT")]
)
def test_files_named_like_sift_internal_tables_get_another_name(
    session: Session, name: str, table: str
) -> None:
    assert session.load(name, b"a\n1\n")["table"] == table
    assert session.rename(table, "sift_idx")["table"] == "t_sift_idx"
    assert [t["name"] for t in session.tables()] == ["t_sift_idx"]


def test_a_facet_of_the_same_view_is_answered_from_memory(session: Session) -> None:
    session.load("people.csv", PEOPLE)
    grouped: list[str] = []
    session.workspace.conn.set_trace_callback(
        lambda sql: grouped.append(sql) if "GROUP BY" in sql.upper() else None
    )
    args = {"table": "people", "column": "city", "q": "a"}
    first = session.handle("facet", args)["result"]
    queries = len(grouped)
    assert queries > 0
    first["values"].clear()  # the caller's copy: the cached one must not change
    again = session.handle("facet", args)["result"]
    assert len(grouped) == queries
    assert again["values"] == [{"value": "Paris", "count": 2}]  # Ann and Cid hold an "a"
    session.handle("facet", {**args, "limit": 1})  # another facet: computed
    assert len(grouped) > queries
    session.set_type("people", "age", "REAL")  # a new version of the table: computed again
    queries = len(grouped)
    session.handle("facet", args)
    assert len(grouped) > queries


def test_a_loaded_table_is_not_counted_again_by_its_first_view(session: Session) -> None:
    session.load("people.csv", PEOPLE)
    counted: list[str] = []
    session.workspace.conn.set_trace_callback(
        lambda sql: counted.append(sql) if "count(*)" in sql else None
    )
    result = session.view({"table": "people", "sort": [{"column": "name"}]}, 0, 2)
    assert (result["total_rows"], result["table_rows"]) == (4, 4)
    assert counted == []
