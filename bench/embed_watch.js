// Installed by bench/embed.py with Playwright's addInitScript, so it runs in every frame before
// the frame's own scripts; it acts only in Sift's widget frames (embed.html). It records when
// the widget is rendered: <html data-sift-state="ready"> and its content shown (a table: the
// grid with aria-rowcount > 1 and a visible data row; a chart (view=chart in the frame's
// fragment): #chart-panel svg[role=img]).
// The time is performance.timeOrigin + performance.now(): ms since the Unix epoch, so the
// benchmark can subtract the host page's performance.timeOrigin (its navigation start).
// A MutationObserver callback runs once the script that changed the DOM yields.
(() => {
  if (!location.pathname.endsWith("/embed.html")) return;
  // The widget's view, from its fragment as embed.js wrote it (the app rewrites it later).
  const view = new URLSearchParams(location.hash.slice(1)).get("view") === "chart" ? "chart" : "table";
  const shown = {
    chart: () => document.querySelector("#chart-panel svg[role=img]") !== null,
    table: () => {
      const grid = document.querySelector("[role=grid]");
      return (
        grid !== null &&
        Number(grid.getAttribute("aria-rowcount")) > 1 &&
        grid.querySelector("[role=row]:not([hidden]) [role=gridcell]") !== null
      );
    },
  }[view];
  const rendered = () => document.documentElement.dataset.siftState === "ready" && shown();
  const observer = new MutationObserver(() => {
    const root = document.documentElement;
    if (root.dataset.siftState === "failed") {
      window.__benchEmbed = { failed: true };
      observer.disconnect();
    } else if (rendered()) {
      window.__benchEmbed = { at: performance.timeOrigin + performance.now(), view };
      observer.disconnect();
    }
  });
  observer.observe(document, { attributes: true, childList: true, subtree: true });
})();
