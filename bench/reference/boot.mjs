// The benchmark's reference (bench/startup.py): bare Pyodide from the unmodified npm package
// (its stdlib zip has no .pyc), loaded and asked to evaluate one expression.
// Sets data-ref-state to "ready" or "failed", the signal the benchmark waits for.
import { loadPyodide } from "./pyodide/pyodide.mjs";

const root = document.documentElement;
try {
  const pyodide = await loadPyodide({ indexURL: new URL("./pyodide/", location.href).href });
  pyodide.runPython("1 + 1");
  root.dataset.refState = "ready";
} catch (error) {
  root.dataset.refError = String((error && error.message) || error);
  root.dataset.refState = "failed";
}
