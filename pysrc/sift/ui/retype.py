"""The "Column types" panel under the grid (MicroPython): shows each column's type and lets
the user change it; the engine converts the values (what does not convert becomes NULL)."""

from sift.ui.dom import by_id, clear, element

# The engine's names (sift.column_types) and the words people read.
TYPES = (
    ("INTEGER", "Whole number"),
    ("REAL", "Decimal number"),
    ("BOOLEAN", "True / false"),
    ("DATE", "Date"),
    ("DATETIME", "Date and time"),
    ("TEXT", "Text"),
)


def render(table, columns, types):
    """One labelled <select> per column; the app listens for their change events."""
    panel = by_id("types-panel")
    body = by_id("types-list")
    clear(body)
    for index, name in enumerate(columns):
        current = (types[index] if index < len(types) else "") or "TEXT"
        body.append(row(table, index, name, current))
    panel.hidden = not columns


def row(table, index, name, current):
    field_id = "type-" + str(index)
    wrapper = element("div", cls="type-row")
    wrapper.append(element("label", name, attrs={"for": field_id}))
    select = element(
        "select",
        attrs={
            "id": field_id,
            "data-table": table,
            "data-column": name,
            "data-current": current,
        },
    )
    for value, label in TYPES:
        option = element("option", label, attrs={"value": value})
        if value == current:
            option.setAttribute("selected", "")
        select.append(option)
    wrapper.append(select)
    return wrapper


def hide():
    by_id("types-panel").hidden = True
