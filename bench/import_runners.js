// Installed by bench/import_browser.py (Playwright's addInitScript) on the blank pages where the
// import benchmark runs its in-browser baselines. `window.__siftBench.start(kind, args)` starts
// one; its outcome lands in `window.__benchOutcome` as {result} or {error}, so Python can wait
// for it with a time limit (page.evaluate alone would wait forever on a stuck import).
// Each result gives the timed seconds, the rows in the table afterwards, and the peak wasm memory
// in bytes (wasm memory only grows, so its size after the import is its peak); `outsideBytes`,
// if given, is what the importer holds outside wasm memory (shown in a note).
(() => {
  const quote = (name) => '"' + name.replaceAll('"', '""') + '"';

  // Naive Pyodide baseline: bench/naive_import.py, run by a bare Pyodide from Sift's dist/.
  // Fetching the CSV and writing it into Pyodide's file system are outside the clock.
  async function naive({ indexURL, csvURL, source }) {
    const { loadPyodide } = await import(indexURL + "pyodide.mjs");
    const pyodide = await loadPyodide({ indexURL });
    const response = await fetch(csvURL);
    if (!response.ok) throw new Error(`fetching the CSV: HTTP ${response.status}`);
    pyodide.FS.writeFile("/tmp/bench.csv", new Uint8Array(await response.arrayBuffer()));
    pyodide.runPython(source);
    const result = JSON.parse(pyodide.runPython('run("/tmp/bench.csv")'));
    return { ...result, peakBytes: pyodide._module.HEAP8.length };
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = () => reject(new Error(`cannot load ${src}`));
      document.head.append(script);
    });
  }

  // sql.js exports no handle on its memory: instantiate its wasm ourselves to keep one.
  async function startSqlJs(scriptURL, wasmURL) {
    await loadScript(scriptURL);
    let memory = null;
    const SQL = await window.initSqlJs({
      instantiateWasm(imports, done) {
        WebAssembly.instantiateStreaming(fetch(wasmURL), imports).then(({ instance }) => {
          memory = Object.values(instance.exports).find((e) => e instanceof WebAssembly.Memory);
          done(instance);
        });
        return {}; // Emscripten's "instantiating asynchronously" answer
      },
    });
    return { SQL, memoryBytes: () => (memory ? memory.buffer.byteLength : null) };
  }

  // sql.js: split lines and fields (the generated file has no quoted field: checked), then a
  // prepared INSERT in one transaction. Fetching the text is outside the clock.
  async function sqljs({ scriptURL, wasmURL, csvURL }) {
    const { SQL, memoryBytes } = await startSqlJs(scriptURL, wasmURL);
    const response = await fetch(csvURL);
    if (!response.ok) throw new Error(`fetching the CSV: HTTP ${response.status}`);
    const text = await response.text();
    if (text.includes('"')) throw new Error("the CSV has quotes: this importer cannot split it");
    const start = performance.now();
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    const header = lines[0].split(",");
    const db = new SQL.Database();
    db.run(`CREATE TABLE t (${header.map(quote).join(", ")})`);
    const insert = db.prepare(`INSERT INTO t VALUES (${header.map(() => "?").join(", ")})`);
    db.run("BEGIN");
    for (let i = 1; i < lines.length; i++) insert.run(lines[i].split(","));
    db.run("COMMIT");
    insert.free();
    const seconds = (performance.now() - start) / 1000;
    const value = (sql) => db.exec(sql)[0].values[0][0];
    const rows = value("SELECT count(*) FROM t");
    // sql.js keeps the database file in its in-memory file system: JS memory, not wasm memory.
    const fileBytes = value("PRAGMA page_count") * value("PRAGMA page_size");
    db.close();
    return { seconds, rows, peakBytes: memoryBytes(), outsideBytes: fileBytes };
  }

  const runners = { naive, sqljs };
  window.__siftBench = {
    start(kind, args) {
      window.__benchOutcome = undefined;
      runners[kind](args).then(
        (result) => (window.__benchOutcome = { result }),
        (error) => (window.__benchOutcome = { error: String((error && error.stack) || error) }),
      );
    },
  };
})();
