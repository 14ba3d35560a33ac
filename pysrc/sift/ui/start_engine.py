"""Entry point of the engine worker (PyScript `type="py" worker name="engine"`)."""

from sift.ui.engine_host import handle

__export__ = ["handle"]
