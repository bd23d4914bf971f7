"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const play = require("../../src/flowmap/assets/playview.js");

/* Batken (0) with Russia (1), Kazakhstan (2), "abroad" (3, an aggregate over both) and Osh
 * (4). Stop 0 is the year 2020, stop 1 the total 2014–2023. */
function fixture() {
  const spec = {
    places: { id: ["KG-B", "RU", "KZ", "ABROAD", "KG-O"], name: ["Batken", "Russia", "Kazakhstan", "Abroad", "Osh"] },
    flows: {
      o: [0, 0, 0, 4, 0, 0, 1], d: [1, 2, 3, 0, 2, 3, 0], c: [100, 50, 300, 20, 400, 900, 10],
      a: { basis: [0, 0, 1, 0, 0, 1, 0] }
    },
    style: { styleBy: "basis", dashed: { 1: true }, pale: {} },
    text: { empty: "No flows." },
    times: ["2020", "2014–2023"]
  };
  const P = {
    sets: ["out", "in"], v: [0, 0, 0, 1, 0, 0, 1],
    views: [[[0, 1, 2], [3]], [[4, 5], [6]]],
    cp: [1, 2, 3, 4, 2, 3, 1], boxes: [1, 2, 4], box: [0, 1, -1, 2, 1, -1, 0],
    agg: [[2, []], [5, [4]]], under: { 3: [0, 1] },
    stops: [0, 1], span: [0, 1], dirs: ["out", "in", "both"],
    onlyTotal: [[-1, -1, 1], [-1, -1, -1]]
  };
  return { spec: spec, P: P };
}

function shown(vis) { return Array.from(vis).flatMap((v, j) => (v ? [j] : [])); }

const SUBSETS = [0, 1, 2, 3, 4, 5, 6, 7].map((m) => [m & 1, (m >> 1) & 1, (m >> 2) & 1]);

test("a view draws its own flows, each when its box is ticked", () => {
  const { P } = fixture();
  assert.deepEqual(shown(play.mask(P, 0, "out", [1, 1, 1])), [0, 1, 2]);
  assert.deepEqual(shown(play.mask(P, 0, "out", [0, 1, 1])), [1, 2]);
  assert.deepEqual(shown(play.mask(P, 0, "out", [0, 0, 1])), []);
  assert.deepEqual(shown(play.mask(P, 0, "in", [1, 1, 1])), [3]);
  assert.deepEqual(shown(play.mask(P, 0, "both", [1, 1, 1])), [0, 1, 2, 3]);
});

test("a total and its split are never drawn together", () => {
  const { P } = fixture();
  assert.deepEqual(shown(play.mask(P, 1, "out", [1, 1, 1])), [4]);
  assert.deepEqual(shown(play.mask(P, 1, "out", [1, 0, 1])), [5]); // Russia has no part
  assert.deepEqual(shown(play.mask(P, 1, "out", [0, 1, 1])), [4]);
  for (const checked of SUBSETS) {
    for (const dir of P.dirs) {
      const year = play.mask(P, 0, dir, checked), total = play.mask(P, 1, dir, checked);
      assert.ok(!(total[4] && total[5]), "abroad beside Kazakhstan " + checked);
      // A multi-year total is drawn only on its own stop, never on a year.
      assert.ok(!year[4] && !year[5] && !year[6], "a total on a year " + checked);
      assert.ok(!total[0] && !total[1] && !total[2] && !total[3], "a year on the total " + checked);
    }
  }
});

test("totals of what is shown, and one circle scale for the years and one for the totals", () => {
  const { spec, P } = fixture();
  const tot = play.totalsOf(spec, play.mask(P, 0, "both", [1, 1, 1]));
  assert.deepEqual(tot.out, [450, 0, 0, 0, 20]);
  assert.deepEqual(tot["in"], [20, 100, 50, 300, 0]);
  assert.deepEqual(tot.total, [470, 100, 50, 300, 20]);
  assert.deepEqual(play.circleScale(P, spec), [470, 410]);
});

test("the legend shows only the line styles drawn", () => {
  const { spec, P } = fixture();
  assert.deepEqual(play.stylesShown(spec, play.mask(P, 0, "out", [1, 1, 1])), { "0|0": true, "1|0": true });
  assert.deepEqual(play.stylesShown(spec, play.mask(P, 0, "out", [0, 0, 1])), {});
  assert.deepEqual(play.stylesShown(spec, play.mask(P, 1, "out", [0, 1, 1])), { "0|0": true });
  assert.deepEqual(play.setsOf(P, "both"), { 0: true, 1: true });
  assert.deepEqual(play.setsOf(P, "in"), { 1: true });
});

test("the note names ticked places left out: only a total, or no figure this year", () => {
  const { spec, P } = fixture();
  const w = { onlyTotal: "{places}: only a total for {period}.", noFigure: "{places}: no figure for {period}." };
  function note(stop, dir, checked) {
    const view = { stop: stop, dir: dir, checked: checked };
    return play.note(P, spec, view, play.mask(P, stop, dir, checked), w);
  }
  // Russia and Kazakhstan are drawn (and "abroad" counts for both); Osh leaves only a total.
  assert.equal(note(0, "out", [1, 1, 1]), "Osh: only a total for 2014–2023.");
  assert.equal(note(0, "in", [1, 1, 1]), "Russia, Kazakhstan: no figure for 2020.");
  assert.equal(note(0, "in", [0, 0, 1]), "");
  // Nothing drawn: the map's empty text (and no list of places without a figure).
  assert.equal(note(0, "out", [0, 0, 0]), "No flows.");
  assert.equal(note(0, "in", [1, 0, 0]), "No flows.");
  // On the total's own stop nothing is "only a total".
  assert.equal(note(1, "out", [1, 1, 1]), "Russia, Osh: no figure for 2014–2023.");
});
