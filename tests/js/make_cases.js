/* Writes tests/js/cases.json: cases of the page's pure geometry and scales with the
 * answers of assets/geo.js and assets/scales.js. Both `node --test tests/js/` and pytest
 * (tests/test_js_cases.py, against flowmap.curves and the image renderer's widths and
 * arrowheads) check
 * them, so the browser's and Python's versions cannot drift apart. Run it only after a
 * deliberate change of both: `node tests/js/make_cases.js`. */
"use strict";

const fs = require("fs");
const path = require("path");
const geo = require("../../src/flowmap/assets/geo.js");
const scales = require("../../src/flowmap/assets/scales.js");

const CURVES = [
  [39.85, 71.59, 55.75, 37.62, 0.12], // Batken to Moscow
  [39.85, 71.59, 42.87, 74.59, 0.12], // Batken to Bishkek
  [35.68, 139.69, 34.05, -118.24, 0.2], // across the antimeridian
  [-18.14, 178.44, -13.83, -171.76, 0.12], // a short hop across it
  [61.2, -149.9, 59.9, 10.75, 0.12], // over the pole: a straight map line
  [80.0, 20.0, -80.0, 20.0, 0.3], // starts beyond 75°
  [10.0, 20.0, -10.0, -160.0, 0.12], // antipodal: the linear fallback
  [40.0, 70.0, 40.0, 70.0, 0.12], // one point
  [10.0, 190.0, 20.0, -170.0, 0.12], // longitudes beyond 180
  [0.0, 0.0, 0.0, 3.0, 0.0] // no bend
];

// Places: a hub, a corridor of five ends to the north at growing distances (listed out of
// order), one to the east, one to the south-west, and flows both ways (the bend of a flow
// is decided at both its ends).
const PLACES = {
  lat: [39.85, 55.0, 45.0, 65.0, 50.0, 60.0, 42.87, 30.0],
  lon: [71.59, 72.2, 71.6, 73.0, 71.0, 70.5, 84.59, 60.0]
};
const FLOWS = [
  { o: [0, 0, 0, 0, 0, 0, 1], d: [1, 2, 3, 4, 5, 6, 0] },
  { o: [0, 1, 2, 7, 7, 7], d: [7, 0, 0, 1, 2, 6] },
  { o: [], d: [] }
];
const STYLES = [
  { bend: 0.12 },
  { bend: 0.2, bendStep: 0.1, bendMax: 0.35 }
];

const SCALES = [
  { maxCount: 7529, maxPx: 18, minPx: 1.2 },
  { maxCount: 1, maxPx: 4, minPx: 0.5 }
];
const COUNTS = [0, 1, 10, 99.5, 1000, 7529, 10000, -5];

const cases = {
  curves: CURVES.map((args) => ({ args: args, points: Array.from(geo.curve(...args)) })),
  bends: [],
  widths: [],
  alphas: [],
  arrows: []
};
// Arrowheads in screen pixels of a map at world scale `s` (zoom log2 s), lines `w` px wide.
for (let c = 0; c < CURVES.length; c++) {
  for (const [w, s] of [[1.5, 64], [12, 1024]]) {
    const head = geo.arrowHead(geo.curve(...CURVES[c]), { s: s, x: 0, y: 0 }, 0, w);
    cases.arrows.push({ curve: c, w: w, s: s, head: head });
  }
}
for (const flows of FLOWS) {
  for (const style of STYLES) {
    const spec = { flows: flows, places: PLACES, style: style };
    cases.bends.push({ flows: flows, places: PLACES, style: style, bends: Array.from(geo.corridorBends(spec)) });
  }
}
for (const scale of SCALES) {
  cases.widths.push({ scale: scale, counts: COUNTS, px: COUNTS.map((c) => scales.width(scale, c)) });
  // Opacity of lines and arrowheads: faded (a busy map), unfaded (few flows), pale or not.
  for (const fade of [[0.15, 0.85], [0.85, 0.85]]) {
    for (const pale of [false, true]) {
      const alpha = COUNTS.map((c) => scales.alpha(scale, fade, c, pale));
      cases.alphas.push({ scale: scale, fade: fade, pale: pale, counts: COUNTS, alpha: alpha });
    }
  }
}
fs.writeFileSync(path.join(__dirname, "cases.json"), JSON.stringify(cases, null, 1) + "\n");
