"""bench/embed.py's pure parts: host pages, CSV (embed_pages) and the report (embed_stats)."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from bench import embed_pages, embed_stats
from bench.embed_pages import CASES, ONE, THREE, Case
from bench.embed_stats import Load
from bench.stats import EN_DASH

EMBED_JS = "http://127.0.0.1:8123/embed.js"


class ScriptTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts.append(dict(attrs))


def scripts_of(case: Case) -> list[dict[str, str | None]]:
    parser = ScriptTags()
    parser.feed(embed_pages.host_page(EMBED_JS, case))
    return parser.scripts


def test_host_page_has_one_embed_script_per_widget_with_its_attributes() -> None:
    one, three = scripts_of(ONE), scripts_of(THREE)
    assert [s["src"] for s in one] == [EMBED_JS]
    assert len(three) == 3
    assert all(s["src"] == EMBED_JS for s in three)
    assert three[1]["data-sift-view"] == "chart"
    assert three[1]["data-sift-chart"] == "bar;x:region;y:amount;agg:sum"
    assert three[2]["data-sift-filter"] == "amount__gt=500"
    assert {s["data-sift-src"] for s in one + three} == {embed_pages.DATA_FILE}


def test_attribute_values_are_escaped() -> None:
    tag = embed_pages.script_tag('x"y', (("src", 'a"b&c<d'),))
    parser = ScriptTags()
    parser.feed(tag)
    assert parser.scripts == [{"src": 'x"y', "data-sift-src": 'a"b&c<d'}]
    assert 'a"b' not in tag  # no raw quote ends an attribute early


def test_widgets_name_only_columns_the_csv_has() -> None:
    columns = set(embed_pages.COLUMNS)
    assert {"region", "amount", "day"} <= columns
    assert len(columns) == 5


def test_data_csv_is_seeded_and_has_the_rows_asked_for() -> None:
    text = embed_pages.data_csv(200, seed=3)
    assert text == embed_pages.data_csv(200, seed=3)
    assert text != embed_pages.data_csv(200, seed=4)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(embed_pages.COLUMNS)
    assert len(rows) == 201
    assert all(len(row) == 5 for row in rows)
    assert all(0 <= float(row[2]) < 1000 and row[1] in embed_pages.REGIONS for row in rows[1:])
    assert sum(float(row[2]) > 500 for row in rows[1:]) > 0  # the filtered widget shows rows


def test_schedule_alternates_and_rotates() -> None:
    order = [(round_, case.name) for round_, case in embed_pages.schedule(3)]
    assert order == [
        (1, "1 widget"),
        (1, "3 widgets"),
        (2, "3 widgets"),
        (2, "1 widget"),
        (3, "1 widget"),
        (3, "3 widgets"),
    ]


def load(case: str, ms: float | None, **changes: object) -> Load:
    fields: dict[str, object] = {
        "round": 1,
        "case": case,
        "ms": ms,
        "widget_ms": (ms,),
        "pyodide_loads": 1,
        "micropython_loads": 1,
        "engine_memory": 30 * embed_stats.MIB,
        "chromium_pss": 400 * embed_stats.MIB,
        "error": None if ms is not None else "timed out after 120 s",
    }
    fields.update(changes)
    return Load(**fields)  # type: ignore[arg-type]


def test_ratio_of_three_widgets_to_one_against_the_target() -> None:
    loads = [load("1 widget", 1000), load("1 widget", 1200), load("3 widgets", 1150)]
    one, three = embed_stats.report_rows(loads)
    assert one.reference is None
    assert three.reference == one.summary
    assert three.ratio is not None
    assert abs(three.ratio - 1150 / 1100) < 1e-9
    assert three.verdict == "PASS"
    _, slow = embed_stats.report_rows([load("1 widget", 1000), load("3 widgets", 1201)])
    assert slow.verdict == "MISS"


def test_failed_loads_are_counted_not_dropped() -> None:
    loads = [load("1 widget", 1000), load("3 widgets", None), load("3 widgets", 1100)]
    _, three = embed_stats.report_rows(loads)
    assert (three.summary.count, three.summary.failures) == (1, 1)
    assert embed_stats.failures_text(loads) == ["  round 1 3 widgets: timed out after 120 s"]
    assert "failed" in embed_stats.progress_line(loads[1])


def test_memory_lines_give_median_and_range_in_mib_per_case() -> None:
    loads = [
        load("1 widget", 1000, engine_memory=20 * embed_stats.MIB),
        load("1 widget", 1000, engine_memory=40 * embed_stats.MIB),
        load("3 widgets", 1000, chromium_pss=None),
    ]
    one, three = embed_stats.memory_lines(loads)
    assert f"engine wasm memory 30.0 MiB (20.0{EN_DASH}40.0)" in one
    assert f"Chromium PSS 400.0 MiB (400.0{EN_DASH}400.0)" in one
    assert three.endswith("Chromium PSS n/a")


def test_pyodide_loads_other_than_one_are_flagged() -> None:
    loads = [load("1 widget", 1000), load("3 widgets", 1000, pyodide_loads=3)]
    lines = embed_stats.load_count_lines(loads)
    assert "pyodide.asm.wasm requests: 1 in every load" in lines[0]
    assert "3 in every load" in lines[1]
    assert embed_stats.unexpected_pyodide_loads(loads) == [loads[1]]
    mixed = embed_stats.load_count_lines([load("1 widget", 9, pyodide_loads=n) for n in (1, 2)])
    assert "1/2 (differs between loads)" in mixed[0]


def test_every_case_has_a_line() -> None:
    assert len(embed_stats.memory_lines([])) == len(CASES)
    assert "no load" in embed_stats.load_count_lines([])[0]


def test_process_tree_and_pss_parsing() -> None:
    parents = {10: 1, 11: 10, 12: 11, 13: 1, 14: 12}
    assert embed_stats.descendants(parents, 10) == {11, 12, 14}
    assert embed_stats.descendants(parents, 99) == set()
    rollup = "55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:  2048 kB\nPss:  1536 kB\n"
    assert embed_stats.pss_bytes(rollup) == 1536 * 1024
    assert embed_stats.pss_bytes("Rss: 2048 kB\n") is None
    assert embed_stats.parent_pid("42 (a) b (c)) S 7 42 42 0") == 7
    assert embed_stats.parent_pid("garbage") is None


def cpu(**ms: float) -> dict[str, float]:
    names = {
        "main": embed_stats.RENDERER_MAIN,
        "workers": embed_stats.WORKERS,
        "pools": embed_stats.RENDERER_POOLS,
        "browser": embed_stats.BROWSER,
        "other": embed_stats.OTHER,
    }
    return {names[key]: value for key, value in ms.items()}


def test_cpu_lines_give_each_kind_per_case_and_what_each_widget_past_the_first_adds() -> None:
    loads = [
        load("1 widget", 1000, cpu_ms=cpu(main=400, workers=1600, pools=2000)),
        load("1 widget", 1000, cpu_ms=cpu(main=600, workers=1600, pools=2200)),
        load("3 widgets", 1200, cpu_ms=cpu(main=1500, workers=1700, pools=2700)),
        load("3 widgets", None, cpu_ms=cpu(main=9999)),  # failed: not counted
    ]
    lines = embed_stats.cpu_lines(loads)
    assert lines[0] == "CPU ms from navigation to rendered (median of 2 and 1 loads):"
    rows = {line[:26].strip(): line[26:].split() for line in lines[2:]}
    assert rows["renderer main threads"] == ["500", "1500", "+500"]
    assert rows["workers"] == ["1600", "1700", "+50"]
    assert rows["renderer thread pools"] == ["2100", "2700", "+300"]
    assert rows["browser process"] == ["0", "0", "+0"]
    assert rows["all"] == ["4200", "5900", "+850"]


def test_no_cpu_lines_without_figures_for_both_cases() -> None:
    assert embed_stats.cpu_lines([load("1 widget", 1000), load("3 widgets", 1000)]) == []
    assert embed_stats.cpu_lines([load("1 widget", 1000, cpu_ms=cpu(main=1))]) == []


def test_threads_are_sorted_into_kinds() -> None:
    kind = embed_stats.thread_kind
    assert kind("", True, "chromium") == embed_stats.BROWSER
    assert kind("", False, "ThreadPoolForeg") == embed_stats.BROWSER
    assert kind("renderer", True, "chromium") == embed_stats.RENDERER_MAIN
    assert kind("renderer", False, "DedicatedWorker") == embed_stats.WORKERS
    assert kind("renderer", False, "ThreadPoolForeg") == embed_stats.RENDERER_POOLS
    assert kind("renderer", False, "Compositor") == embed_stats.OTHER
    assert kind("gpu-process", True, "chromium") == embed_stats.OTHER
    assert kind("utility", False, "ThreadPoolForeg") == embed_stats.OTHER


def test_process_type_and_thread_cpu_parsing() -> None:
    assert embed_stats.process_type(
        b"/usr/lib/chromium/chromium\0--type=renderer\0--lang=en\0"
    ) == ("renderer")
    assert embed_stats.process_type(b"/usr/lib/chromium/chromium\0--headless\0") == ""
    rewritten = b"/usr/lib/chromium/chromium --type=gpu-process --no-sandbox\0\0\0"
    assert embed_stats.process_type(rewritten) == "gpu-process"
    stat = "77 (Thread (x) y) S 1 2 3 4 5 6 7 8 9 10 120 35 0 0 20 0 9"
    assert embed_stats.thread_cpu_ticks(stat) == ("Thread (x) y", 155)
    assert embed_stats.thread_cpu_ticks("77 (short) S 1 2") is None
