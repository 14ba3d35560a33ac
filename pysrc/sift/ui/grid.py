"""The minimal data grid (MicroPython): the first page of a table as an ARIA grid.

A later issue replaces it with a virtual grid; the UI contract (role=grid, aria-rowcount,
aria-colcount, columnheader cells) stays.
"""

from sift.ui.dom import element


def render(page, label):
    """A <table role=grid> for a page {columns, rows, total_rows, offset}."""
    columns = page["columns"]
    total = page["total_rows"]
    table = element(
        "table",
        cls="grid",
        attrs={
            "role": "grid",
            "aria-label": label,
            "aria-rowcount": total + 1,
            "aria-colcount": len(columns),
        },
    )
    table.append(header_row(columns))
    body = element("tbody")
    offset = page.get("offset", 0)
    for index, row in enumerate(page["rows"]):
        body.append(data_row(row, offset + index + 2))
    table.append(body)
    shown = len(page["rows"])
    if shown < total:
        table.append(element("caption", "Showing the first " + str(shown) + " rows."))
    return table


def header_row(columns):
    head = element("thead")
    row = element("tr", attrs={"role": "row", "aria-rowindex": 1})
    for index, name in enumerate(columns):
        row.append(
            element(
                "th",
                name,
                attrs={
                    "role": "columnheader",
                    "scope": "col",
                    "aria-colindex": index + 1,
                },
            )
        )
    head.append(row)
    return head


def data_row(values, row_index):
    row = element("tr", attrs={"role": "row", "aria-rowindex": row_index})
    for index, value in enumerate(values):
        attrs = {"role": "gridcell", "aria-colindex": index + 1}
        if value is None:
            cell = element("td", "NULL", cls="null", attrs=attrs)
        elif value is True or value is False:
            cell = element("td", "true" if value else "false", attrs=attrs)
        else:
            cell = element("td", str(value), attrs=attrs)
        row.append(cell)
    return row
