"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const geo = require("../../src/flowmap/assets/geo.js");
const cases = require("./cases.json");

function close(actual, expected, tol, what) {
  assert.equal(actual.length, expected.length, what + ": length");
  for (let k = 0; k < expected.length; k++) {
    assert.ok(Math.abs(actual[k] - expected[k]) <= tol, what + "[" + k + "]: " + actual[k] + " != " + expected[k]);
  }
}

test("curves meet the shared cases (flowmap.curves meets them too)", () => {
  for (const c of cases.curves) {
    close(Array.from(geo.curve(...c.args)), c.points, 1e-9, JSON.stringify(c.args));
  }
});

test("corridor bends meet the shared cases", () => {
  for (const c of cases.bends) {
    const spec = { flows: c.flows, places: c.places, style: c.style };
    close(Array.from(geo.corridorBends(spec)), c.bends, 1e-12, JSON.stringify(c.style));
  }
});

test("arrowheads meet the shared cases (the image renderer meets them too)", () => {
  for (const c of cases.arrows) {
    const head = geo.arrowHead(geo.curve(...cases.curves[c.curve].args), { s: c.s, x: 0, y: 0 }, 0, c.w);
    if (c.head === null) {
      assert.equal(head, null);
    } else {
      close(head, c.head, 1e-6, "arrow of curve " + c.curve);
    }
  }
});

test("a curve starts and ends at its places and bends to the right of travel", () => {
  const c = geo.curve(39.85, 71.59, 55.75, 37.62, 0.12);
  const a = geo.project(39.85, 71.59), b = geo.project(55.75, 37.62), n = c.length / 2 - 1;
  close([c[0], c[1]], a, 1e-9, "start");
  close([c[2 * n], c[2 * n + 1]], b, 1e-9, "end");
  // Screen y grows downwards: the right of travel is where the cross product is positive.
  const mid = Math.floor(n / 2), dx = b[0] - a[0], dy = b[1] - a[1];
  const cross = dx * (c[2 * mid + 1] - a[1]) - dy * (c[2 * mid] - a[0]);
  assert.ok(cross > 0, "bends to the right");
  // The way back bends to the other side of the chord: the two never overlap.
  const back = geo.curve(55.75, 37.62, 39.85, 71.59, 0.12), m = back.length / 2 - 1 - mid;
  const crossBack = dx * (back[2 * m + 1] - a[1]) - dy * (back[2 * m] - a[0]);
  assert.ok(crossBack < 0, "the way back bends the other way");
});

test("a curve across the antimeridian stays continuous", () => {
  const c = geo.curve(35.68, 139.69, 34.05, -118.24, 0.2);
  for (let k = 2; k < c.length; k += 2) {
    assert.ok(Math.abs(c[k] - c[k - 2]) < geo.WORLD / 4, "no jump at point " + k / 2);
  }
  assert.ok(c[c.length - 2] > geo.WORLD, "runs east, past the map's right edge");
});

test("near the poles the curve is the straight map line, bent", () => {
  assert.equal(geo.greatCircle(61.2, -149.9, 59.9, 10.75), null);
  const c = geo.curve(61.2, -149.9, 59.9, 10.75, 0);
  assert.equal(c.length, 50); // 25 points
  const a = geo.project(61.2, -149.9), b = geo.project(59.9, 10.75);
  const t = 12 / 24, x = c[24], y = c[25];
  const lat = 61.2 + (59.9 - 61.2) * t, lon = -149.9 + (10.75 + 149.9) * t;
  close([x, y], geo.project(lat, lon), 1e-9, "the middle lies on the map line");
  assert.ok(a[0] < x && x < b[0]);
});

test("bearings: north, east, south, west", () => {
  assert.ok(Math.abs(geo.bearing(0, 0, 10, 0)) < 1e-9);
  assert.ok(Math.abs(geo.bearing(0, 0, 0, 10) - 90) < 1e-9);
  assert.ok(Math.abs(geo.bearing(10, 0, 0, 0) - 180) < 1e-9);
  assert.ok(Math.abs(geo.bearing(0, 10, 0, 0) - 270) < 1e-9);
  assert.equal(geo.unwrap(190, 0), -170);
  assert.equal(geo.unwrap(-170, 170), 190);
});

test("a mask fans out only the flows it shows", () => {
  const c = cases.bends[0];
  const spec = { flows: c.flows, places: c.places, style: c.style };
  const all = geo.corridorBends(spec);
  assert.ok(Math.max(...all) > c.style.bend);
  const alone = new Uint8Array(c.flows.o.length);
  const widest = all.indexOf(Math.max(...all));
  alone[widest] = 1;
  const masked = geo.corridorBends(spec, alone);
  assert.equal(masked[widest], c.style.bend, "a flow alone in its corridor takes the base bend");
});

