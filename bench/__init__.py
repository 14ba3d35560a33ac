"""Benchmarks for Sift, run as programs (`python bench/startup.py`); see bench/README.md.

Only `browser.py` and `startup.py` need Playwright; `stats.py` and `pages.py` are standard library.
"""
