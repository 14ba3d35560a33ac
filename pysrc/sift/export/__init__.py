"""Export: the rows of a view, or the whole workspace, written to a file (issue 6).

Pure Python, like the rest of the engine outside sift/ui/: it writes to a path of the
worker's file system and never touches the browser; the engine worker turns the file into a
download. Rows stream from SQLite in batches (never the whole table in memory), with
``session.poll()`` and a progress callback between batches so Cancel works, and a file is
written under a temporary name and renamed at the end: a failed or cancelled export leaves
nothing at its path. The contract: docs/export-contract.md.
Imports: the standard library, XlsxWriter (for .xlsx only) and sift modules.
"""