test("the rough box holds the whole curve, and curveBox is its tight box", () => {
  const places = cases.bends[0].places;
  for (const bend of [0, 0.12, 0.3]) {
    for (let i = 0; i < places.lat.length; i++) {
      for (let j = 0; j < places.lat.length; j++) {
        const spec = { flows: { o: [i], d: [j] }, places: places };
        const c = geo.curve(places.lat[i], places.lon[i], places.lat[j], places.lon[j], bend);
        const rough = geo.roughBox(geo.ends(spec, 0)), tight = geo.curveBox(c);
        assert.ok(rough[0] <= tight[0] + 1e-9 && rough[1] <= tight[1] + 1e-9);
        assert.ok(rough[2] >= tight[2] - 1e-9 && rough[3] >= tight[3] - 1e-9);
        for (let k = 0; k < c.length; k += 2) {
          assert.ok(c[k] >= tight[0] && c[k] <= tight[2] && c[k + 1] >= tight[1] && c[k + 1] <= tight[3]);
        }
      }
    }
  }
});

test("the arrowhead points the way of travel and grows with the line", () => {
  const tr = { s: 64, x: 0, y: 0 };
  const c = geo.curve(0, 0, 0, 30, 0); // due east, straight
  const head = geo.arrowHead(c, tr, 0, 2);
  assert.ok(head[0] > head[2] && head[0] > head[4], "the tip is east of the base");
  assert.ok(Math.abs(head[1] - head[3] + (head[1] - head[5])) < 1e-6, "symmetric about the line");
  const base = Math.abs(head[3] - head[5]);
  assert.ok(Math.abs(base - 9) < 1e-9, "at least 4.5 px each side");
  const wide = geo.arrowHead(c, tr, 0, 20);
  assert.ok(Math.abs(Math.abs(wide[3] - wide[5]) - 34) < 1e-9, "0.85 times the width each side");
  assert.ok(Math.abs(wide[0] - head[0] - (44 - 12) / 2) < 1e-9, "the tip moves with the head's length");
  for (const h of [head, wide]) {
    const long = Math.abs(h[0] - (h[2] + h[4]) / 2), across = Math.abs(h[3] - h[5]);
    assert.ok(long > across, "longer than wide: it points away from the start");
  }
  const shifted = geo.arrowHead(c, tr, 256 * 64, 2);
  assert.ok(Math.abs(shifted[0] - head[0] - 256 * 64) < 1e-6, "a world copy shifts it");
  assert.equal(geo.arrowHead(geo.curve(40, 70, 40, 70, 0.12), tr, 0, 2), null, "a point has no direction");
});

test("parallel flows lie in lanes, as flowmap.engine.curves.corridor_lanes lays them", () => {
  // The case of tests/test_batken_change.py: Batken to Bishkek, Chüy and the remaining
  // oblasts (within 20° of bearing), and to Dushanbe alone; Python gives 8.75, -2.75, -11.5, 0.
  const spec = {
    places: { lat: [39.85, 42.87, 42.57, 41.15, 38.54], lon: [71.59, 74.59, 74.62, 74.07, 68.78] },
    flows: { o: [0, 0, 0, 0], d: [1, 2, 3, 4] }
  };
  const lanes = geo.corridorLanes(spec, [12, 9, 6.5, 4]);
  close(Array.from(lanes), [8.75, 0, -2.75, 0, -11.5, 0, 0, 0], 1e-9, "lanes");
  const back = geo.corridorLanes({ places: spec.places, flows: { o: [1, 2, 3, 4], d: [0, 0, 0, 0] } }, [12, 9, 6.5, 4]);
  close(Array.from(back), [0, -8.75, 0, 2.75, 0, 11.5, 0, 0], 1e-9, "arrivals");
  // A departure and an arrival on one corridor share it, each right of its travel, as
  // Python gives: -3.5 and -5.5 at both ends.
  const pair = geo.corridorLanes({ places: { lat: [40, 43], lon: [71, 74.6] }, flows: { o: [0, 1], d: [1, 0] } }, [10, 6]);
  close(Array.from(pair), [-3.5, -3.5, -5.5, -5.5], 1e-9, "pair");
  // A masked flow takes no lane, and the others close up.
  const masked = geo.corridorLanes(spec, [12, 9, 6.5, 4], [1, 1, 0, 1]);
  close(Array.from(masked), [5, 0, -6.5, 0, 0, 0, 0, 0], 1e-9, "masked");
});

test("a lane tapers onto the curve: off at the start, on it at the end", () => {
  const c = new Float64Array([0, 0, 1, 0, 2, 0, 3, 0]);
  const moved = geo.laneCurve(c, { s: 10 }, 5, 0);
  assert.ok(Math.abs(moved[1] + 0.5) < 1e-12);
  assert.equal(moved[6], 3);
  assert.equal(moved[7], 0);
  assert.equal(geo.laneCurve(c, { s: 10 }, 0, 0), c);
});
