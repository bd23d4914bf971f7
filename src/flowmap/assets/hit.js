/* Flowmap: which flow is under the mouse. The drawn segments are put into a grid of 32 px
 * cells once after a draw; a point then looks only at the segments of its cell. Pure: no
 * DOM, no Leaflet. */
(function (flowmap) {
  "use strict";

  var CELL = 32;

  /* The grid of the drawn flows: `drawn` lists {i, dx, w} (flow, world-copy offset and
   * width in pixels), `curves[i]` (or `curves(i)`, a function) the world points of flow i
   * as drawn, `tr` maps world to screen pixels. Each cell holds runs of [index into drawn,
   * x1, y1, x2, y2, width]. */
  function buildGrid(drawn, curves, tr) {
    var grid = {}, curveOf = typeof curves === "function" ? curves : function (i) { return curves[i]; };
    for (var j = 0; j < drawn.length; j++) {
      var d = drawn[j], c = curveOf(d.i), pad = d.w / 2 + 4;
      for (var k = 0; k + 2 < c.length; k += 2) {
        var x1 = c[k] * tr.s + tr.x + d.dx, y1 = c[k + 1] * tr.s + tr.y;
        var x2 = c[k + 2] * tr.s + tr.x + d.dx, y2 = c[k + 3] * tr.s + tr.y;
        var gx0 = Math.floor((Math.min(x1, x2) - pad) / CELL), gx1 = Math.floor((Math.max(x1, x2) + pad) / CELL);
        var gy0 = Math.floor((Math.min(y1, y2) - pad) / CELL), gy1 = Math.floor((Math.max(y1, y2) + pad) / CELL);
        if (gx1 < -1 || gy1 < -1 || gx0 > 400 || gy0 > 400 || (gx1 - gx0) * (gy1 - gy0) > 2500) { continue; }
        for (var gx = gx0; gx <= gx1; gx++) {
          for (var gy = gy0; gy <= gy1; gy++) {
            var key = gx + ":" + gy, list = grid[key];
            if (!list) { list = grid[key] = []; }
            list.push(j, x1, y1, x2, y2, d.w);
          }
        }
      }
    }
    return grid;
  }

  /* The index into `drawn` of the flow under screen point p ({x, y}), or -1: a segment
   * within half its width and 3 px of the point; thinner lines are drawn on top of wider
   * ones, so the thinnest under the mouse wins. */
  function pick(grid, p) {
    var list = grid[Math.floor(p.x / CELL) + ":" + Math.floor(p.y / CELL)] || [];
    var best = -1, bestW = Infinity;
    for (var j = 0; j < list.length; j += 6) {
      var x1 = list[j + 1], y1 = list[j + 2], vx = list[j + 3] - x1, vy = list[j + 4] - y1;
      var wx = p.x - x1, wy = p.y - y1, w = list[j + 5];
      var l2 = vx * vx + vy * vy, t = l2 > 0 ? Math.min(1, Math.max(0, (wx * vx + wy * vy) / l2)) : 0;
      var ex = wx - t * vx, ey = wy - t * vy;
      if (Math.sqrt(ex * ex + ey * ey) <= w / 2 + 3 && w < bestW) { best = list[j]; bestW = w; }
    }
    return best;
  }

  flowmap.hit = { buildGrid: buildGrid, pick: pick };
  if (typeof module === "object" && module.exports) { module.exports = flowmap.hit; }
}(typeof window === "object" ? (window.flowmap = window.flowmap || {}) : {}));
