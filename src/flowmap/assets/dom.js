/* Flowmap: the DOM helpers shared by the page's scripts. Every text from data goes in with
 * textContent, never as HTML; the few texts Leaflet writes as HTML (the layer control's
 * entries) are escaped first. */
(function (flowmap) {
  "use strict";

  /* A new element of `tag` with the class `cls` (if any) and the text `text` (if any). */
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  /* Leaflet's layer control writes names with innerHTML: give it escaped text. */
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* A tooltip's body: one line per row, a text or a [label, value] pair. */
  function tipBody(rows) {
    var body = el("div", "fm-tip-body");
    for (var r = 0; r < rows.length; r++) {
      var line = el("div");
      if (Array.isArray(rows[r])) {
        line.appendChild(el("b", null, rows[r][0] + ": "));
        line.appendChild(document.createTextNode(String(rows[r][1])));
      } else {
        line.textContent = String(rows[r]);
      }
      body.appendChild(line);
    }
    return body;
  }

  /* What one view puts on a map and must take away with it when the next view is drawn
   * on the same map (flowmap.redraw in place): `undo` is called by release(map), the last
   * held first. */
  function hold(map, undo) { (map.fmHeld = map.fmHeld || []).push(undo); }

  /* map.on(types, fn), held: the handler goes with the view. */
  function listen(map, types, fn) {
    map.on(types, fn);
    hold(map, function () { map.off(types, fn); });
  }

  /* Take away what the map's view holds (handlers, layers, controls, panes, elements). */
  function release(map) {
    var held = map.fmHeld || [];
    map.fmHeld = [];
    while (held.length) { held.pop()(); }
  }

  flowmap.dom = {
    el: el, escapeHtml: escapeHtml, tipBody: tipBody, hold: hold, listen: listen, release: release
  };
  if (typeof module === "object" && module.exports) { module.exports = flowmap.dom; }
}(typeof window === "object" ? (window.flowmap = window.flowmap || {}) : {}));
