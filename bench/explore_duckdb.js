// The DuckDB-WASM side of bench/explore.py, loaded by explore_duckdb.html. Python calls
// `window.__duckBench.start({csvURL, plan})` and waits for `window.__duckOutcome`: {result} or
// {error}. It loads the CSV into a table `t` (DuckDB's read_csv, types detected), then runs the
// plan: each step's SQL statements, timed together with performance.now() around
// `await conn.query(...)`, then the profiles of every column. Fetching the CSV is outside every
// clock; the load (registering the bytes and CREATE TABLE) is timed apart, as context.
import * as duckdb from "./vendor/duckdb/duckdb-browser.mjs";

const HISTOGRAM_BINS = 20;
const TOP_VALUES = 10;
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|FLOAT|DOUBLE|DECIMAL)/;

const quote = (name) => '"' + name.replaceAll('"', '""') + '"';
const plain = (value) => (typeof value === "bigint" ? Number(value) : value);

function firstRow(table) {
  const row = table.get(0);
  return row ? Object.fromEntries(Object.entries(row.toJSON()).map(([k, v]) => [k, plain(v)])) : {};
}

async function start() {
  const base = new URL("./vendor/duckdb/", location.href).href;
  const bundles = {
    mvp: { mainModule: base + "duckdb-mvp.wasm", mainWorker: base + "duckdb-browser-mvp.worker.js" },
    eh: { mainModule: base + "duckdb-eh.wasm", mainWorker: base + "duckdb-browser-eh.worker.js" },
  };
  const bundle = await duckdb.selectBundle(bundles);
  const worker = new Worker(bundle.mainWorker);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(bundle.mainModule);
  const name = bundle.mainModule.includes("-eh.") ? "eh" : "mvp";
  return { db, bundle: name, version: await db.getVersion() };
}

// A profile like Sift's: counts, distinct, min/max, and for numbers mean, median, stddev and a
// histogram; the most common values for every column.
async function profile(conn, column, type) {
  const c = quote(column);
  const numeric = NUMERIC.test(type);
  const extra = numeric ? `, avg(${c}) AS mean, median(${c}) AS median, stddev_samp(${c}) AS sd` : "";
  const stats = firstRow(
    await conn.query(
      `SELECT count(*) AS rows, count(${c}) AS filled, count(DISTINCT ${c}) AS distinct_values,` +
        ` min(${c}) AS low, max(${c}) AS high${extra} FROM t`,
    ),
  );
  await conn.query(
    `SELECT ${c} AS value, count(*) AS n FROM t WHERE ${c} IS NOT NULL` +
      ` GROUP BY ${c} ORDER BY n DESC LIMIT ${TOP_VALUES}`,
  );
  if (numeric && stats.low !== null && stats.high > stats.low) {
    const width = (stats.high - stats.low) / HISTOGRAM_BINS;
    await conn.query(
      `SELECT least(floor((${c} - ${stats.low}) / ${width}), ${HISTOGRAM_BINS - 1}) AS bin,` +
        ` count(*) AS n FROM t WHERE ${c} IS NOT NULL GROUP BY bin`,
    );
  }
  return stats;
}

async function run({ csvURL, plan }) {
  const { db, bundle, version } = await start();
  const response = await fetch(csvURL);
  if (!response.ok) throw new Error(`fetching the CSV: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  const conn = await db.connect();
  const loadStart = performance.now();
  await db.registerFileBuffer("data.csv", bytes);
  await conn.query("CREATE TABLE t AS SELECT * FROM read_csv('data.csv', header = true)");
  const loadMs = performance.now() - loadStart;
  await db.dropFile("data.csv");
  const rows = plain(firstRow(await conn.query("SELECT count(*) AS n FROM t")).n);
  const described = (await conn.query("DESCRIBE t")).toArray().map((r) => r.toJSON());
  const columns = described.map((r) => ({ name: r.column_name, type: r.column_type }));

  const samples = [];
  for (const step of plan) {
    const started = performance.now();
    for (const sql of step.sql) await conn.query(sql);
    samples.push({ measure: step.measure, ms: performance.now() - started });
  }
  const started = performance.now();
  for (const { name, type } of columns) await profile(conn, name, type);
  samples.push({ measure: "profiles", ms: performance.now() - started });
  // The filter's row count, to check against Sift's grid: both sides asked the same.
  const filter = plan.find((step) => step.measure === "filter");
  const counted = filter ? plain(Object.values(firstRow(await conn.query(filter.sql[0])))[0]) : null;
  await conn.close();
  await db.terminate();
  return { bundle, version, loadMs, rows, columns, samples, filterCount: counted };
}

window.__duckBench = {
  start(args) {
    window.__duckOutcome = undefined;
    run(args).then(
      (result) => (window.__duckOutcome = { result }),
      (error) => (window.__duckOutcome = { error: String((error && error.stack) || error) }),
    );
  },
};
document.documentElement.dataset.duckState = "ready";
