"""Entry point of the engine worker (PyScript `type="py" worker name="engine"`).

The engine archive (Sift and its wheels, precompiled) is imported in place with zipimport,
like the standard library: nothing is extracted at start-up.
"""

import sys

sys.path.insert(0, "/home/pyodide/engine.zip")

# PyScript hands the names in __export__ to the main thread; ruff cannot see that use.
from sift.ui.engine_host import handle  # noqa: F401

__export__ = ["handle"]
