/* Flowmap: the compact flow layer.
 *
 * The page carries each place once and each flow as indices, a count and attribute codes
 * (see flowmap/layer.py for the format). Curves, arrowheads, widths and colours are
 * computed here and drawn on one canvas; hover and click show what a flow is.
 *
 * Every text from data is put into the page with textContent, never as HTML.
 */
(function () {
  "use strict";

  var WORLD = 256; // Web Mercator world size in pixels at zoom 0
  var MAX_LAT = 85.0511287798;
  var POLAR_LAT = 75; // great circles that reach beyond this are drawn straight on the map

  function clamp(v, lo, hi) { return v < lo ? lo : v > hi ? hi : v; }

  function project(lat, lon) {
    var s = Math.sin(clamp(lat, -MAX_LAT, MAX_LAT) * Math.PI / 180);
    return [WORLD * (lon + 180) / 360, WORLD * (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI))];
  }

  function unit(lat, lon) {
    var p = lat * Math.PI / 180, l = lon * Math.PI / 180;
    return [Math.cos(p) * Math.cos(l), Math.cos(p) * Math.sin(l), Math.sin(p)];
  }

  /* Points along the great circle from a to b, longitudes unwrapped from a's (so a line
   * crossing the antimeridian stays continuous), or null when it passes near a pole. */
  function greatCircle(lat1, lon1, lat2, lon2) {
    var u = unit(lat1, lon1), v = unit(lat2, lon2);
    var dot = clamp(u[0] * v[0] + u[1] * v[1] + u[2] * v[2], -1, 1);
    var omega = Math.acos(dot);
    var n = clamp(Math.ceil(omega * 180 / Math.PI / 2.5), 6, 72);
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
      while (lon - prev > 180) { lon -= 360; }
      while (lon - prev < -180) { lon += 360; }
      prev = lon;
      if (Math.abs(lat) > POLAR_LAT) { return null; }
      out.push(lat, lon);
    }
    return out;
  }

  /* The curve of one flow in world pixels (zoom 0): the great circle (or, near the poles,
   * the straight map line), bent to the right of travel by `bend` times its length at
   * most, so the lines A->B and B->A never overlap and no curve can loop. */
  function curve(lat1, lon1, lat2, lon2, bend) {
    var lon2u = lon2;
    while (lon2u - lon1 > 180) { lon2u -= 360; }
    while (lon2u - lon1 < -180) { lon2u += 360; }
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
    ["o", "d"].forEach(function (end) {
      var groups = {};
      for (var i = 0; i < n; i++) {
        if (mask && !mask[i]) { continue; }
        var hub = f[end][i], other = end === "o" ? f.d[i] : f.o[i];
        (groups[hub] = groups[hub] || []).push([bearing(p.lat[hub], p.lon[hub], p.lat[other], p.lon[other]), i, other]);
      }
      Object.keys(groups).forEach(function (hub) {
        var list = groups[hub].sort(function (a, b) { return a[0] - b[0]; }), cluster = [];
        function close() {
          cluster.sort(function (a, b) {
            var h = +hub, da = Math.abs(p.lat[a[2]] - p.lat[h]) + Math.abs(p.lon[a[2]] - p.lon[h]);
            var db = Math.abs(p.lat[b[2]] - p.lat[h]) + Math.abs(p.lon[b[2]] - p.lon[h]);
            return da - db;
          });
          for (var r = 0; r < cluster.length; r++) {
            bends[cluster[r][1]] = Math.max(bends[cluster[r][1]], Math.min(max, base + step * r));
          }
          cluster = [];
        }
        for (var k = 0; k < list.length; k++) {
          if (cluster.length && list[k][0] - cluster[cluster.length - 1][0] > spread) { close(); }
          cluster.push(list[k]);
        }
        close();
      });
    });
    return bends;
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function FlowLayer(spec) {
    this.spec = spec;
    var f = spec.flows;
    this.n = f.o.length;
    this.curves = new Array(this.n);
    this.order = [];
    for (var i = 0; i < this.n; i++) { this.order.push(i); }
    var c = f.c;
    this.order.sort(function (a, b) { return c[b] - c[a]; });
    this.bends = corridorBends(spec);
    this.visible = null; // null: all flows; else a Uint8Array mask
    this.drawn = [];
    this.fmt = numberFormat(spec.numbers);
  }

  /* Whole numbers written as the page's language writes them. The symbols come from the
   * page (CLDR data through Babel: a non-breaking space and a comma in Kyrgyz and Russian,
   * a true minus U+2212), because a browser's own Intl data may lack a language (Chromium
   * formats "ky" as English). Intl's English grouping is mapped onto them. */
  function numberFormat(symbols) {
    var base = new Intl.NumberFormat("en");
    var s = symbols || { group: ",", decimal: ".", minus: "\u2212" };
    var map = { ",": s.group, ".": s.decimal, "-": s.minus };
    return {
      format: function (n) {
        return base.format(n).replace(/[,.\-]/g, function (c) { return map[c]; });
      }
    };
  }

  FlowLayer.prototype = {
    width: function (count) {
      var s = this.spec.scale;
      return Math.max(s.minPx, s.maxPx * Math.sqrt(Math.max(0, count) / s.maxCount));
    },

    curveOf: function (i) {
      var c = this.curves[i];
      if (!c) {
        var f = this.spec.flows, p = this.spec.places;
        c = curve(p.lat[f.o[i]], p.lon[f.o[i]], p.lat[f.d[i]], p.lon[f.d[i]], this.bends[i]);
        this.curves[i] = c;
      }
      return c;
    },

    addTo: function (map) {
      this.map = map;
      var pane = map.createPane("fm-flows");
      pane.style.zIndex = 450;
      pane.style.pointerEvents = "none";
      this.canvas = el("canvas", "fm-canvas leaflet-zoom-animated");
      pane.appendChild(this.canvas);
      this.tip = el("div", "fm-tip");
      this.tip.style.display = "none";
      map.getContainer().appendChild(this.tip);
      var self = this;
      map.on("moveend zoomend resize viewreset", function () { self.schedule(); });
      map.on("zoomanim", function (e) { self.animate(e); });
      // Listen on the map's element itself: Leaflet hands a move over an interactive canvas
      // layer (the place circles) to that layer, not to the map, so map events would miss it.
      var box = map.getContainer();
      function onControl(e) { return e.target && e.target.closest && e.target.closest(".leaflet-control"); }
      L.DomEvent.on(box, "mousemove", function (e) {
        if (onControl(e)) { if (!self.pinned) { self.hideTip(); } return; }
        if (!self.pinned) { self.hover(map.mouseEventToContainerPoint(e), false); }
      });
      L.DomEvent.on(box, "click", function (e) {
        if (onControl(e)) { return; }
        self.pinned = false;
        self.hover(map.mouseEventToContainerPoint(e), true);
      });
      L.DomEvent.on(box, "mouseleave", function () { if (!self.pinned) { self.hideTip(); } });
      this.schedule();
      return this;
    },

    /* Redraw once per animation frame, however many map events arrive. */
    schedule: function () {
      var self = this;
      if (this.pending) { return; }
      this.pending = true;
      window.requestAnimationFrame(function () { self.pending = false; self.reset(); });
    },

    animate: function (e) {
      var map = this.map;
      var scale = map.getZoomScale(e.zoom);
      var offset = map._latLngBoundsToNewLayerBounds(this.bounds, e.zoom, e.center).min;
      L.DomUtil.setTransform(this.canvas, offset, scale);
    },

    reset: function () {
      var map = this.map, size = map.getSize(), ratio = window.devicePixelRatio || 1;
      var topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(this.canvas, topLeft);
      this.bounds = map.getBounds();
      this.canvas.width = Math.round(size.x * ratio);
      this.canvas.height = Math.round(size.y * ratio);
      this.canvas.style.width = size.x + "px";
      this.canvas.style.height = size.y + "px";
      this.draw();
    },

    /* Screen position of world point (x, y) shifted by k worlds. */
    transform: function () {
      var map = this.map, zoom = map.getZoom(), scale = Math.pow(2, zoom);
      var origin = map.getPixelOrigin(), topLeft = map.containerPointToLayerPoint([0, 0]);
      return { s: scale, x: -origin.x - topLeft.x, y: -origin.y - topLeft.y, w: WORLD * scale };
    },

    /* Draw every visible flow, largest first. Flows are grouped by style (colour, width
     * in half pixels, dash, paleness) and stroked a few hundred at a time. A busy map is
     * drawn progressively: the largest flows in the first frame (so the map appears at
     * once), the thinner ones on top of them in the frames that follow. */
    draw: function () {
      var t0 = performance.now();
      var ctx = this.canvas.getContext("2d"), ratio = window.devicePixelRatio || 1;
      var size = this.map.getSize(), tr = this.transform(), spec = this.spec, f = spec.flows;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      ctx.lineJoin = "round";
      this.drawn = [];
      this.grid = null;
      this.tr = tr;
      var queue = [];
      for (var r = 0; r < this.order.length; r++) {
        var i = this.order[r];
        if (this.visible && !this.visible[i]) { continue; }
        var w = Math.round(this.width(f.c[i]) * 2) / 2;
        var box = this.curves[i] ? this.box(i, this.curves[i]) : this.roughBox(i);
        var xs = box[0] * tr.s + tr.x, xe = box[2] * tr.s + tr.x;
        var ys = box[1] * tr.s + tr.y, ye = box[3] * tr.s + tr.y;
        for (var copy = -1; copy <= 1; copy++) {
          var dx = copy * tr.w;
          if (xe + dx < -w || xs + dx > size.x + w || ye < -w || ys > size.y + w) { continue; }
          queue.push({ i: i, copy: copy, dx: dx, w: w });
        }
      }
      this.generation = (this.generation || 0) + 1;
      this.complete = false;
      if (this.onStart) { this.onStart(); }
      this.drawBatch(queue, 0, this.generation);
      this.lastDrawMs = performance.now() - t0;
      if (this.onDraw) { this.onDraw(); }
    },

    /* Draw queue[from..]: the largest FIRST flows in the first frame (so the map shows at
     * once), then slices of SLICE flows, as many per animation frame as fit in BUDGET ms of
     * script. Rasterising the strokes costs more than recording them, so frames stay short
     * and the page keeps answering the mouse while a busy map fills in. A newer draw
     * cancels an older one. */
    drawBatch: function (queue, from, generation) {
      if (generation !== this.generation) { return; }
      var FIRST = 300, SLICE = 400, BUDGET = from === 0 ? 0 : 10;
      var start = performance.now(), self = this;
      var to = Math.min(queue.length, from + (from === 0 ? FIRST : SLICE));
      this.drawRange(queue, from, to);
      while (to < queue.length && performance.now() - start < BUDGET) {
        var next = Math.min(queue.length, to + SLICE);
        this.drawRange(queue, to, next);
        to = next;
      }
      this.grid = null;
      if (to < queue.length) {
        window.requestAnimationFrame(function () { self.drawBatch(queue, to, generation); });
      } else {
        this.complete = true;
        if (this.onComplete) { this.onComplete(); }
      }
    },

    /* Draw queue[from..to): flows grouped by style (widest first), stroked in chunks. */
    drawRange: function (queue, from, to) {
      var CHUNK = 256, tr = this.tr, spec = this.spec, f = spec.flows;
      var ctx = this.canvas.getContext("2d");
      var styles = spec.style.kinds, dashes = spec.style.dashed || {}, pale = spec.style.pale || {};
      var basis = f.a && f.a[spec.style.styleBy] ? f.a[spec.style.styleBy] : null;
      var groups = {}, keys = [], q;
      for (q = from; q < to; q++) {
        var d = queue[q], kind = f.k ? f.k[d.i] : 0, code = basis ? basis[d.i] : -1;
        var key = d.w + "|" + kind + "|" + (dashes[code] ? 1 : 0) + "|" + (pale[code] ? 1 : 0);
        var group = groups[key];
        if (!group) {
          group = groups[key] = { w: d.w, colour: styles[kind].colour, dash: !!dashes[code], pale: !!pale[code], items: [] };
          keys.push(key);
        }
        group.items.push(d.i, d.dx);
        this.drawn.push(d);
      }
      keys.sort(function (a, b) { return groups[b].w - groups[a].w; });
      for (var g = 0; g < keys.length; g++) {
        var grp = groups[keys[g]], items = grp.items, k, j, start;
        ctx.globalAlpha = grp.pale ? 0.5 : 0.85;
        ctx.strokeStyle = grp.colour;
        ctx.lineWidth = grp.w;
        ctx.lineCap = grp.dash ? "butt" : "round";
        ctx.setLineDash(grp.dash ? [Math.max(4, 1.6 * grp.w), Math.max(4, 1.1 * grp.w)] : []);
        // One path of thousands of wide, overlapping sub-paths is far slower to rasterise
        // than several small ones.
        for (start = 0; start < items.length; start += 2 * CHUNK) {
          ctx.beginPath();
          for (j = start; j < Math.min(items.length, start + 2 * CHUNK); j += 2) {
            var cv = this.curveOf(items[j]), off = items[j + 1];
            ctx.moveTo(cv[0] * tr.s + tr.x + off, cv[1] * tr.s + tr.y);
            for (k = 2; k < cv.length; k += 2) { ctx.lineTo(cv[k] * tr.s + tr.x + off, cv[k + 1] * tr.s + tr.y); }
          }
          ctx.stroke();
        }
        ctx.setLineDash([]);
        ctx.globalAlpha = 0.95;
        ctx.fillStyle = grp.colour;
        for (start = 0; start < items.length; start += 2 * CHUNK) {
          ctx.beginPath();
          for (j = start; j < Math.min(items.length, start + 2 * CHUNK); j += 2) {
            this.arrow(ctx, this.curves[items[j]], tr, items[j + 1], grp.w);
          }
          ctx.fill();
        }
      }
      ctx.globalAlpha = 1;
    },

    /* A box sure to hold flow i's curve (its ends' box grown by half its length), used
     * to skip flows out of view before their curves are computed. */
    roughBox: function (i) {
      var e = this.ends(i), a = [e[0], e[1]], b = [e[2], e[3]];
      var grow = 0.5 * Math.sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]));
      return [Math.min(a[0], b[0]) - grow, Math.min(a[1], b[1]) - grow,
              Math.max(a[0], b[0]) + grow, Math.max(a[1], b[1]) + grow];
    },

    /* World pixels [x0, y0, x1, y1] of flow i's two ends, as its curve starts and ends
     * (the destination's longitude within 180° of the origin's), without the curve. */
    ends: function (i) {
      var f = this.spec.flows, p = this.spec.places;
      var a = project(p.lat[f.o[i]], p.lon[f.o[i]]), b = project(p.lat[f.d[i]], p.lon[f.d[i]]);
      var lon = p.lon[f.d[i]];
      while (lon - p.lon[f.o[i]] > 180) { lon -= 360; }
      while (lon - p.lon[f.o[i]] < -180) { lon += 360; }
      return [a[0], a[1], WORLD * (lon + 180) / 360, b[1]];
    },

    /* The distinct places at either end of the flows shown (all flows without `visible`). */
    endPlaces: function (visible) {
      var f = this.spec.flows, seen = {}, out = [];
      for (var i = 0; i < f.o.length; i++) {
        if (visible && !visible[i]) { continue; }
        if (!seen[f.o[i]]) { seen[f.o[i]] = true; out.push(f.o[i]); }
        if (!seen[f.d[i]]) { seen[f.d[i]] = true; out.push(f.d[i]); }
      }
      return out;
    },

    /* The bounding box of flow i's curve in world pixels, cached. */
    box: function (i, c) {
      if (!this.boxes) { this.boxes = new Array(this.n); }
      var b = this.boxes[i];
      if (!b) {
        b = [Infinity, Infinity, -Infinity, -Infinity];
        for (var k = 0; k < c.length; k += 2) {
          if (c[k] < b[0]) { b[0] = c[k]; } if (c[k] > b[2]) { b[2] = c[k]; }
          if (c[k + 1] < b[1]) { b[1] = c[k + 1]; } if (c[k + 1] > b[3]) { b[3] = c[k + 1]; }
        }
        this.boxes[i] = b;
      }
      return b;
    },

    /* Add flow c's arrowhead (a triangle along the curve at 70 % of its points) to the
     * current path. */
    arrow: function (ctx, c, tr, dx, w) {
      var n = c.length / 2, k = Math.max(1, Math.min(n - 2, Math.floor(n * 0.7)));
      var ax = c[2 * (k - 1)] * tr.s + tr.x + dx, ay = c[2 * (k - 1) + 1] * tr.s + tr.y;
      var bx = c[2 * (k + 1)] * tr.s + tr.x + dx, by = c[2 * (k + 1) + 1] * tr.s + tr.y;
      var mx = c[2 * k] * tr.s + tr.x + dx, my = c[2 * k + 1] * tr.s + tr.y;
      var ux = bx - ax, uy = by - ay, len = Math.sqrt(ux * ux + uy * uy);
      if (len < 1e-6) { return; }
      ux /= len; uy /= len;
      var size = Math.max(9, w * 1.6), half = Math.max(5, w * 1.05);
      var tx = mx + ux * size / 2, ty = my + uy * size / 2;
      var bx2 = tx - ux * size, by2 = ty - uy * size;
      ctx.moveTo(tx, ty);
      ctx.lineTo(bx2 - uy * half, by2 + ux * half);
      ctx.lineTo(bx2 + uy * half, by2 - ux * half);
      ctx.closePath();
    },

    /* A grid of the drawn segments (32 px cells), built on the first hover after a draw. */
    buildGrid: function () {
      var cell = 32, tr = this.tr, grid = {};
      for (var j = 0; j < this.drawn.length; j++) {
        var d = this.drawn[j], c = this.curves[d.i], pad = d.w / 2 + 4;
        for (var k = 0; k + 2 < c.length; k += 2) {
          var x1 = c[k] * tr.s + tr.x + d.dx, y1 = c[k + 1] * tr.s + tr.y;
          var x2 = c[k + 2] * tr.s + tr.x + d.dx, y2 = c[k + 3] * tr.s + tr.y;
          var gx0 = Math.floor((Math.min(x1, x2) - pad) / cell), gx1 = Math.floor((Math.max(x1, x2) + pad) / cell);
          var gy0 = Math.floor((Math.min(y1, y2) - pad) / cell), gy1 = Math.floor((Math.max(y1, y2) + pad) / cell);
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
      this.grid = grid;
    },

    /* Return the flow under a container point (the topmost, i.e. the last drawn), or -1. */
    pick: function (p) {
      if (!this.grid) { this.buildGrid(); }
      var list = this.grid[Math.floor(p.x / 32) + ":" + Math.floor(p.y / 32)] || [];
      var best = -1, bestW = Infinity;
      for (var j = 0; j < list.length; j += 6) {
        var x1 = list[j + 1], y1 = list[j + 2], vx = list[j + 3] - x1, vy = list[j + 4] - y1;
        var wx = p.x - x1, wy = p.y - y1, w = list[j + 5];
        var l2 = vx * vx + vy * vy, t = l2 > 0 ? clamp((wx * vx + wy * vy) / l2, 0, 1) : 0;
        var ex = wx - t * vx, ey = wy - t * vy;
        // Thinner lines are drawn on top of wider ones: prefer the thinnest under the mouse.
        if (Math.sqrt(ex * ex + ey * ey) <= w / 2 + 3 && w < bestW) { best = list[j]; bestW = w; }
      }
      return best < 0 ? -1 : this.drawn[best].i;
    },

    hover: function (p, pin) {
      var i = this.pick(p);
      this.hovered = i;
      if (i < 0) { this.hideTip(); return; }
      this.pinned = pin;
      this.showTip(p, this.describe(i));
    },

    /* The figure of flow i as the page writes it. A net view (text.tip.signed: the kind of
     * flow that is a loss) says net with its sign: a loss with a true minus, a gain with a
     * plus; tooltips and edge labels share this. */
    valueText: function (i) {
      var spec = this.spec, f = spec.flows, signed = spec.text.tip && spec.text.tip.signed;
      var kind = f.k ? spec.style.kinds[f.k[i]] : null, shown = this.fmt.format(f.c[i]);
      if (signed && kind && kind.kind) { shown = kind.kind === signed ? this.fmt.format(-f.c[i]) : "+" + shown; }
      return shown;
    },

    describe: function (i) {
      var spec = this.spec, f = spec.flows, p = spec.places, txt = spec.text.tip, rows = [];
      var kind = f.k ? spec.style.kinds[f.k[i]] : null;
      if (txt.signed && txt.place && kind && kind.kind) {
        // A net view: a balance of the place with another, not a flow from one to the other
        // ("From A / To B / Net −2,015" read as a double negative). A loss is
        // drawn away from the place, a gain towards it.
        var loss = kind.kind === txt.signed;
        rows.push([txt.place, p.name[loss ? f.o[i] : f.d[i]]]);
        rows.push([txt["with"], p.name[loss ? f.d[i] : f.o[i]]]);
        if (f.t && f.t[i] >= 0) { rows.push([txt.period, spec.times[f.t[i]]]); }
        rows.push([txt.netFocus || txt.net, this.valueText(i)]);
      } else {
        rows.push([txt.from, p.name[f.o[i]]]);
        rows.push([txt.to, p.name[f.d[i]]]);
        if (f.t && f.t[i] >= 0) { rows.push([txt.period, spec.times[f.t[i]]]); }
        rows.push([(kind && kind.net) || txt.signed ? txt.net : txt.count, this.valueText(i)]);
      }
      var attrs = spec.attributes || [];
      for (var a = 0; a < attrs.length; a++) {
        var codes = f.a[attrs[a].key], code = codes ? codes[i] : -1;
        if (code >= 0 && attrs[a].labels[code] !== "") { rows.push([attrs[a].label, attrs[a].labels[code]]); }
      }
      return rows;
    },

    showTip: function (p, rows) {
      var tip = this.tip;
      tip.textContent = "";
      for (var r = 0; r < rows.length; r++) {
        var line = el("div", "fm-tip-row");
        line.appendChild(el("b", null, rows[r][0] + ": "));
        line.appendChild(document.createTextNode(String(rows[r][1])));
        tip.appendChild(line);
      }
      tip.style.display = "block";
      var size = this.map.getSize();
      var x = p.x + 14, y = p.y + 14;
      if (x + tip.offsetWidth > size.x) { x = Math.max(0, p.x - tip.offsetWidth - 14); }
      if (y + tip.offsetHeight > size.y) { y = Math.max(0, p.y - tip.offsetHeight - 14); }
      tip.style.left = x + "px";
      tip.style.top = y + "px";
    },

    hideTip: function () { this.tip.style.display = "none"; this.pinned = false; },

    /* Show only the flows whose mask entry is set (null: all) and redraw: the flows of a
     * view of a playable page fan out among themselves, as on that view's own map. */
    setVisible: function (mask) {
      this.visible = mask || null;
      var bends = corridorBends(this.spec, this.visible);
      for (var i = 0; i < this.n; i++) {
        if (bends[i] !== this.bends[i]) {
          this.curves[i] = null;
          if (this.boxes) { this.boxes[i] = null; }
        }
      }
      this.bends = bends;
      this.grid = null;
      if (this.map && this.canvas) {
        this.hideTip();
        this.draw();
      }
    },

    /* What is drawn, for tests and scripts: one entry per flow (not per world copy). */
    drawnFlows: function () {
      var f = this.spec.flows, p = this.spec.places, seen = {}, out = [];
      for (var j = 0; j < this.drawn.length; j++) {
        var i = this.drawn[j].i;
        if (seen[i]) { continue; }
        seen[i] = true;
        out.push({ origin: p.id[f.o[i]], dest: p.id[f.d[i]], count: f.c[i], width: this.width(f.c[i]) });
      }
      return out;
    },

    /* Container point of flow i's curve at fraction t of its points (for tests). */
    pointOf: function (i, t) {
      var c = this.curveOf(i), tr = this.transform(), n = c.length / 2 - 1, k = Math.round(t * n);
      return { x: c[2 * k] * tr.s + tr.x, y: c[2 * k + 1] * tr.s + tr.y };
    }
  };

  /* Leaflet's layer control writes names with innerHTML: give it escaped text. */
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  /* DOM helpers shared by the page's scripts (flowmap.js, labels.js, inset.js, player.js):
   * every text goes in with textContent. */
  window.flowmapDom = { el: el, escapeHtml: escapeHtml };
  window.FlowmapLayer = FlowLayer;
  window.flowmapNumberFormat = numberFormat;
  window.flowmapCurve = curve;
}());
