// Installed by bench/sql_sift.py (Playwright's addInitScript) on Sift's page. It calls the engine
// worker's `handle(command, argsJSON)` the way the UI does (sift.ui.app `call`: PyScript's named
// worker "engine", whose exports the <script> element's `xworker.sync` carries), one call at a
// time, and times it with performance.now() in the page: the JSON both ways and the worker's
// message round trip are part of each time, as they are for the UI.
// `window.__siftSql.start(command, args)`; the outcome lands in `window.__siftSqlOutcome` as
// {ms, reply, at} or {error}, so Python can wait for it with a time limit. `cancelAfter(ms)`
// sends the UI's "cancel" call that long after, and notes when (`__siftCancelSentAt`).
(() => {
  window.__siftSql = {
    start(command, args) {
      window.__siftSqlOutcome = undefined;
      const script = document.querySelector('script[type="py"][name="engine"]');
      const engine = script && script.xworker;
      if (!engine) {
        window.__siftSqlOutcome = { error: "no engine worker (script[name=engine].xworker)" };
        return;
      }
      const text = JSON.stringify(args);
      const started = performance.now();
      engine.sync.handle(command, text).then(
        (raw) => {
          const at = performance.now();
          window.__siftSqlOutcome = { ms: at - started, reply: JSON.parse(raw), at };
        },
        (error) => (window.__siftSqlOutcome = { error: String((error && error.stack) || error) }),
      );
    },
    cancelAfter(ms) {
      window.__siftCancelSentAt = undefined;
      const engine = document.querySelector('script[type="py"][name="engine"]').xworker;
      setTimeout(() => {
        window.__siftCancelSentAt = performance.now();
        engine.sync.handle("cancel", "{}");
      }, ms);
    },
  };
})();
