"""Entry point of the engine worker (PyScript `type="py" worker name="engine"`)."""

# PyScript hands the names in __export__ to the main thread; ruff cannot see that use.
from sift.ui.engine_host import handle  # noqa: F401

__export__ = ["handle"]
