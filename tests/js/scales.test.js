"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const scales = require("../../src/flowmap/assets/scales.js");
const cases = require("./cases.json");

test("widths meet the shared cases (the image renderer meets them too)", () => {
  for (const c of cases.widths) {
    c.counts.forEach((count, k) => {
      assert.ok(Math.abs(scales.width(c.scale, count) - c.px[k]) < 1e-9, count + " people");
    });
  }
});

test("a line's area grows with its count; no line is thinner than minPx", () => {
  const scale = { maxCount: 10000, maxPx: 20, minPx: 1 };
  assert.equal(scales.width(scale, 10000), 20);
  assert.equal(scales.width(scale, 2500), 10); // a quarter of the count, half the width
  assert.equal(scales.width(scale, 1), 1);
  assert.equal(scales.width(scale, -3), 1);
});

test("opacities meet the shared cases (the image renderer meets them too)", () => {
  for (const c of cases.alphas) {
    c.counts.forEach((count, k) => {
      assert.deepEqual(scales.alpha(c.scale, c.fade, count, c.pale), c.alpha[k], count + " people");
    });
  }
});

test("on a busy map small flows recede: opacity rises with the count; few flows: no fading", () => {
  const scale = { maxCount: 10000, maxPx: 20, minPx: 1 };
  const busy = [0.15, 0.85];
  assert.deepEqual(scales.alpha(scale, busy, 10000, false), [0.85, 0.95]);
  assert.deepEqual(scales.alpha(scale, busy, 0, false), [0.15, 0.15]);
  assert.ok(scales.alpha(scale, busy, 100, false)[0] < scales.alpha(scale, busy, 2500, false)[0]);
  assert.deepEqual(scales.alpha(scale, [0.85, 0.85], 1, false), [0.85, 0.95]);
  assert.deepEqual(scales.alpha(scale, [0.85, 0.85], 1, true), [0.5, 0.95]); // pale, as before
});

test("circle areas grow with the total, at least 3 px, 16 px without a style", () => {
  assert.equal(scales.radius(undefined, 400, 400), 16);
  assert.equal(scales.radius(20, 100, 400), 10);
  assert.equal(scales.radius(20, 0, 400), 3);
  const spec = { places: { id: ["a", "b", "c"] }, totals: { total: [5, 40, 0] } };
  assert.equal(scales.largestTotal(spec), 40);
  assert.equal(scales.largestTotal({ places: { id: ["a"] }, totals: { total: [0] } }), 1);
  assert.equal(scales.largestTotal({ places: { id: ["a"] } }), 1);
});

test("ramp colours follow the width share, as render/theme.ramp_index does", () => {
  const scale = { maxCount: 6400, maxPx: 20, minPx: 1 };
  const ramp = ["#a", "#b", "#c", "#d", "#e", "#f", "#g", "#h"];
  assert.equal(scales.rampColour(scale, ramp, 6400), "#h");
  assert.equal(scales.rampColour(scale, ramp, 0), "#a");
  assert.equal(scales.rampColour(scale, ramp, 1600), "#e"); // share 0.5: the fifth of eight
  assert.equal(scales.rampColour(scale, ramp, 99), "#a"); // share 0.124
  assert.equal(scales.rampColour(scale, ramp, 100), "#b"); // share 0.125
  assert.equal(scales.rampColour(scale, [], 100), null); // no ramp: the kind's colour
});

test("a flow larger than the scale's count is drawn as wide as the widest line, no wider", () => {
  const scale = { maxCount: 10000, maxPx: 20, minPx: 1 };
  assert.equal(scales.width(scale, 40000), 20);
  assert.equal(scales.width(scale, 1e9), 20);
});
