/* The label placer of the page (src/flowmap/assets/labelplace.js) answers the cases of
 * tests/labelplace_cases.json as flowmap.render.labelplace (Python) does. Run: node --test tests/js/
 */
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const fs = require("node:fs");
const vm = require("node:vm");

const placer = require(path.join(__dirname, "..", "..", "src", "flowmap", "assets", "labelplace.js"));
const cases = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "labelplace_cases.json"), "utf8"));

function run(c) {
  const blocks = (c.blocks || []).map(([left, top, right, bottom]) => ({ left, top, right, bottom }));
  const circles = (c.circles || []).map(([x, y, r, index]) => ({ x, y, r, index }));
  return placer.place(c.frame[0], c.frame[1], c.labels, blocks, circles, c.lines || []);
}

for (const c of cases.cases) {
  test(c.name, () => {
    const got = run(c);
    assert.equal(got.length, c.expect.length);
    got.forEach((p, i) => {
      const want = c.expect[i];
      if (want === null) {
        assert.equal(p, null, `label ${i} should be hidden, is at ${JSON.stringify(p)}`);
        return;
      }
      assert.notEqual(p, null, `label ${i} should be at ${want}, is hidden`);
      [p.x, p.y, p.dx, p.dy].forEach((v, k) => {
        assert.ok(Math.abs(v - want[k]) < 1e-6, `label ${i}: ${[p.x, p.y, p.dx, p.dy]} != ${want}`);
      });
    });
  });
}

test("ranks of layer labels by their classes", () => {
  for (const [cls, own, want] of cases.ranks) {
    assert.equal(placer.rank(cls, own === null ? undefined : own), want, cls);
  }
});

test("the placer loads in a page as window.flowmap.labelPlace, beside the other modules", () => {
  const source = fs.readFileSync(require.resolve(path.join(__dirname, "..", "..", "src", "flowmap", "assets", "labelplace.js")), "utf8");
  // As a page runs it: a plain script with `window` and no `module`.
  const window = { flowmap: { dom: {} } };
  vm.runInNewContext(source, { window: window });
  assert.equal(typeof window.flowmap.labelPlace.place, "function");
  assert.deepEqual(Object.keys(window).sort(), ["flowmap"]);
  assert.deepEqual(Object.keys(window.flowmap).sort(), ["dom", "labelPlace"]);
  // (Its answers are objects of the other context: compared by their JSON.)
  const got = window.flowmap.labelPlace.place(100, 50, [{ kind: "area", x: 50, y: 25, w: 20, h: 10, rank: 0 }]);
  assert.deepEqual(JSON.parse(JSON.stringify(got)), [{ x: 40, y: 20, dx: -10, dy: -5 }]);
});
