// Sift's embed (README "Embed a table or chart"): on any page,
//   <script src="https://your-host/sift/embed.js" data-sift-src="data.csv"></script>
// becomes a live table or chart where the tag is; so does <sift-view src="data.csv">.
// - Each widget is a <sift-view> element whose closed shadow root holds an iframe of Sift's
//   embed.html: host CSS cannot reach the widget, and the widget's CSS never reaches the host.
// - Every widget of the page is run by one engine frame (embed-engine.html, hidden): its
//   MicroPython drives each widget frame's document, and its Pyodide worker answers them.
//   Widget frames find it by its name, made of the page id in their fragment.
// - The only global name added is the custom element <sift-view>; nothing is logged.
// The attributes go to the widget as they are (Python reads and checks them there), except
// that a relative data-sift-src is resolved here, against the host page.
(() => {
  const TAG = "sift-view";
  const PREFIX = "data-sift-";
  const HOST_ONLY = new Set(["id", "class", "style", "hidden", "slot", "title", "lang", "dir", "part", "tabindex"]);
  const DEFAULT_HEIGHT = "420px";
  // Widgets load once the engine frame's MicroPython serves them (its "serving" message), or
  // this long after the engine frame loaded if it never says so (it failed before it could, or
  // the host page has no origin to post to, as a file: page).
  const SERVING_WAIT_MS = 3000;
  const script = document.currentScript;

  if (!customElements.get(TAG) && script && script.src) {
    const folder = new URL(".", script.src);
    const engineId = Array.from(crypto.getRandomValues(new Uint8Array(12)), (byte) =>
      byte.toString(16).padStart(2, "0"),
    ).join("");
    let engineServing = null; // resolves once a widget can load (see SERVING_WAIT_MS)

    const address = (path, fragment) => new URL(path, folder).href + "#" + fragment;
    const encode = (pairs) =>
      pairs.map(([key, value]) => encodeURIComponent(key) + "=" + encodeURIComponent(value)).join("&");
    const height = (text) => {
      const value = (text || "").trim();
      if (/^\d+(\.\d+)?$/.test(value)) return value + "px";
      return /^\d+(\.\d+)?(px|em|rem|vh|%)$/.test(value) ? value : DEFAULT_HEIGHT;
    };

    // One engine for the page, in a frame nobody sees (inside a shadow root of its own).
    // Widgets load once it serves them: they look it up by name, and loading their frames
    // while the engine's worker compiles Pyodide (the longest part of a start) slowed that
    // down, on a machine with few cores, more than the frames took (bench/embed.py).
    const startEngine = () => {
      if (engineServing !== null) return engineServing;
      const holder = document.createElement("div");
      holder.style.setProperty("display", "none", "important");
      const engineFrame = document.createElement("iframe");
      engineFrame.name = "sift-engine-" + engineId; // embed-shared.mjs engineFrameName
      // The engine frame posts its "serving" message to this origin only (RELIABILITY J3).
      engineFrame.src = address("embed-engine.html", encode([["host", location.origin]]));
      engineFrame.title = "Sift engine";
      engineFrame.style.display = "none";
      engineServing = new Promise((resolve) => {
        const onMessage = (event) => {
          const { origin, source, data } = event;
          if (origin !== folder.origin || source !== engineFrame.contentWindow || !data || data.siftEngine !== "serving") return;
          removeEventListener("message", onMessage);
          resolve();
        };
        addEventListener("message", onMessage);
        engineFrame.addEventListener("load", () => setTimeout(resolve, SERVING_WAIT_MS), { once: true });
      });
      holder.attachShadow({ mode: "closed" }).append(engineFrame);
      (document.body || document.documentElement).append(holder);
      return engineServing;
    };

    class SiftView extends HTMLElement {
      connectedCallback() {
        if (this.siftFrame) return;
        const pairs = [["engine", engineId]];
        for (const { name, value } of Array.from(this.attributes)) {
          if (HOST_ONLY.has(name)) continue;
          const canResolve = name === "src" && URL.canParse(value.trim(), document.baseURI);
          pairs.push([name, canResolve ? new URL(value.trim(), document.baseURI).href : value]);
        }
        const iframe = document.createElement("iframe");
        startEngine().then(() => (iframe.src = address("embed.html", encode(pairs))));
        const source = this.getAttribute("src") || "no data";
        iframe.title = "Sift: " + (this.getAttribute("title") || source);
        iframe.setAttribute("allow", "clipboard-write");
        for (const [property, value] of [
          ["display", "block"],
          ["width", "100%"],
          ["height", height(this.getAttribute("height"))],
          ["border", "1px solid #8c959f"],
          ["border-radius", "6px"],
          ["margin", "0"],
          ["padding", "0"],
          ["box-sizing", "border-box"],
          ["visibility", "visible"],
          ["opacity", "1"],
        ])
          iframe.style.setProperty(property, value, "important");
        this.style.setProperty("display", "block", "important");
        this.attachShadow({ mode: "closed" }).append(iframe);
        this.siftFrame = iframe;
      }
    }
    customElements.define(TAG, SiftView);
  }

  // A script tag with data-sift-* attributes is a widget: a <sift-view> right after it.
  if (script && Array.from(script.attributes).some(({ name }) => name.startsWith(PREFIX))) {
    const view = document.createElement(TAG);
    for (const { name, value } of Array.from(script.attributes))
      if (name.startsWith(PREFIX)) view.setAttribute(name.slice(PREFIX.length), value);
    script.after(view);
  }
})();
