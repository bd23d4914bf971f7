"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const hit = require("../../src/flowmap/assets/hit.js");

const TR = { s: 1, x: 0, y: 0 };

test("the flow under a point, within half its width and 3 px", () => {
  const curves = [Float64Array.from([10, 100, 300, 100])]; // a horizontal line, y = 100
  const drawn = [{ i: 0, dx: 0, w: 6 }];
  const grid = hit.buildGrid(drawn, curves, TR);
  assert.equal(hit.pick(grid, { x: 150, y: 100 }), 0);
  assert.equal(hit.pick(grid, { x: 150, y: 106 }), 0); // 3 + 3 px
  assert.equal(hit.pick(grid, { x: 150, y: 106.5 }), -1);
  assert.equal(hit.pick(grid, { x: 4.5, y: 100 }), 0); // round its end
  assert.equal(hit.pick(grid, { x: 3.5, y: 100 }), -1);
  assert.equal(hit.pick(grid, { x: 2000, y: 2000 }), -1);
});

test("where lines cross, the thinnest (drawn on top) wins; world copies count", () => {
  const curves = [Float64Array.from([0, 50, 200, 50]), Float64Array.from([100, 0, 100, 200])];
  const drawn = [{ i: 0, dx: 0, w: 20 }, { i: 1, dx: 0, w: 2 }, { i: 1, dx: 256, w: 2 }];
  const grid = hit.buildGrid(drawn, curves, TR);
  assert.equal(hit.pick(grid, { x: 100, y: 50 }), 1);
  assert.equal(hit.pick(grid, { x: 60, y: 55 }), 0);
  assert.equal(hit.pick(grid, { x: 356, y: 150 }), 2); // the copy one world to the right
});

test("the grid follows the transform", () => {
  const curves = [Float64Array.from([1, 1, 2, 1])];
  const grid = hit.buildGrid([{ i: 0, dx: 0, w: 4 }], curves, { s: 100, x: -50, y: 20 });
  assert.equal(hit.pick(grid, { x: 100, y: 120 }), 0);
  assert.equal(hit.pick(grid, { x: 100, y: 20 }), -1);
});

test("curves may be given as a function of the flow (the drawn lane of each)", () => {
  const lanes = { 0: Float64Array.from([10, 100, 300, 100]), 1: Float64Array.from([10, 120, 300, 120]) };
  const asked = [];
  const curveOf = (i) => { asked.push(i); return lanes[i]; };
  const grid = hit.buildGrid([{ i: 0, dx: 0, w: 2 }, { i: 1, dx: 0, w: 2 }], curveOf, TR);
  assert.deepEqual(asked, [0, 1]);
  assert.equal(hit.pick(grid, { x: 150, y: 120 }), 1);
  assert.equal(hit.pick(grid, { x: 150, y: 100 }), 0);
  assert.equal(hit.pick(grid, { x: 150, y: 110 }), -1);
});
