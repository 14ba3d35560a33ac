// Installed by bench/explore_sift.py (Playwright's addInitScript) on Sift's page, so it runs
// before the app. All times are performance.now() in the page (ms since navigation start).
//
// window.__benchExplore:
// - `change(hash, probes)`: notes the time, sets location.hash (the UI applies a changed
//   fragment on "hashchange") and arms the probes. A probe {selector, attribute} is hit at the
//   first MutationObserver callback after that in which `attribute` was written on an element
//   that matches `selector` at that moment, or such an element was inserted. A callback runs at
//   the next microtask checkpoint after the UI's code yields: when the page can show it. So
//   "#table-area[data-sift-view=ready]" is hit when the UI marks the view ready again, even if
//   it was "ready" before the change and went through "loading" within one task.
//   `arm(probes)` does the same without changing the hash (for a load).
// - `pending`: {t0, hits: [ms or null per probe]} of the last change.
// - `longTasks`: every PerformanceObserver "longtask" entry, {start, duration}.
// - `scroll({rows, seconds, settleMs})`: scrolls #table-area's grid through `rows` rows at an
//   even speed, one step per animation frame; the outcome lands in `scrolled`.
(() => {
  const bench = (window.__benchExplore = {
    pending: null,
    longTasks: [],
    longTaskError: null,
    scrolled: null,
  });

  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: "longtask", buffered: true });
  } catch (error) {
    bench.longTaskError = String(error);
  }

  function hitBy(record, probe) {
    if (record.type === "attributes") {
      return record.attributeName === probe.attribute && record.target.matches(probe.selector);
    }
    for (const node of record.addedNodes) {
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      if (node.matches(probe.selector) || node.querySelector(probe.selector)) return true;
    }
    return false;
  }

  new MutationObserver((records) => {
    const pending = bench.pending;
    if (pending === null) return;
    const t = performance.now();
    pending.probes.forEach((probe, index) => {
      if (pending.hits[index] === null && records.some((r) => hitBy(r, probe))) {
        pending.hits[index] = t;
      }
    });
  }).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-sift-view", "data-state"],
  });

  bench.arm = (probes) => {
    const t0 = performance.now();
    bench.pending = { t0, probes, hits: probes.map(() => null) };
    return t0;
  };
  bench.change = (hash, probes) => {
    const t0 = bench.arm(probes);
    location.hash = hash;
    return t0;
  };
  bench.done = () => bench.pending !== null && bench.pending.hits.every((t) => t !== null);

  // The element that scrolls the grid: the grid or its nearest ancestor that scrolls.
  function scroller(grid) {
    for (let node = grid; node && node !== document.body; node = node.parentElement) {
      const overflow = getComputedStyle(node).overflowY;
      if ((overflow === "auto" || overflow === "scroll") && node.scrollHeight > node.clientHeight) {
        return node;
      }
    }
    return document.scrollingElement;
  }

  // The highest data row shown (aria-rowindex counts the header as 1, so row n is n + 1).
  function lastShownRow(grid) {
    let last = 0;
    for (const row of grid.querySelectorAll("[role=row][aria-rowindex]")) {
      if (row.hidden || row.closest("[hidden]")) continue;
      last = Math.max(last, Number(row.getAttribute("aria-rowindex")) - 1);
    }
    return last;
  }

  const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function scroll({ rows, seconds, settleMs }) {
    const grid = document.querySelector("[role=grid]");
    if (!grid) throw new Error("no [role=grid] on the page");
    const area = scroller(grid);
    const total = Number(grid.getAttribute("aria-rowcount")) - 1;
    if (!(total > rows)) throw new Error(`the grid has ${total} rows, fewer than ${rows}`);
    area.scrollTop = 0;
    await frame();
    await sleep(200);
    // The scrollbar may map onto the rows non-linearly past a browser's height limit: take the
    // px per row from the scroll range, and stop on the rows actually shown, not on a distance.
    const pxPerRow = (area.scrollHeight - area.clientHeight) / total;
    const start = performance.now();
    let reached = null;
    let frames = 0;
    while (reached === null) {
      await frame();
      frames += 1;
      const elapsed = (performance.now() - start) / 1000;
      area.scrollTop = Math.ceil(Math.min(rows, (rows * elapsed) / seconds) * pxPerRow) + 1;
      if (lastShownRow(grid) >= rows) reached = performance.now();
      else if (elapsed > seconds * 4 + 10) throw new Error(`row ${rows} never shown`);
    }
    await sleep(settleMs);
    const end = performance.now();
    const tasks = bench.longTasks.filter((t) => t.start + t.duration > start && t.start < end);
    return {
      start,
      reached,
      end,
      frames,
      lastRow: lastShownRow(grid),
      scrollTop: area.scrollTop,
      scroller: area.id || area.tagName.toLowerCase(),
      tasks,
    };
  }

  bench.scroll = (args) => {
    bench.scrolled = null;
    scroll(args).then(
      (result) => (bench.scrolled = { result }),
      (error) => (bench.scrolled = { error: String((error && error.stack) || error) }),
    );
  };
})();
