// Build-time only: run a Python script inside Pyodide under Node, so that
// bytecode is compiled by the same CPython (3.14, wasm) that runs it in the browser.
// usage: node pyodide_run.mjs <pyodide_dir> <host_dir> <script.py> [args...]
// <host_dir> is mounted at /host; the script sees its args in sys.argv[1:].
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, hostDir, script, ...args] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(resolve(pyodideDir), "pyodide.mjs")).href);
const py = await loadPyodide({ indexURL: resolve(pyodideDir) + "/" });
py.FS.mkdirTree("/host");
py.FS.mount(py.FS.filesystems.NODEFS, { root: resolve(hostDir) }, "/host");
py.globals.get("__import__")("sys").argv = py.toPy([script, ...args]);
try {
  py.runPython(readFileSync(script, "utf8"), { filename: script });
} catch (error) {
  console.error(String(error.message || error));
  process.exit(1);
}
