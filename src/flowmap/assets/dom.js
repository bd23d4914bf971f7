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

  flowmap.dom = { el: el, escapeHtml: escapeHtml, tipBody: tipBody };
  if (typeof module === "object" && module.exports) { module.exports = flowmap.dom; }
}(typeof window === "object" ? (window.flowmap = window.flowmap || {}) : {}));
