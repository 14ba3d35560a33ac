"""The chart commands of the engine (docs/chart-contract.md): ``chart`` and ``chart_defaults``.

``chart`` reads a view (table, filters, q; a sort changes nothing in a chart and is ignored),
aggregates it in SQL under the session's deadline, and answers with the SVG tree, the SVG
file's text, the words and the 'show data' table.
Imports: the standard library and sift modules.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sift.charts.aggregate import aggregate
from sift.charts.data import ChartData, Source, resolve
from sift.charts.defaults import few_values, pick
from sift.charts.describe import describe, measure, title
from sift.charts.palette import THEMES
from sift.charts.render import HEIGHT, WIDTH, render, standalone
from sift.charts.spec import ChartSpec
from sift.command import Command
from sift.deadline import within
from sift.errors import SiftError
from sift.number_format import count_text
from sift.profile import Counts
from sift.view import CompiledView, ViewSpec
from sift.workspace import to_jsonable

if TYPE_CHECKING:
    from sift.session import Session

CHART_VIEW_KEYS = frozenset({"table", "sort", "filters", "q"})
DATA_ROWS = 1000  # rows of the 'show data' table at most


def _view(session: Session, args: Mapping[str, Any]) -> tuple[CompiledView, Source]:
    spec = ViewSpec.parse({key: args[key] for key in ("table", "filters", "q") if key in args})
    view = session.views.compile(session.workspace, spec)
    rows = session.views.count(session.workspace, view)
    conn = session.workspace.conn

    def counts(column: str) -> Counts | None:
        return session.profiles.counts(view.table, column, view.version)

    def profile(column: str) -> dict[str, Any] | None:
        return session.profiles.get(view.table, column, view.version)

    source = Source(conn, view.table, view.where, view.params, rows, view.rowid, counts, profile)
    return view, source


def chart(session: Session, args: Mapping[str, Any]) -> dict[str, Any]:
    """The ``chart`` command."""
    theme = args.get("theme") or "light"
    if theme not in THEMES:
        raise SiftError(f"A chart's theme is light or dark, not {theme!r}.", hint="Leave it out.")
    spec = ChartSpec.parse(args.get("chart"))
    view, source = _view(session, args)
    with within(source.conn, session.views.seconds, what="The chart"):
        named, columns = resolve(source, spec)
        data = aggregate(source, named, columns)
    data.note = " ".join(part for part in (data.note, _left_out(data)) if part)
    words, heading = describe(data), title(data)
    tree = render(data, heading, words, _ident(view, named))
    reply = {
        "svg": tree,
        "width": WIDTH,
        "height": HEIGHT,
        "title": heading,
        "desc": words,
        "data": show_data(data),
        "note": data.note,
        "spec": named.to_dict(),
        "table": view.table,
        "rows": source.rows,
    }
    if args.get("file"):  # only for a download: the UI's MicroPython heap is about 1 MB
        reply["svg_text"] = standalone(tree, theme)
    return reply


def _ident(view: CompiledView, spec: ChartSpec) -> str:
    """Ids for the chart's title and desc: the same chart of the same view gets the same."""
    what = [view.table.lower(), view.where, view.params, spec.to_dict()]
    text = json.dumps(what, sort_keys=True, default=str)
    return "chart-" + hashlib.sha1(text.encode()).hexdigest()[:10]


def _left_out(data: ChartData) -> str:
    """'2 rows have no usable day and are left out.' ('' when every row is drawn)."""
    if not data.left_out:
        return ""
    spec, one = data.spec, data.left_out == 1
    if spec.type == "scatter":
        lack = f"{'lacks' if one else 'lack'} a number in {spec.x} or {spec.y}"
    else:
        lack = f"{'has' if one else 'have'} no usable {spec.x}"
    return f"{count_text(data.left_out, 'row')} {lack} and {'is' if one else 'are'} left out."


def show_data(data: ChartData) -> dict[str, Any]:
    """The aggregated points as a table, at most DATA_ROWS rows ('truncated' says if cut)."""
    spec = data.spec
    colour = [str(spec.color)] if spec.color else []
    if spec.type == "histogram":
        columns = [f"{spec.x} from", f"{spec.x} to", *colour, "rows"]
    elif spec.type == "scatter":
        columns = [spec.x, str(spec.y), *colour]
    else:
        columns = [spec.x, *colour, measure(spec)]
    rows: list[list[Any]] = []
    total = 0
    points = sorted(
        ((p, s) for s in data.series for p in s.points),
        key=lambda item: item[0].x if spec.type != "scatter" else 0,
    )
    for point, series in points:
        total += 1
        if len(rows) >= DATA_ROWS:
            continue
        x = list(point.x_raw) if spec.type == "histogram" else [point.x_raw]
        label = [series.label] if spec.color else []
        value = to_jsonable(point.y)
        rows.append([*x, value, *label] if spec.type == "scatter" else [*x, *label, value])
    return {"columns": columns, "rows": rows, "truncated": total > DATA_ROWS}


def chart_defaults(session: Session, args: Mapping[str, Any]) -> dict[str, Any]:
    """The ``chart_defaults`` command: {spec, reason}."""
    view, source = _view(session, args)
    with within(source.conn, session.views.seconds, what="Choosing a chart"):
        spec, reason = pick(source, view.columns, _distinct(session, view, source))
    return {"spec": spec, "reason": reason, "table": view.table}


def _distinct(session: Session, view: CompiledView, source: Source) -> Any:
    """Distinct counts from the cached profiles when the view is the whole table."""
    if view.where != "1":
        return None

    def count(column: str) -> int:
        known = session.profiles.get(view.table, column, view.version)
        return int(known["distinct"]) if known else few_values(source, column)

    return count


COMMANDS: Mapping[str, Command] = MappingProxyType(
    {
        "chart": Command(chart, CHART_VIEW_KEYS | {"chart", "theme", "file"}),
        "chart_defaults": Command(chart_defaults, CHART_VIEW_KEYS),
    }
)
