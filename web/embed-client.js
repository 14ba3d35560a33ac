// A widget frame's link to its host page's one engine (embed-channel.mjs): EmbedApp
// (sift/ui/embed_app.py) calls it as it would the engine worker. Without an engine id in the
// fragment (embed.html opened by itself) there is none, and the widget starts an engine of its own.
import { channelName, connect } from "./embed-channel.mjs";

const name = channelName(location.hash);
if (name !== null) {
  window.siftSharedEngine = connect(new BroadcastChannel(name));
  // A browser that blocks third-party data fails every IndexedDB open in this frame. PyScript
  // opens one at start that a widget never uses, and its error handler throws: keep that quiet
  // (the request then never settles, and nothing waits on it).
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (...args) {
    const request = open.apply(this, args);
    request.addEventListener("error", (event) => {
      event.stopImmediatePropagation();
      event.preventDefault();
    });
    return request;
  };
}
