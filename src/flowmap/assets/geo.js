/* Flowmap: the geometry of flows, in world pixels of Web Mercator at zoom 0.
 *
 * A flow's curve is the great circle between its ends (near the poles, the straight map
 * line), bent to the right of travel; corridorBends fans out flows that leave (or reach) a
 * place in nearly the same direction; arrowHead is the triangle drawn along a curve.
 * flowmap/curves.py computes the same curves in Python for the images (tests/js/cases.json
 * holds cases that both must meet). Pure: no DOM, no Leaflet.
 */
(function (flowmap) {
  "use strict";

  var WORLD = 256; // Web Mercator world size in pixels at zoom 0
  var MAX_LAT = 85.0511287798;
  var POLAR_LAT = 75; // great circles that reach beyond this are drawn straight on the map
  // An arrowhead's length and half-width (px): times the line's width, and at least.
  var ARROW_LONG = 2.2, ARROW_HALF = 0.85, ARROW_MIN_LONG = 12, ARROW_MIN_HALF = 4.5;
  // A modelled flow this wide (px) or wider is a pale band in a fine dashed outline.
  var DASH_BAND = 5, BAND_ALPHA = 0.35, OUTLINE = 1.25, OUTLINE_DASH = [5, 3];
  // Flows within LANE_SPREAD degrees of each other at a place lie in lanes LANE_GAP px apart.
  var LANE_SPREAD = 20, LANE_GAP = 1;

  function clamp(v, lo, hi) { return v < lo ? lo : v > hi ? hi : v; }

  function project(lat, lon) {
    var s = Math.sin(clamp(lat, -MAX_LAT, MAX_LAT) * Math.PI / 180);
    return [WORLD * (lon + 180) / 360, WORLD * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI))];
  }

  function unit(lat, lon) {
    var p = lat * Math.PI / 180, l = lon * Math.PI / 180;
    return [Math.cos(p) * Math.cos(l), Math.cos(p) * Math.sin(l), Math.sin(p)];
  }

  /* `lon` moved by whole turns to within 180° of `from`. */
  function unwrap(lon, from) {
    while (lon - from > 180) { lon -= 360; }
    while (lon - from < -180) { lon += 360; }
    return lon;
  }

  /* Points along the great circle from a to b, longitudes unwrapped from a's (so a line
   * crossing the antimeridian stays continuous), or null when it passes near a pole. */
  function greatCircle(lat1, lon1, lat2, lon2) {
    var u = unit(lat1, lon1), v = unit(lat2, lon2);
    var dot = clamp(u[0] * v[0] + u[1] * v[1] + u[2] * v[2], -1, 1);
    var omega = Math.acos(dot);
    var n = clamp(Math.ceil(omega * 180 / Math.PI / 2.5), 12, 72);  // 12 at least: a short bent flow stays a smooth curve
    var out = [], prev = lon1, sinO = Math.sin(omega);
    for (var i = 0; i <= n; i++) {
      var t = i / n, lat, lon;
      if (omega < 1e-9 || sinO < 1e-9) {
        lat = lat1 + (lat2 - lat1) * t; lon = lon1 + (lon2 - lon1) * t;
      } else {
        var a = Math.sin((1 - t) * omega) / sinO, b = Math.sin(t * omega) / sinO;
        var x = a * u[0] + b * v[0], y = a * u[1] + b * v[1], z = a * u[2] + b * v[2];
        lat = Math.atan2(z, Math.sqrt(x * x + y * y)) * 180 / Math.PI;
        lon = Math.atan2(y, x) * 180 / Math.PI;
      }
      lon = unwrap(lon, prev);
      prev = lon;
      if (Math.abs(lat) > POLAR_LAT) { return null; }
      out.push(lat, lon);
    }
    return out;
  }

  /* The curve of one flow in world pixels (zoom 0) as [x0, y0, x1, y1, ...]: the great
   * circle (or, near the poles, the straight map line), bent to the right of travel by
   * `bend` times its length at most, so the lines A->B and B->A never overlap and no curve
   * can loop. */
  function curve(lat1, lon1, lat2, lon2, bend) {
    var lon2u = unwrap(lon2, lon1);
    var ll = greatCircle(lat1, lon1, lat2, lon2u), pts = [], i;
    if (ll === null) {
      ll = [];
      for (i = 0; i <= 24; i++) {
        ll.push(lat1 + (lat2 - lat1) * i / 24, lon1 + (lon2u - lon1) * i / 24);
      }
    }
    for (i = 0; i < ll.length; i += 2) { pts.push(project(ll[i], ll[i + 1])); }
    var n = pts.length - 1, x0 = pts[0][0], y0 = pts[0][1], x1 = pts[n][0], y1 = pts[n][1];
    var dx = x1 - x0, dy = y1 - y0, len = Math.sqrt(dx * dx + dy * dy);
    var out = new Float64Array(pts.length * 2);
    var nx = len > 0 ? -dy / len : 0, ny = len > 0 ? dx / len : 0;
    for (i = 0; i <= n; i++) {
      var t = i / n, off = bend * len * 4 * t * (1 - t);
      out[2 * i] = pts[i][0] + nx * off;
      out[2 * i + 1] = pts[i][1] + ny * off;
    }
    return out;
  }

  /* The initial great-circle bearing from a to b in degrees [0, 360). */
  function bearing(lat1, lon1, lat2, lon2) {
    var p1 = lat1 * Math.PI / 180, p2 = lat2 * Math.PI / 180, dl = (lon2 - lon1) * Math.PI / 180;
    var y = Math.sin(dl) * Math.cos(p2);
    var x = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
    return (Math.atan2(y, x) * 180 / Math.PI + 360) % 360;
  }

  /* The bend of each flow. Flows that leave (or reach) the same place in nearly the same
   * direction form a corridor; within it the shortest gets the base bend and each longer
   * one a step more, up to a cap, so their curves fan out instead of lying on top of each
   * other, and no curve ever bends more than `max` times its length. With a `mask`, only
   * the flows it shows are fanned out (each view of a playable page as its own map). */
  function corridorBends(spec, mask) {
    var f = spec.flows, p = spec.places, n = f.o.length, st = spec.style;
    var base = st.bend, step = st.bendStep || 0.06, max = st.bendMax || 0.3, spread = 14;
    var bends = new Float64Array(n).fill(base);
    if (n > 20000) { return bends; }
    function distance(hub, other) {
      return Math.abs(p.lat[other] - p.lat[hub]) + Math.abs(p.lon[other] - p.lon[hub]);
    }
    function fan(hub, list) {
      var cluster = [];
      function close() {
        cluster.sort(function (a, b) { return distance(hub, a[2]) - distance(hub, b[2]); });
        for (var r = 0; r < cluster.length; r++) {
          bends[cluster[r][1]] = Math.max(bends[cluster[r][1]], Math.min(max, base + step * r));
        }
        cluster = [];
      }
      list.sort(function (a, b) { return a[0] - b[0]; });
      for (var k = 0; k < list.length; k++) {
        if (cluster.length && list[k][0] - cluster[cluster.length - 1][0] > spread) { close(); }
        cluster.push(list[k]);
      }
      close();
    }
    ["o", "d"].forEach(function (end) {
      var groups = {};
      for (var i = 0; i < n; i++) {
        if (mask && !mask[i]) { continue; }
        var hub = f[end][i], other = end === "o" ? f.d[i] : f.o[i];
        (groups[hub] = groups[hub] || []).push([bearing(p.lat[hub], p.lon[hub], p.lat[other], p.lon[other]), i, other]);
      }
      Object.keys(groups).forEach(function (key) { fan(+key, groups[key]); });
    });
    return bends;
  }

  /* The lanes of parallel flows: flows that leave or reach the same place within
   * LANE_SPREAD degrees of each other (departures and arrivals alike) lie side by side there,
   * each `widths[i]` px wide with LANE_GAP px between, in the order of their bearings, so
   * they never overlap where they start (or end); the offset tapers to nothing along the
   * curve (laneCurve). Returns [start, end] px offsets per flow (left of travel
   * positive), 0 for a flow alone in its direction; with a `mask`, only the flows it shows. */
  function corridorLanes(spec, widths, mask) {
    var f = spec.flows, p = spec.places, n = f.o.length, lanes = new Float64Array(2 * n);
    if (n > 20000) { return lanes; }
    function place(list) {
      var total = LANE_GAP * (list.length - 1), pos;
      for (var r = 0; r < list.length; r++) { total += widths[list[r][1]]; }
      pos = -total / 2;
      for (var q = 0; q < list.length; q++) {
        var j = list[q][1];
        lanes[2 * j + list[q][2]] = list[q][3] * (pos + widths[j] / 2);
        pos += widths[j] + LANE_GAP;
      }
    }
    // Flows leaving and reaching a place share its bundle: [bearing, flow, slot, sign]; at
    // one bearing an arrival first (its bend takes it anticlockwise, a departure's clockwise).
    var groups = {};
    for (var i = 0; i < n; i++) {
      if (mask && !mask[i]) { continue; }
      var o = f.o[i], d = f.d[i];
      (groups[o] = groups[o] || []).push([bearing(p.lat[o], p.lon[o], p.lat[d], p.lon[d]), i, 0, -1]);
      (groups[d] = groups[d] || []).push([bearing(p.lat[d], p.lon[d], p.lat[o], p.lon[o]), i, 1, 1]);
    }
    Object.keys(groups).forEach(function (key) {
      var list = groups[key], cluster = [];
      list.sort(function (a, b) { return a[0] - b[0] || b[2] - a[2] || a[1] - b[1]; });
      for (var k = 0; k <= list.length; k++) {
        if (cluster.length && (k === list.length || list[k][0] - cluster[cluster.length - 1][0] > LANE_SPREAD)) {
          if (cluster.length > 1) { place(cluster); }
          cluster = [];
        }
        if (k < list.length) { cluster.push(list[k]); }
      }
    });
    return lanes;
  }

  /* Curve c (world pixels) moved onto its lane at the map's scale tr.s: `a` px left of
   * travel at its start and `b` px at its end, tapering as (1 − t)² and t² (t: the share of
   * its points), so that the middle stays on the curve and the arrowhead on its lane. */
  function laneCurve(c, tr, a, b) {
    if (!a && !b) { return c; }
    var n = c.length / 2, out = new Float64Array(c.length);
    for (var k = 0; k < n; k++) {
      var i0 = Math.max(0, k - 1), i1 = Math.min(n - 1, k + 1), t = k / (n - 1);
      var ux = c[2 * i1] - c[2 * i0], uy = c[2 * i1 + 1] - c[2 * i0 + 1];
      var len = Math.sqrt(ux * ux + uy * uy) || 1, d = (a * (1 - t) * (1 - t) + b * t * t) / tr.s;
      out[2 * k] = c[2 * k] + uy / len * d;
      out[2 * k + 1] = c[2 * k + 1] - ux / len * d;
    }
    return out;
  }

  /* World pixels [x0, y0, x1, y1] of flow i's two ends, as its curve starts and ends
   * (the destination's longitude within 180° of the origin's), without the curve. */
  function ends(spec, i) {
    var f = spec.flows, p = spec.places;
    var a = project(p.lat[f.o[i]], p.lon[f.o[i]]), b = project(p.lat[f.d[i]], p.lon[f.d[i]]);
    var lon = unwrap(p.lon[f.d[i]], p.lon[f.o[i]]);
    return [a[0], a[1], WORLD * (lon + 180) / 360, b[1]];
  }

  /* A box [x0, y0, x1, y1] sure to hold the curve between two ends [x0, y0, x1, y1] (their
   * box grown by half their distance: no curve bends more than that). */
  function roughBox(e) {
    var grow = 0.5 * Math.sqrt((e[0] - e[2]) * (e[0] - e[2]) + (e[1] - e[3]) * (e[1] - e[3]));
    return [Math.min(e[0], e[2]) - grow, Math.min(e[1], e[3]) - grow,
      Math.max(e[0], e[2]) + grow, Math.max(e[1], e[3]) + grow];
  }

  /* The bounding box [x0, y0, x1, y1] of a curve's points. */
  function curveBox(c) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    for (var k = 0; k < c.length; k += 2) {
      if (c[k] < b[0]) { b[0] = c[k]; }
      if (c[k] > b[2]) { b[2] = c[k]; }
      if (c[k + 1] < b[1]) { b[1] = c[k + 1]; }
      if (c[k + 1] > b[3]) { b[3] = c[k + 1]; }
    }
    return b;
  }

  /* The arrowhead of a curve drawn `w` pixels wide, in screen pixels: a triangle [tip x,
   * tip y, x, y, x, y] along the curve at 70 % of its points, pointing the way of travel,
   * longer than it is wide (ARROW_LONG times the line's width long, ARROW_HALF each side),
   * so that it reads as pointing away from where the flow starts;
   * null where the curve has no direction there. `tr` maps world to screen pixels
   * (x * tr.s + tr.x + dx, y * tr.s + tr.y). */
  function arrowHead(c, tr, dx, w) {
    var n = c.length / 2, k = Math.max(1, Math.min(n - 2, Math.floor(n * 0.7)));
    var ax = c[2 * (k - 1)] * tr.s + tr.x + dx, ay = c[2 * (k - 1) + 1] * tr.s + tr.y;
    var bx = c[2 * (k + 1)] * tr.s + tr.x + dx, by = c[2 * (k + 1) + 1] * tr.s + tr.y;
    var mx = c[2 * k] * tr.s + tr.x + dx, my = c[2 * k + 1] * tr.s + tr.y;
    var ux = bx - ax, uy = by - ay, len = Math.sqrt(ux * ux + uy * uy);
    if (len < 1e-6) { return null; }
    ux /= len; uy /= len;
    var size = Math.max(ARROW_MIN_LONG, w * ARROW_LONG), half = Math.max(ARROW_MIN_HALF, w * ARROW_HALF);
    var tx = mx + ux * size / 2, ty = my + uy * size / 2;
    var bx2 = tx - ux * size, by2 = ty - uy * size;
    return [tx, ty, bx2 - uy * half, by2 + ux * half, bx2 + uy * half, by2 - ux * half];
  }

  /* How a flow `w` px wide is stroked: solid; or, when `dashed` (a modelled figure), a thin
   * one as a dashed line and a wider one (DASH_BAND px and up) as a pale band (`alpha` times
   * the line's opacity) in a fine dashed outline (`outline` px wide, `edge` px either side
   * of the middle), so it never breaks into blocks. */
  function dashLook(w, dashed) {
    if (!dashed) { return { dash: [], alpha: 1, outline: 0, edge: 0, outlineDash: [] }; }
    if (w < DASH_BAND) { return { dash: [Math.max(4, 1.6 * w), Math.max(3, 1.1 * w)], alpha: 1, outline: 0, edge: 0, outlineDash: [] }; }
    return { dash: [], alpha: BAND_ALPHA, outline: OUTLINE, edge: (w - OUTLINE) / 2, outlineDash: OUTLINE_DASH };
  }

  /* Curve c in screen pixels (as arrowHead maps it), moved `d` px to the left of travel
   * (right when negative) along its normals: the edge of a band drawn along it. */
  function offsetLine(c, tr, dx, d) {
    var n = c.length / 2, out = new Float64Array(c.length);
    for (var k = 0; k < n; k++) {
      var a = Math.max(0, k - 1), b = Math.min(n - 1, k + 1);
      var ux = (c[2 * b] - c[2 * a]) * tr.s, uy = (c[2 * b + 1] - c[2 * a + 1]) * tr.s;
      var len = Math.sqrt(ux * ux + uy * uy) || 1;
      out[2 * k] = c[2 * k] * tr.s + tr.x + dx + uy / len * d;
      out[2 * k + 1] = c[2 * k + 1] * tr.s + tr.y - ux / len * d;
    }
    return out;
  }

  flowmap.geo = {
    WORLD: WORLD, clamp: clamp, project: project, unwrap: unwrap, greatCircle: greatCircle,
    curve: curve, bearing: bearing, corridorBends: corridorBends, ends: ends,
    roughBox: roughBox, curveBox: curveBox, arrowHead: arrowHead, dashLook: dashLook,
    offsetLine: offsetLine, corridorLanes: corridorLanes, laneCurve: laneCurve
  };
  if (typeof module === "object" && module.exports) { module.exports = flowmap.geo; }
}(typeof window === "object" ? (window.flowmap = window.flowmap || {}) : {}));
