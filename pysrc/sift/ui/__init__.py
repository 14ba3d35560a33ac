"""The browser edge of Sift: the only package that may import pyscript, js or pyodide.

Two runtimes use it. The main thread runs the UI under MicroPython (app, dom, grid, alerts,
start_ui): keep those modules MicroPython-compatible (no typing, no dataclasses). The engine
worker runs under Pyodide (engine_host, start_engine) and hands everything else to sift.session.
"""

# Modules that run in the main thread under MicroPython; build.py ships them as source
# (with the pure modules they import) in the UI archive. The rest go to the engine archive.
MICROPYTHON_MODULES = (
    "app",
    "dom",
    "alerts",
    "grid",
    "progress",
    "tables",
    "retype",
    "start_ui",
    "view",
    "row_detail",
    "header_menu",
    "panels",
    "view_bar",
    "facets",
    "profiles",
    "search_index",
    "sparkline",
    "query_panel",
    "sql_editor",
    "query_history",
    "python_panel",
    "column_dialog",
    "chart_panel",
    "chart_svg",
    "export_menu",
    "embed_app",
    "embed_button",
    "widgets",
)
MICROPYTHON_SHARED = (
    "sift/__init__.py",
    "sift/fragment.py",
    "sift/view_state.py",
    "sift/cell_text.py",
    "sift/number_format.py",
    "sift/operator_menu.py",
    "sift/sql_tokens.py",
    "sift/chart_spec.py",
    "sift/embed_attributes.py",
    "sift/ui/storage_names.py",
)
