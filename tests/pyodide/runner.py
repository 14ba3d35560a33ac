"""Runs inside Pyodide (see tests/browser/test_in_pyodide.py): every `test_*` function of
the `test_in_pyodide_*` modules in this folder, with warnings as errors. Returns JSON text."""

import importlib
import json
import os
import sqlite3
import sys
import traceback
import warnings


def run(folder: str) -> str:
    warnings.simplefilter("error")
    sys.path.insert(0, folder)
    results = []
    for filename in sorted(os.listdir(folder)):
        if not (filename.startswith("test_in_pyodide_") and filename.endswith(".py")):
            continue
        module = importlib.import_module(filename[:-3])
        for name in sorted(vars(module)):
            if name.startswith("test_") and callable(getattr(module, name)):
                results.append(run_one(filename, name, getattr(module, name)))
    return json.dumps({"python": sys.version, "sqlite": sqlite3.sqlite_version, "results": results})


def run_one(filename: str, name: str, test: object) -> dict[str, str]:
    try:
        test()  # type: ignore[operator]
    except BaseException:  # report every failure, including SystemExit from a test
        return {"test": f"{filename}::{name}", "outcome": "failed", "trace": traceback.format_exc()}
    return {"test": f"{filename}::{name}", "outcome": "passed", "trace": ""}
