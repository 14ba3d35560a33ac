"""Benchmarks for Sift, run as programs (`python bench/startup.py`); see bench/README.md.

Only `browser.py`, `import_browser.py` and the programs (`startup.py`, `import.py`) need
Playwright; the other modules are standard library.
"""
