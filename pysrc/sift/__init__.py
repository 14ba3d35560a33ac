"""Sift: a data workbench whose engine runs in Python, in the browser or under plain CPython.

Layering rule: every module under ``sift/`` is pure Python (the standard library plus bundled
wheels) and imports under CPython 3.11, except ``sift/ui/``, the only package that may import
``pyscript``, ``js`` or ``pyodide``. Callers drive the engine through ``sift.session.Session``.
"""

__version__ = "0.1.0"
