"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const cluster = require("../../src/flowmap/assets/cluster.js");

// Four towns: three near Rennes, one near Lyon; merges as flowmap/engine/cluster.py writes
// them ([a, b, distance in world pixels at zoom 0], SciPy's complete linkage).
const MERGES = [[0, 1, 0.02561], [2, 4, 0.2488], [3, 5, 5.75]];

function spec(top) {
  return {
    locale: "ru-RU",
    numbers: { group: "\u00a0", decimal: ",", minus: "\u2212" },
    places: {
      id: ["R", "C", "F", "L"], name: ["Rennes", "Cesson", "Fougères", "Lyon"],
      lat: [48.1, 48.12, 48.3, 45.0], lon: [-1.68, -1.66, -1.5, 5.0], focus: [0, 0, 0, 0]
    },
    flows: {
      o: [0, 1, 2, 3, 0, 3], d: [3, 3, 3, 0, 1, 2], c: [500, 40, 30, 200, 70, 5],
      k: [0, 0, 0, 0, 0, 0], t: [0, 0, 0, 0, 0, 0], a: {}
    },
    text: { tip: { from: "Откуда" }, alerts: [] },
    clusters: {
      merges: MERGES, px: 36, top: top,
      text: {
        label: { other: "{name} +{count}" },
        largest: "Показаны крупнейшие потоки: {shown} из {total}, {share} объёма",
        clustered: "Соседние места объединены; {share} объёма внутри",
        clusteredNone: "Соседние места объединены; потоков внутри нет",
        zoom: "Приблизьте карту, чтобы их разделить.",
        percent: "{n}\u00a0%", members: { one: "Объединено {count} место", few: "Объединено {count} места", many: "Объединено {count} мест", other: "Объединено {count} места" }, internal: "Внутри", summed: "Суммировано"
      }
    }
  };
}

test("totals are conserved at every zoom and equal the sums of the members", () => {
  const s = spec(0), whole = s.flows.c.reduce((a, b) => a + b, 0);
  for (let zoom = 0; zoom <= 14; zoom += 0.5) {
    const v = cluster.view(s, zoom), tot = v.totals;
    const drawn = v.flows.c.reduce((a, b) => a + b, 0);
    const inside = tot.internal.reduce((a, b) => a + b, 0);
    assert.equal(drawn + inside, whole, "zoom " + zoom);
    assert.equal(tot["in"].reduce((a, b) => a + b, 0), whole);
    assert.equal(tot.out.reduce((a, b) => a + b, 0), whole);
    v.places.members.forEach((m, g) => {
      let into = 0, out = 0;
      s.flows.o.forEach((o, i) => {
        if (m.includes(o)) { out += s.flows.c[i]; }
        if (m.includes(s.flows.d[i])) { into += s.flows.c[i]; }
      });
      assert.equal(tot["in"][g], into);
      assert.equal(tot.out[g], out);
    });
  }
});

test("a zoom-in splits a cluster; zoomed out, flows between clusters are summed", () => {
  const out = cluster.view(spec(0), 6), near = cluster.view(spec(0), 12);
  assert.deepEqual(Array.from(out.level.labels), [0, 0, 0, 1]);
  // As short as in English; the tooltip says how many places, in the plural form.
  assert.deepEqual(out.places.name, ["Rennes +2", "Lyon"]);
  assert.equal(out.places.held[0], "Rennes, Cesson, Fougères");
  assert.deepEqual(out.places.heldLabel, ["Объединено 3 места", ""]);
  // Rennes, Cesson, Fougères → Lyon summed (500 + 40 + 30), and Lyon → the cluster (200 + 5).
  assert.deepEqual(out.flows.c, [570, 205]);
  assert.deepEqual(out.flows.n, [3, 2]);
  assert.equal(out.totals.internal[0], 70);
  assert.ok(out.level.alerts.some((a) => a.includes("Соседние места объединены; 8,3\u00a0% объёма")));
  assert.equal(near.places.id.length, 4);
  assert.deepEqual(Array.from(near.level.labels), [0, 1, 2, 3]);
  assert.equal(near.level.alerts.length, 0);
  assert.ok(!cluster.same(out.level.labels, near.level.labels));
});

test("the limit keeps the largest flows between clusters and says so", () => {
  const v = cluster.view(spec(1), 6);
  assert.deepEqual(v.flows.c, [570]);
  assert.equal(v.level.alerts[0], "Показаны крупнейшие потоки: 1 из 2, 74\u00a0% объёма");
});

test("a spec without clusters is shown as it is", () => {
  const s = spec(0);
  delete s.clusters;
  assert.equal(cluster.view(s, 5), s);
});

test("merging without flows within merged places says so without a share", () => {
  const s = spec(0);
  s.flows = { o: [0, 1, 3], d: [3, 3, 2], c: [500, 40, 5], k: [0, 0, 0], t: [0, 0, 0], a: {} };
  const v = cluster.view(s, 6);
  assert.deepEqual(v.level.alerts, ["Соседние места объединены; потоков внутри нет Приблизьте карту, чтобы их разделить."]);
  assert.deepEqual(v.totals.internal, [0, 0]);
});

test("no line is wider than the legend's widest sample at any zoom (summed flows included)", () => {
  const scales = require("../../src/flowmap/assets/scales.js");
  const s = spec(0);
  // Scaled to the largest flow of the zooms the map opens at (500 people: Rennes → Lyon);
  // zoomed out, Rennes, Cesson and Fougères → Lyon sum to 570, and the legend's widest
  // sample is "500 people or more".
  s.scale = { maxCount: 500, maxPx: 20, minPx: 1 };
  s.legend = { counts: [10, 100], atLeast: 500 };
  const samples = s.legend.counts.concat([s.legend.atLeast]).map((c) => scales.width(s.scale, c));
  const widest = Math.max.apply(null, samples);
  const drawn = [];
  for (let zoom = 0; zoom <= 14; zoom += 1) {
    const v = cluster.view(s, zoom);
    for (const c of v.flows.c) {
      drawn.push(c);
      assert.ok(scales.width(v.scale, c) <= widest + 1e-9, "zoom " + zoom + ": " + c + " people");
    }
  }
  assert.ok(drawn.some((c) => c > s.scale.maxCount)); // some zoom draws a larger flow
});
