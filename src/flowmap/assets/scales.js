/* Flowmap: the scales of the map. A line's width grows with the square root of its count
 * (its area with the count, as flowmap/layer.py's legend says), a place circle's area with
 * the place's arrivals + departures, each on its own scale. Pure: no DOM, no Leaflet. */
(function (flowmap) {
  "use strict";

  /* The width in pixels of a line of `count` people on the spec's scale
   * ({minPx, maxPx, maxCount}): never thinner than minPx, never wider than maxPx (a flow
   * larger than maxCount, summed on a clustered map zoomed far out, is drawn as wide as
   * the widest line, and the legend's widest sample says "or more": legend.atLeast). */
  function width(scale, count) {
    var share = Math.min(1, Math.sqrt(Math.max(0, count) / scale.maxCount));
    return Math.max(scale.minPx, scale.maxPx * share);
  }

  /* The opacity [line, arrowhead] of a line of `count` people on the spec's scale and
   * fade ([lowest, highest]: style.fade): rising with the square root of the count, as
   * the width does, in steps of 0.05 (lines of one step are stroked together); a pale
   * line at 0.6 of that; arrowheads at 0.95 for the largest, in proportion below. */
  function alpha(scale, fade, count, pale) {
    var lo = fade ? fade[0] : 0.85, hi = fade ? fade[1] : 0.85;
    var share = Math.min(1, Math.sqrt(Math.max(0, count) / Math.max(scale.maxCount, 1e-12)));
    var a = lo + (hi - lo) * share;
    var line = Math.round((pale ? a * 0.6 : a) * 20) / 20;
    return [line, Math.round(0.95 * a / hi * 20) / 20];
  }

  /* The colour of a line of `count` people on a ramp (style.ramp: colours, smallest
   * first), by the same share as its width and opacity (render/theme.ramp_index); null
   * without a ramp (the kind's own colour). */
  function rampColour(scale, ramp, count) {
    if (!ramp || !ramp.length) { return null; }
    var share = Math.min(1, Math.sqrt(Math.max(0, count) / Math.max(scale.maxCount, 1e-12)));
    return ramp[Math.min(ramp.length - 1, Math.max(0, Math.floor(share * ramp.length)))];
  }

  /* The radius in pixels of a place circle of `total` people when the largest is `most`
   * (at least 3 px; `maxRadius` px, 16 without one, for the largest). */
  function radius(maxRadius, total, most) {
    return Math.max(3, (maxRadius || 16) * Math.sqrt(total / most));
  }

  /* The largest place total of the spec (at least 1, so that radii stay finite). */
  function largestTotal(spec) {
    var most = 1, tot = spec.totals;
    for (var m = 0; m < spec.places.id.length; m++) { most = Math.max(most, tot ? tot.total[m] : 0); }
    return most;
  }

  flowmap.scales = { width: width, alpha: alpha, rampColour: rampColour, radius: radius, largestTotal: largestTotal };
  if (typeof module === "object" && module.exports) { module.exports = flowmap.scales; }
}(typeof window === "object" ? (window.flowmap = window.flowmap || {}) : {}));
