"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const dom = require("../../src/flowmap/assets/dom.js");

test("text for Leaflet's layer control is escaped", () => {
  assert.equal(dom.escapeHtml("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
  assert.equal(dom.escapeHtml(`Tom & "Jerry" 'n' co`), "Tom &amp; &quot;Jerry&quot; &#39;n&#39; co");
  assert.equal(dom.escapeHtml(42), "42");
});

test("elements get their text as text, never as HTML", () => {
  const made = [];
  global.document = {
    createElement: (tag) => { const node = { tag: tag, className: "", textContent: "" }; made.push(node); return node; }
  };
  try {
    const node = dom.el("b", "fm-tip-title", "<b>Osh</b>");
    assert.equal(node.textContent, "<b>Osh</b>");
    assert.equal(node.className, "fm-tip-title");
    assert.equal(node.innerHTML, undefined);
    assert.equal(dom.el("div").textContent, "");
    assert.equal(dom.el("div", null, 0).textContent, "0");
  } finally {
    delete global.document;
  }
});
