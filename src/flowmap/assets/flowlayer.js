/* Batken Flowmap: the compact flow layer.
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
    this.visible = null; // null: all flows; else a Uint8Array mask
    this.drawn = [];
    this.fmt = new Intl.NumberFormat(spec.locale || "en");
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
        c = curve(p.lat[f.o[i]], p.lon[f.o[i]], p.lat[f.d[i]], p.lon[f.d[i]], this.spec.style.bend);
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
      map.on("moveend zoomend resize viewreset", function () { self.reset(); });
      map.on("zoomanim", function (e) { self.animate(e); });
      map.on("mousemove", function (e) { if (!self.pinned) { self.hover(e.containerPoint, false); } });
      map.on("click", function (e) { self.pinned = false; self.hover(e.containerPoint, true); });
      map.on("mouseout", function () { if (!self.pinned) { self.hideTip(); } });
      this.reset();
      return this;
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

    draw: function () {
      var t0 = performance.now();
      var ctx = this.canvas.getContext("2d"), ratio = window.devicePixelRatio || 1;
      var size = this.map.getSize(), tr = this.transform(), spec = this.spec, f = spec.flows;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.clearRect(0, 0, size.x, size.y);
      ctx.lineJoin = "round";
      this.drawn = [];
      this.grid = {};
      var styles = spec.style.kinds, dashes = spec.style.dashed || {}, pale = spec.style.pale || {};
      var basis = f.a && f.a[spec.style.styleBy] ? f.a[spec.style.styleBy] : null;
      for (var r = 0; r < this.order.length; r++) {
        var i = this.order[r];
        if (this.visible && !this.visible[i]) { continue; }
        var c = this.curveOf(i), w = this.width(f.c[i]);
        var xs = Infinity, xe = -Infinity, ys = Infinity, ye = -Infinity, k;
        for (k = 0; k < c.length; k += 2) {
          var px = c[k] * tr.s + tr.x, py = c[k + 1] * tr.s + tr.y;
          if (px < xs) { xs = px; } if (px > xe) { xe = px; }
          if (py < ys) { ys = py; } if (py > ye) { ye = py; }
        }
        var colour = styles[f.k ? f.k[i] : 0].colour;
        var code = basis ? basis[i] : -1;
        for (var copy = -1; copy <= 1; copy++) {
          var dx = copy * tr.w;
          if (xe + dx < -w || xs + dx > size.x + w || ye < -w || ys > size.y + w) { continue; }
          ctx.beginPath();
          for (k = 0; k < c.length; k += 2) {
            var x = c[k] * tr.s + tr.x + dx, y = c[k + 1] * tr.s + tr.y;
            if (k === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
          }
          ctx.globalAlpha = pale[code] ? 0.5 : 0.85;
          ctx.strokeStyle = colour;
          ctx.lineWidth = w;
          ctx.lineCap = dashes[code] ? "butt" : "round";
          ctx.setLineDash(dashes[code] ? [Math.max(4, 1.6 * w), Math.max(4, 1.1 * w)] : []);
          ctx.stroke();
          ctx.setLineDash([]);
          this.arrow(ctx, c, tr, dx, w, colour);
          this.index(i, c, tr, dx, w);
          this.drawn.push({ i: i, copy: copy });
        }
      }
      ctx.globalAlpha = 1;
      this.lastDrawMs = performance.now() - t0;
      if (this.onDraw) { this.onDraw(); }
    },

    arrow: function (ctx, c, tr, dx, w, colour) {
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
      ctx.beginPath();
      ctx.moveTo(tx, ty);
      ctx.lineTo(bx2 - uy * half, by2 + ux * half);
      ctx.lineTo(bx2 + uy * half, by2 - ux * half);
      ctx.closePath();
      ctx.globalAlpha = 0.95;
      ctx.fillStyle = colour;
      ctx.fill();
    },

    /* A grid of the drawn segments, for hover. */
    index: function (i, c, tr, dx, w) {
      var cell = 32;
      for (var k = 0; k + 2 < c.length; k += 2) {
        var x1 = c[k] * tr.s + tr.x + dx, y1 = c[k + 1] * tr.s + tr.y;
        var x2 = c[k + 2] * tr.s + tr.x + dx, y2 = c[k + 3] * tr.s + tr.y;
        var pad = w / 2 + 4;
        var gx0 = Math.floor((Math.min(x1, x2) - pad) / cell), gx1 = Math.floor((Math.max(x1, x2) + pad) / cell);
        var gy0 = Math.floor((Math.min(y1, y2) - pad) / cell), gy1 = Math.floor((Math.max(y1, y2) + pad) / cell);
        if (gx1 - gx0 > 200 || gy1 - gy0 > 200) { continue; }
        for (var gx = gx0; gx <= gx1; gx++) {
          for (var gy = gy0; gy <= gy1; gy++) {
            var key = gx + ":" + gy, list = this.grid[key];
            if (!list) { list = this.grid[key] = []; }
            list.push([this.drawn.length, x1, y1, x2, y2, w]);
          }
        }
      }
    },

    /* Return the flow under a container point (the topmost, i.e. the last drawn), or -1. */
    pick: function (p) {
      var list = this.grid[Math.floor(p.x / 32) + ":" + Math.floor(p.y / 32)] || [];
      var best = -1;
      for (var j = 0; j < list.length; j++) {
        var s = list[j], vx = s[3] - s[1], vy = s[4] - s[2], wx = p.x - s[1], wy = p.y - s[2];
        var l2 = vx * vx + vy * vy, t = l2 > 0 ? clamp((wx * vx + wy * vy) / l2, 0, 1) : 0;
        var ex = wx - t * vx, ey = wy - t * vy;
        if (Math.sqrt(ex * ex + ey * ey) <= s[5] / 2 + 3 && s[0] > best) { best = s[0]; }
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

    describe: function (i) {
      var spec = this.spec, f = spec.flows, p = spec.places, txt = spec.text.tip, rows = [];
      rows.push([txt.from, p.name[f.o[i]]]);
      rows.push([txt.to, p.name[f.d[i]]]);
      if (f.t && f.t[i] >= 0) { rows.push([txt.period, spec.times[f.t[i]]]); }
      rows.push([f.k && spec.style.kinds[f.k[i]].net ? txt.net : txt.count, this.fmt.format(f.c[i])]);
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

  window.FlowmapLayer = FlowLayer;
  window.flowmapCurve = curve;
}());
