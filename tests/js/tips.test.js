"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const format = require("../../src/flowmap/assets/format.js");
const tips = require("../../src/flowmap/assets/tips.js");

const TIP = {
  from: "From", to: "To", period: "Period", count: "People", net: "Net",
  with: "With", netFocus: "Net of Batken", netWith: "Net with Batken", arrivals: "Arrivals",
  departures: "Departures", internal: "Within"
};

function spec(signed) {
  return {
    places: { id: ["KG-B", "RU", "KG-C"], name: ["Batken", "Russia", "Bishkek"], focus: [1, 0, 0] },
    flows: {
      o: [0, 2, 0], d: [1, 0, 2], c: [7529, 1200, 0], k: [0, 1, 0], t: [0, -1, 0],
      a: { basis: [0, 1, -1], range: [-1, 0, -1] }
    },
    style: { kinds: [{ kind: "out", colour: "#b2182b" }, { kind: "in", colour: "#2166ac" }] },
    text: { tip: Object.assign({}, TIP, signed ? { signed: signed } : {}) },
    times: ["2014–2023"],
    attributes: [
      { key: "basis", label: "Basis", labels: ["reported", ""] },
      { key: "range", label: "Range", labels: ["1,414–1,668"] }
    ],
    totals: { "in": [1200, 7529, 0], out: [7529, 0, 1200], internal: [0, 0, 35] }
  };
}

test("a flow's tooltip: from, to, period, count and its attributes", () => {
  const s = spec(), fmt = format.numberFormat();
  assert.deepEqual(tips.flowRows(s, fmt, 0), [
    ["From", "Batken"], ["To", "Russia"], ["Period", "2014–2023"], ["People", "7,529"], ["Basis", "reported"]
  ]);
  // No period (-1), an empty attribute label is left out, a range is said.
  assert.deepEqual(tips.flowRows(s, fmt, 1), [
    ["From", "Bishkek"], ["To", "Batken"], ["People", "1,200"], ["Range", "1,414–1,668"]
  ]);
  assert.equal(tips.valueText(s, fmt, 0), "7,529");
});

test("a net view says net, with its sign, as the focus place's balance", () => {
  const s = spec("out"), fmt = format.numberFormat({ group: "\u00a0", decimal: ",", minus: "\u2212" });
  assert.equal(tips.valueText(s, fmt, 0), "\u22127\u00a0529"); // a loss
  assert.equal(tips.valueText(s, fmt, 1), "+1\u00a0200"); // a gain
  // Without text.tip.place: from/to, with "net".
  assert.deepEqual(tips.flowRows(s, fmt, 0).slice(0, 2), [["From", "Batken"], ["To", "Russia"]]);
  assert.deepEqual(tips.flowRows(s, fmt, 0)[3], ["Net", "\u22127\u00a0529"]);
  // With it: the place and the other end, never "from A to B: −N".
  s.text.tip.place = "Place";
  const loss = tips.flowRows(s, fmt, 0), gain = tips.flowRows(s, fmt, 1);
  assert.deepEqual(loss.slice(0, 2), [["Place", "Batken"], ["With", "Russia"]]);
  assert.deepEqual(loss[3], ["Net of Batken", "\u22127\u00a0529"]);
  assert.deepEqual(gain.slice(0, 2), [["Place", "Batken"], ["With", "Bishkek"]]);
  assert.deepEqual(gain[2], ["Net of Batken", "+1\u00a0200"]);
});

test("a kind that is net says net even outside a net view", () => {
  const s = spec(), fmt = format.numberFormat();
  s.style.kinds[0].net = true;
  assert.deepEqual(tips.flowRows(s, fmt, 0)[3], ["Net", "7,529"]);
});

test("a place circle's tooltip: arrivals, departures, within; in a net view the balance", () => {
  const s = spec(), fmt = format.numberFormat();
  assert.deepEqual(tips.circleRows(s, 0, fmt), [["Arrivals", "1,200"], ["Departures", "7,529"]]);
  assert.deepEqual(tips.circleRows(s, 1, fmt), [["Arrivals", "7,529"]]);
  assert.deepEqual(tips.circleRows(s, 2, fmt), [["Departures", "1,200"], ["Within", "35"]]);
  const net = spec("out");
  assert.deepEqual(tips.circleRows(net, 0, fmt), [["Net of Batken", "\u22126,329"]]);
  assert.deepEqual(tips.circleRows(net, 1, fmt), [["Net with Batken", "\u22127,529"]]);
  assert.deepEqual(tips.circleRows(net, 2, fmt), [["Net with Batken", "+1,200"]]);
});

test("a map of change gives both figures and the signed change, never a 0 for a missing row", () => {
  const fmt = format.numberFormat({ group: "\u00a0", decimal: ",", minus: "\u2212" });
  const s = {
    places: { id: ["A", "B"], name: ["Alpha", "Beta"] },
    flows: { o: [0, 1, 0], d: [1, 0, 0], c: [15, 1200, 7], k: [0, 1, 2], t: [], a: {} },
    style: { kinds: [{ kind: "gain" }, { kind: "loss" }, { kind: "once" }] },
    text: { tip: Object.assign({ change: "Change", noFigure: "no figure", notComputed: "not computed" }, TIP) },
    change: { from: "2017", to: "2023", before: [10, 3000, null], after: [25, 1800, 7] },
    attributes: []
  };
  assert.deepEqual(tips.flowRows(s, fmt, 0).slice(2), [["2017", "10"], ["2023", "25"], ["Change", "+15"]]);
  assert.deepEqual(tips.flowRows(s, fmt, 1).slice(2), [["2017", "3\u00a0000"], ["2023", "1\u00a0800"], ["Change", "\u22121\u00a0200"]]);
  assert.deepEqual(tips.flowRows(s, fmt, 2).slice(2), [["2017", "no figure"], ["2023", "7"], ["Change", "not computed"]]);
  assert.equal(tips.valueText(s, fmt, 1), "\u22121\u00a0200");
});

test("a place's circle on a map of change sums the signed changes it has, no more", () => {
  const fmt = format.numberFormat(null);
  const s = {
    places: { id: ["A", "B"], name: ["Alpha", "Beta"] },
    flows: { o: [0, 1, 0], d: [1, 0, 1], c: [15, 1200, 7], k: [0, 1, 2], t: [], a: {} },
    totals: { "in": [1200, 22], out: [22, 1200], total: [1222, 1222] },
    style: { kinds: [{ kind: "gain" }, { kind: "loss" }, { kind: "once" }] },
    text: { tip: Object.assign({ arrivalsChange: "In, change", departuresChange: "Out, change" }, TIP) },
    change: { from: "2017", to: "2023", before: [10, 3000, null], after: [25, 1800, 7] }
  };
  assert.deepEqual(tips.circleRows(s, 0, fmt), [["In, change", "\u22121,200"], ["Out, change", "+15"]]);
  assert.deepEqual(tips.circleRows(s, 1, fmt), [["In, change", "+15"], ["Out, change", "\u22121,200"]]);
});
