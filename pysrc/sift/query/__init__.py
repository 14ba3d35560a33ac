"""User SQL: running it under a deadline and authorizers, its results, errors and history.

Pure Python (standard library and sift modules), tested under CPython; see
docs/query-contract.md. One concept per module:
``commands`` (the registry entries), ``run`` (statements in one transaction under one
deadline), ``statements`` and ``lexer`` (cutting text into statements), ``params`` (``:name``
values), ``authorize`` (what user SQL may do), ``failures`` and ``locate`` (errors with their
place), ``results`` (``sift_result_<n>`` tables), ``history`` and ``state`` (per session),
``hardening`` (limits on every workspace connection).
"""
