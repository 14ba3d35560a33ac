// The embed's engine (a module worker of embed-engine.js): Sift's engine on Pyodide, without
// PyScript. PyScript's worker opens IndexedDB before anything else, and a third-party frame
// may have no storage at all (a browser blocking third-party data), so it would never start.
// Messages: {id, command, args} in (args as JSON text, as handle() takes it); {id, reply} out,
// or {id, error} when Pyodide or Python failed (embed-shared.mjs words the widget's reply).
import { loadPyodide } from "./runtime/pyodide/pyodide.mjs";

const ARCHIVE = "/home/pyodide/engine.zip";

async function start() {
  // The archive downloads while Pyodide starts (a failure is reported once Pyodide is up).
  const archive = fetch(new URL("./app/engine.zip", import.meta.url)).then(async (response) => {
    if (!response.ok) throw new Error("app/engine.zip could not be downloaded (HTTP " + response.status + ")");
    return new Uint8Array(await response.arrayBuffer());
  });
  archive.catch(() => {});
  const pyodide = await loadPyodide({ indexURL: new URL("./runtime/pyodide/", import.meta.url).href });
  pyodide.FS.writeFile(ARCHIVE, await archive);
  pyodide.runPython(
    `import sys\nsys.path.insert(0, "${ARCHIVE}")\nfrom sift.ui import engine_host\nengine_host.serve_embeds()`,
  );
  return pyodide.pyimport("sift.ui.engine_host").handle;
}

const handle = start();
addEventListener("message", async ({ data }) => {
  try {
    postMessage({ id: data.id, reply: await (await handle)(data.command, data.args) });
  } catch (error) {
    postMessage({ id: data.id, error: String((error && error.message) || error) });
  }
});
