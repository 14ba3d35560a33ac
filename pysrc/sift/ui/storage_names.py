"""Names shared by the engine's storage (storage_host) and the UI that lists stored tables
before the engine is ready (tables). Constants only, so MicroPython can import it."""

FOLDER = "sift-workspace"
INDEX_FILE = "index.json"
CHANNEL = "sift-workspace"  # BroadcastChannel: "the stored tables changed" between tabs
