/* Flowmap: where labels go, without a page (flowmap.labelPlace). The same algorithm as
 * flowmap/render/labelplace.py (the image renderer), checked by the same cases
 * (tests/labelplace_cases.json). Pure: no DOM, no Leaflet.
 *
 * All sizes are pixels of the frame (x to the right, y down). Each label gives its anchor
 * (x, y), its size (w, h), its kind ("place": beside a place circle of radius `radius`;
 * "area": on a point that names an area; "edge": along `path`, a list of [x, y] points
 * tried from the last), its `rank` (lower first), `value` (bigger first among equal
 * ranks) and `circle` (the index of its own circle, which it may touch; -1 for none).
 *
 * Labels are placed in that order (equal ones in the order given). Each tries its
 * positions in order and takes the first whose box, with PAD pixels around it, stays
 * PAD pixels inside the frame and clear of the blocks (title, legend, notes, controls),
 * of every circle but its own (a circle with a `value` smaller than the label's, a lesser
 * place of a dense map, is no obstacle), and of the labels placed before it. A label with no such
 * position is hidden. place() returns, in the order given, null (hidden) or
 * {x, y, dx, dy}: the label's top-left corner in the frame and its offset from the
 * anchor (for an edge label, from the point of its path it took).
 */
(function (flowmap) {
  "use strict";

  var PAD = 2;           // px kept free around a label, and around a block
  var CIRCLE_PAD = 1;    // px added to a circle's radius (its outline)
  var EDGE_RANK = 0.5;   // edge labels: after the chosen places (rank 0), before the rest
  var CELL = 64;         // px: the side of a cell of the grid that finds near neighbours

  /* Rank of a layer's label by its CSS classes (lower is placed first). */
  var CLASS_RANK = { "fm-enclave": 3, "fm-district": 3.5, "fm-centre": 4, "fm-batken": 5 };
  var OTHER_RANK = 6;

  /* The rank of a layer's label: its own number when it has one, else by its classes. */
  function rank(cls, own) {
    if (typeof own === "number") { return own; }
    var names = String(cls || "").split(/\s+/), best = OTHER_RANK;
    for (var i = 0; i < names.length; i++) {
      if (Object.prototype.hasOwnProperty.call(CLASS_RANK, names[i])) {
        best = Math.min(best, CLASS_RANK[names[i]]);
      }
    }
    return best;
  }

  /* Offsets (top-left of the label from its point) to try, in order of preference. */
  function offsets(kind, w, h, r) {
    if (kind === "area") {
      return [
        [-w / 2, -h / 2], [-w / 2, -h * 1.6], [-w / 2, h * 0.6], [6, -h / 2], [-w - 6, -h / 2],
        [-w / 2, h * 1.4], [-w / 2, -h * 2.4], [6, h * 1.4], [-w - 6, h * 1.4]
      ];
    }
    if (kind === "edge") {
      return [[-w / 2, -h / 2], [4, -h - 2], [-w - 4, -h - 2], [4, 4], [-w - 4, 4]];
    }
    var g = r + 3, d = r * 0.7 + 2;
    return [
      [g, -h / 2], [-g - w, -h / 2], [-w / 2, -g - h], [-w / 2, g],
      [d, -d - h], [d, d], [-d - w, -d - h], [-d - w, d]
    ];
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function hitsCircle(r, c) {
    var x = Math.max(r.left, Math.min(c.x, r.right)), y = Math.max(r.top, Math.min(c.y, r.bottom));
    var dx = x - c.x, dy = y - c.y;
    return dx * dx + dy * dy < c.r * c.r;
  }

  /* A grid over the frame: each cell lists the circles and placed boxes that reach it. */
  function Grid(width, height) {
    this.cols = Math.max(1, Math.ceil(width / CELL));
    this.rows = Math.max(1, Math.ceil(height / CELL));
    this.cells = [];
    for (var i = 0; i < this.cols * this.rows; i++) { this.cells.push(null); }
  }
  Grid.prototype.span = function (left, top, right, bottom) {
    var c0 = Math.max(0, Math.floor(left / CELL)), c1 = Math.min(this.cols - 1, Math.floor(right / CELL));
    var r0 = Math.max(0, Math.floor(top / CELL)), r1 = Math.min(this.rows - 1, Math.floor(bottom / CELL));
    return [c0, c1, r0, r1];
  };
  Grid.prototype.add = function (item, left, top, right, bottom) {
    var s = this.span(left, top, right, bottom);
    for (var row = s[2]; row <= s[3]; row++) {
      for (var col = s[0]; col <= s[1]; col++) {
        var k = row * this.cols + col;
        (this.cells[k] || (this.cells[k] = [])).push(item);
      }
    }
  };
  /* Whether box r meets anything in the grid (a circle other than `skip` and not smaller
   * than `value`, or a box). */
  Grid.prototype.hits = function (r, skip, value) {
    var s = this.span(r.left, r.top, r.right, r.bottom);
    for (var row = s[2]; row <= s[3]; row++) {
      for (var col = s[0]; col <= s[1]; col++) {
        var items = this.cells[row * this.cols + col];
        if (!items) { continue; }
        for (var i = 0; i < items.length; i++) {
          var it = items[i];
          var lesser = it.value !== undefined && it.value < value;
          if (it.r !== undefined ? (skip < 0 || it.index !== skip) && !lesser && hitsCircle(r, it) : overlaps(r, it)) {
            return true;
          }
        }
      }
    }
    return false;
  };

  /* Whether the segment (x0, y0)-(x1, y1) meets box r (Liang-Barsky clipping). */
  function clips(x0, y0, x1, y1, r) {
    var t0 = 0, t1 = 1, dx = x1 - x0, dy = y1 - y0;
    var pq = [[-dx, x0 - r.left], [dx, r.right - x0], [-dy, y0 - r.top], [dy, r.bottom - y0]];
    for (var i = 0; i < 4; i++) {
      var p = pq[i][0], q = pq[i][1];
      if (p === 0) {
        if (q < 0) { return false; }
        continue;
      }
      var t = q / p;
      if (p < 0) { t0 = Math.max(t0, t); } else { t1 = Math.min(t1, t); }
      if (t0 > t1) { return false; }
    }
    return true;
  }

  /* A grid of the lines' segments ({x0, y0, x1, y1, half}), by the box each spans grown
   * by half its line's width. */
  function segmentGrid(lines, width, height) {
    var grid = new Grid(width, height);
    for (var l = 0; l < lines.length; l++) {
      var pts = lines[l].points || [], half = num(lines[l].w, 1) / 2;
      for (var k = 0; k + 1 < pts.length; k++) {
        var a = pts[k], b = pts[k + 1];
        var left = Math.min(a[0], b[0]) - half, top = Math.min(a[1], b[1]) - half;
        var right = Math.max(a[0], b[0]) + half, bottom = Math.max(a[1], b[1]) + half;
        if (right < 0 || bottom < 0 || left > width || top > height) { continue; }
        grid.add({ x0: a[0], y0: a[1], x1: b[0], y1: b[1], half: half }, left, top, right, bottom);
      }
    }
    return grid;
  }

  /* Whether a segment of segmentGrid passes through box r (grown by its half width). */
  function crosses(grid, r) {
    var s = grid.span(r.left, r.top, r.right, r.bottom);
    for (var row = s[2]; row <= s[3]; row++) {
      for (var col = s[0]; col <= s[1]; col++) {
        var items = grid.cells[row * grid.cols + col];
        if (!items) { continue; }
        for (var i = 0; i < items.length; i++) {
          var g = items[i], h = g.half;
          if (clips(g.x0, g.y0, g.x1, g.y1, { left: r.left - h, top: r.top - h, right: r.right + h, bottom: r.bottom + h })) {
            return true;
          }
        }
      }
    }
    return false;
  }

  function num(v, fallback) {
    var n = Number(v);
    return isFinite(n) ? n : fallback;
  }

  /* The order labels are placed in: rank, then value (bigger first), then as given. */
  function order(labels) {
    var idx = [];
    for (var i = 0; i < labels.length; i++) { idx.push(i); }
    function rk(l) { return l.kind === "edge" ? EDGE_RANK : num(l.rank, OTHER_RANK); }
    idx.sort(function (a, b) {
      var la = labels[a], lb = labels[b];
      return rk(la) - rk(lb) || num(lb.value, 0) - num(la.value, 0) || a - b;
    });
    return idx;
  }

  /* Place `labels` in a frame of `width` × `height` px with `blocks` ({left, top, right,
   * bottom}) and `circles` ({x, y, r, index, value: optional}) to keep clear of. An area's
   * label takes the first of its positions also clear of the `lines` ({points: [[x, y],
   * ...], w}: the flows), and only when none is, the first clear of the rest: flows never
   * hide a name. */
  function place(width, height, labels, blocks, circles, lines) {
    var grid = new Grid(width, height), walls = [], out = [], i;
    blocks = blocks || [];
    circles = circles || [];
    lines = lines || [];
    var segments = segmentGrid(lines, width, height);
    for (i = 0; i < blocks.length; i++) {
      var b = blocks[i];
      walls.push({ left: b.left - PAD, top: b.top - PAD, right: b.right + PAD, bottom: b.bottom + PAD });
    }
    for (i = 0; i < circles.length; i++) {
      var c = circles[i], cr = c.r + CIRCLE_PAD;
      var dot = { x: c.x, y: c.y, r: cr, index: c.index === undefined ? -1 : c.index };
      if (typeof c.value === "number") { dot.value = c.value; }
      // A circle off the frame cannot meet a label inside it.
      if (c.x + cr < 0 || c.y + cr < 0 || c.x - cr > width || c.y - cr > height) { continue; }
      grid.add(dot, c.x - cr, c.y - cr, c.x + cr, c.y + cr);
    }
    for (i = 0; i < labels.length; i++) { out.push(null); }

    function free(r, skip, value, avoid) {
      if (r.left < PAD || r.top < PAD || r.right > width - PAD || r.bottom > height - PAD) { return false; }
      for (var k = 0; k < walls.length; k++) { if (overlaps(r, walls[k])) { return false; } }
      return !grid.hits(r, skip, value) && !(avoid && crosses(segments, r));
    }

    var seq = order(labels);
    for (var s = 0; s < seq.length; s++) {
      var l = labels[seq[s]], w = num(l.w, 0), h = num(l.h, 0);
      var offs = offsets(l.kind, w, h, num(l.radius, 0));
      var points = l.kind === "edge" ? (l.path || []) : [[l.x, l.y]];
      var skip = typeof l.circle === "number" ? l.circle : -1;
      var done = false, tries = l.kind === "area" && lines.length ? [true, false] : [false];
      for (var t = 0; t < tries.length && !done; t++) {
        for (var p = points.length - 1; p >= 0 && !done; p--) {
          var px = points[p][0], py = points[p][1];
          for (var o = 0; o < offs.length && !done; o++) {
            var x = px + offs[o][0], y = py + offs[o][1];
            var r = { left: x - PAD, top: y - PAD, right: x + w + PAD, bottom: y + h + PAD };
            if (free(r, skip, num(l.value, 0), tries[t])) {
              grid.add(r, r.left, r.top, r.right, r.bottom);
              out[seq[s]] = { x: x, y: y, dx: offs[o][0], dy: offs[o][1] };
              done = true;
            }
          }
        }
      }
    }
    return out;
  }

  flowmap.labelPlace = {
    place: place, rank: rank, offsets: offsets, PAD: PAD, CIRCLE_PAD: CIRCLE_PAD,
    EDGE_RANK: EDGE_RANK, CLASS_RANK: CLASS_RANK
  };
  if (typeof module === "object" && module.exports) { module.exports = flowmap.labelPlace; }
}(typeof window === "object" ? (window.flowmap = window.flowmap || {}) : {}));
