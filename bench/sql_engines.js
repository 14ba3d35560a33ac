// The reference engines of bench/sql.py: sql.js and DuckDB-WASM, one per page (bench/sql_refs.py
// loads this module into the page and calls `window.__sqlBench.start(kind, args)`, then waits for
// `window.__sqlOutcome`: {result} or {error}).
// Each engine loads the same CSV files into tables of the same names and column types, then runs
// the plan: every query once per round, each timed with performance.now() around the call that
// returns its whole result to JavaScript (sql.js: `db.exec`, all rows as arrays; DuckDB:
// `await conn.query`, an Arrow table). After a query's first run, and outside the clock, its
// answer for the cross-check is taken: the row count and the first `want` rows.
// Fetching the CSV text is outside every clock; loading it is timed apart, as context.

const quote = (name) => '"' + name.replaceAll('"', '""') + '"';

// JSON-able values: DuckDB gives BIGINT as BigInt, HUGEINT/DECIMAL as Arrow objects.
function plain(value) {
  if (typeof value === "bigint") return Number(value);
  if (value !== null && typeof value === "object") return Number(String(value));
  return value;
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`fetching ${url}: HTTP ${response.status}`);
  return response.text();
}

async function runPlan(plan, rounds, runQuery) {
  const samples = [];
  const answers = {};
  for (let round = 0; round < rounds; round++) {
    for (const { key, sql, want } of plan) {
      const started = performance.now();
      try {
        const result = await runQuery(sql);
        samples.push({ key, ms: performance.now() - started });
        if (round === 0) answers[key] = result.answer(want);
      } catch (error) {
        samples.push({ key, ms: null, error: String((error && error.message) || error) });
      }
    }
  }
  return { samples, answers };
}

// --- sql.js -------------------------------------------------------------------------------

// sql-wasm.js is a classic script that defines `initSqlJs` on the page.
async function addScript(url) {
  const script = Object.assign(document.createElement("script"), { src: url });
  const loaded = new Promise((resolve, reject) => {
    script.addEventListener("load", resolve);
    script.addEventListener("error", () => reject(new Error(`cannot load ${url}`)));
  });
  document.head.append(script);
  await loaded;
}

// Split lines and fields (the generated files have no quoted field: checked); empty cells are
// NULL and true/false are 1/0, as Sift stores them; the declared types convert the rest.
function sqljsLoad(db, table, columns, text) {
  if (text.includes('"')) throw new Error(`${table}: the CSV has quotes: cannot split it`);
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const names = lines[0].split(",");
  if (names.join() !== columns.map((c) => c.name).join())
    throw new Error(`${table}: header ${names.join()} is not the expected columns`);
  const booleans = columns.map((c) => c.sqlite === "BOOLEAN");
  const convert = (cell, i) => (cell === "" ? null : booleans[i] ? Number(cell === "true") : cell);
  db.run(`CREATE TABLE ${quote(table)} (${columns.map((c) => `${quote(c.name)} ${c.sqlite}`).join(", ")})`);
  const insert = db.prepare(
    `INSERT INTO ${quote(table)} VALUES (${columns.map(() => "?").join(", ")})`,
  );
  db.run("BEGIN");
  for (let i = 1; i < lines.length; i++) insert.run(lines[i].split(",").map(convert));
  db.run("COMMIT");
  insert.free();
}

async function sqljs({ scriptURL, wasmURL, tables, plan, rounds }) {
  await addScript(scriptURL);
  const SQL = await window.initSqlJs({ locateFile: () => wasmURL });
  const texts = await Promise.all(tables.map((t) => fetchText(t.csvURL)));
  const db = new SQL.Database();
  const loadStart = performance.now();
  tables.forEach((t, i) => sqljsLoad(db, t.name, t.columns, texts[i]));
  const loadMs = performance.now() - loadStart;
  const count = (name) => db.exec(`SELECT count(*) FROM ${quote(name)}`)[0].values[0][0];
  const rows = Object.fromEntries(tables.map((t) => [t.name, count(t.name)]));
  const version = db.exec("SELECT sqlite_version()")[0].values[0][0];
  const run = await runPlan(plan, rounds, async (sql) => {
    const [result] = db.exec(sql);
    const values = result ? result.values : [];
    return {
      answer: (want) => ({
        count: values.length,
        columns: result ? result.columns : [],
        rows: values.slice(0, want),
      }),
    };
  });
  db.close();
  return { version: `SQLite ${version}`, loadMs, rows, ...run };
}

// --- DuckDB-WASM --------------------------------------------------------------------------

async function startDuckDB(duckdb, base) {
  const files = (name) => ({
    mainModule: `${base}duckdb-${name}.wasm`,
    mainWorker: `${base}duckdb-browser-${name}.worker.js`,
  });
  const bundle = await duckdb.selectBundle({ mvp: files("mvp"), eh: files("eh") });
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), new Worker(bundle.mainWorker));
  await db.instantiate(bundle.mainModule);
  return { db, bundle: /-eh\./.test(bundle.mainModule) ? "eh" : "mvp" };
}

async function duckdbRun({ moduleURL, tables, plan, rounds }) {
  const duckdb = await import(moduleURL);
  const { db, bundle } = await startDuckDB(duckdb, new URL(".", moduleURL).href);
  const texts = await Promise.all(tables.map((t) => fetchText(t.csvURL)));
  const conn = await db.connect();
  const loadStart = performance.now();
  for (const [i, { name, columns }] of tables.entries()) {
    const file = `${name}.csv`;
    await db.registerFileText(file, texts[i]);
    const types = columns.map((c) => `'${c.name}': '${c.duckdb}'`).join(", ");
    await conn.query(
      `CREATE TABLE ${quote(name)} AS SELECT * FROM read_csv('${file}', header = true, ` +
        `columns = {${types}})`,
    );
    await db.dropFile(file);
  }
  const loadMs = performance.now() - loadStart;
  const rows = {};
  for (const { name } of tables)
    rows[name] = plain((await conn.query(`SELECT count(*) AS n FROM ${quote(name)}`)).get(0).n);
  const run = await runPlan(plan, rounds, async (sql) => {
    const table = await conn.query(sql);
    return {
      answer: (want) => {
        const columns = table.schema.fields.map((f) => f.name);
        const vectors = columns.map((_, i) => table.getChildAt(i));
        const shown = Math.min(want, table.numRows);
        const values = Array.from({ length: shown }, (_, r) => vectors.map((v) => plain(v.get(r))));
        return { count: table.numRows, columns, rows: values };
      },
    };
  });
  const version = await db.getVersion();
  await conn.close();
  await db.terminate();
  return { version: `DuckDB ${version} (${bundle} bundle)`, loadMs, rows, ...run };
}

const runners = { sqljs, duckdb: duckdbRun };
// Not awaited by Python (see sql_refs.START_JS): it polls for the outcome, with a time limit.
window.__sqlBench = {
  async start(kind, args) {
    window.__sqlOutcome = undefined;
    try {
      window.__sqlOutcome = { result: await runners[kind](args) };
    } catch (error) {
      window.__sqlOutcome = { error: String(error?.stack ?? error) };
    }
  },
};
