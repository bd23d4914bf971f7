/* Flowmap: the compact flow layer.
 *
 * The page carries each place once and each flow as indices, a count and attribute codes
 * (see flowmap/layer.py for the format). Curves, arrowheads, widths and colours are
 * computed here (with geo.js, scales.js, hit.js and tips.js) and drawn on one canvas;
 * hover and click show what a flow is.
 *
 * Every text from data is put into the page with textContent, never as HTML.
 */
(function (flowmap) {
  "use strict";

  var geo = flowmap.geo, scales = flowmap.scales, hit = flowmap.hit, tips = flowmap.tips;
  var el = flowmap.dom.el;

  function FlowLayer(spec) {
    this.use(spec);
    this.fmt = flowmap.format.numberFormat(spec.numbers);
  }

  FlowLayer.prototype = {
    /* Draw the flows of `spec` from now on (a clustered map's view at a new zoom). */
    use: function (spec) {
      this.spec = spec;
      var f = spec.flows;
      this.n = f.o.length;
      this.curves = new Array(this.n);
      this.boxes = null;
      this.grid = null;
      this.order = [];
      for (var i = 0; i < this.n; i++) { this.order.push(i); }
      var c = f.c;
      this.order.sort(function (a, b) { return c[b] - c[a]; });
      this.bends = geo.corridorBends(spec);
      this.visible = null; // null: all flows; else a Uint8Array mask
      this.lanes = this.lanesOf(null);
      this.drawn = [];
    },

    width: function (count) { return scales.width(this.spec.scale, count); },

    /* Flow i's width: by its count; on a map of change, a pair in one period only (kind
     * "once", no change computed) the thinnest, claiming no size of change. */
    flowWidth: function (i) {
      var f = this.spec.flows, kind = f.k ? this.spec.style.kinds[f.k[i]] : null;
      return kind && kind.kind === "once" ? this.spec.scale.minPx : this.width(f.c[i]);
    },

    /* The lanes of parallel flows where they start and end (geo.corridorLanes). */
    lanesOf: function (mask) {
      var widths = [];
      for (var i = 0; i < this.n; i++) { widths.push(Math.round(this.flowWidth(i) * 2) / 2); }
      return geo.corridorLanes(this.spec, widths, mask);
    },

    /* Flow i's curve on its lane at the current scale (geo.laneCurve). */
    laneOf: function (i, tr) { return geo.laneCurve(this.curveOf(i), tr, this.lanes[2 * i], this.lanes[2 * i + 1]); },

    curveOf: function (i) {
      var c = this.curves[i];
      if (!c) {
        var f = this.spec.flows, p = this.spec.places;
        c = geo.curve(p.lat[f.o[i]], p.lon[f.o[i]], p.lat[f.d[i]], p.lon[f.d[i]], this.bends[i]);
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
      var self = this, dom = flowmap.dom;
      dom.listen(map, "moveend zoomend resize viewreset", function () { self.schedule(); });
      dom.listen(map, "zoomanim", function (e) { self.animate(e); });
      // Listen on the map's element itself: Leaflet hands a move over an interactive canvas
      // layer (the place circles) to that layer, not to the map, so map events would miss it.
      var box = map.getContainer();
      function onControl(e) { return e.target && e.target.closest && e.target.closest(".leaflet-control"); }
      var on = {
        mousemove: function (e) {
          if (onControl(e)) { if (!self.pinned) { self.hideTip(); } return; }
          if (!self.pinned) { self.hover(map.mouseEventToContainerPoint(e), false); }
        },
        click: function (e) {
          if (!onControl(e)) { self.pinned = false; self.hover(map.mouseEventToContainerPoint(e), true); }
        },
        mouseleave: function () { if (!self.pinned) { self.hideTip(); } }
      };
      L.DomEvent.on(box, on);
      // The next view drawn on this map takes the layer away: its canvas, tip and handlers.
      dom.hold(map, function () {
        L.DomEvent.off(box, on); L.DomUtil.remove(pane); L.DomUtil.remove(self.tip);
        self.onStart = self.onDraw = self.onComplete = null;
      });
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
      return { s: scale, x: -origin.x - topLeft.x, y: -origin.y - topLeft.y, w: geo.WORLD * scale };
    },

    /* Draw every visible flow, the largest on top. Flows are grouped by style (colour,
     * width in half pixels, opacity, dash, paleness) and stroked a few hundred at a time.
     * A busy map is drawn progressively: the largest flows in the first frame (so the map
     * appears at once), the thinner ones behind them in the frames that follow. */
    draw: function () {
      var t0 = performance.now();
      var ctx = this.canvas.getContext("2d"), ratio = window.devicePixelRatio || 1;
      var size = this.map.getSize(), tr = this.transform();
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
        var w = Math.round(this.flowWidth(i) * 2) / 2;
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

    /* Draw queue[from..to): flows grouped by style (width, opacity, kind, dash,
     * paleness), stroked in chunks. The queue runs largest first (so a busy map shows its
     * largest flows in the first frame), and each flow is drawn BEHIND those already
     * there ("destination-over"): the result is the flows drawn smallest first, the
     * largest on top, faded by count (scales.alpha, as images do). */
    drawRange: function (queue, from, to) {
      var CHUNK = 256, tr = this.tr, spec = this.spec, f = spec.flows;
      var ctx = this.canvas.getContext("2d");
      var styles = spec.style.kinds, dashes = spec.style.dashed || {}, pale = spec.style.pale || {};
      var basis = f.a && f.a[spec.style.styleBy] ? f.a[spec.style.styleBy] : null;
      var groups = {}, keys = [], q;
      for (q = from; q < to; q++) {
        var d = queue[q], kind = f.k ? f.k[d.i] : 0, code = basis ? basis[d.i] : -1;
        var once = styles[kind].kind === "once";  // a map of change: no change, faintest
        var a = scales.alpha(spec.scale, spec.style.fade, once ? 0 : f.c[d.i], !!pale[code]);
        var colour = scales.rampColour(spec.scale, spec.style.ramp, f.c[d.i]) || styles[kind].colour;
        var key = d.w + "|" + a[0] + "|" + a[1] + "|" + colour + "|" + (dashes[code] ? 1 : 0) + "|" + (pale[code] ? 1 : 0);
        var group = groups[key];
        if (!group) {
          group = groups[key] = { w: d.w, alpha: a, colour: colour, dash: !!dashes[code], items: [] };
          keys.push(key);
        }
        group.items.push(d.i, d.dx);
        this.drawn.push(d);
      }
      // Widest (then most opaque) first: drawn behind nothing, so on top of the rest.
      keys.sort(function (x, y) { return groups[y].w - groups[x].w || groups[y].alpha[0] - groups[x].alpha[0]; });
      ctx.globalCompositeOperation = "destination-over";
      for (var g = 0; g < keys.length; g++) {
        var grp = groups[keys[g]], items = grp.items, k, j, start;
        ctx.globalAlpha = grp.alpha[1];  // the arrowheads first: over their own lines
        ctx.fillStyle = grp.colour;
        for (start = 0; start < items.length; start += 2 * CHUNK) {
          ctx.beginPath();
          for (j = start; j < Math.min(items.length, start + 2 * CHUNK); j += 2) {
            this.arrow(ctx, this.laneOf(items[j], tr), tr, items[j + 1], grp.w);
          }
          ctx.fill();
        }
        ctx.strokeStyle = grp.colour;
        // A modelled (dashed) flow wide enough is a pale band in a fine dashed outline
        // (geo.dashLook): it reads as modelled without turning into blocks.
        var look = geo.dashLook(grp.w, grp.dash);
        if (look.outline) {
          ctx.globalAlpha = grp.alpha[0];
          ctx.lineWidth = look.outline;
          ctx.lineCap = "butt";
          ctx.setLineDash(look.outlineDash);
          for (start = 0; start < items.length; start += 2 * CHUNK) {
            ctx.beginPath();
            for (j = start; j < Math.min(items.length, start + 2 * CHUNK); j += 2) {
              for (var side = -1; side <= 1; side += 2) {
                var edge = geo.offsetLine(this.laneOf(items[j], tr), tr, items[j + 1], side * look.edge);
                ctx.moveTo(edge[0], edge[1]);
                for (k = 2; k < edge.length; k += 2) { ctx.lineTo(edge[k], edge[k + 1]); }
              }
            }
            ctx.stroke();
          }
        }
        ctx.globalAlpha = grp.alpha[0] * look.alpha;
        ctx.lineWidth = grp.w;
        ctx.lineCap = grp.dash ? "butt" : "round";
        ctx.setLineDash(look.dash);
        // One path of thousands of wide, overlapping sub-paths is far slower to rasterise
        // than several small ones.
        for (start = 0; start < items.length; start += 2 * CHUNK) {
          ctx.beginPath();
          for (j = start; j < Math.min(items.length, start + 2 * CHUNK); j += 2) {
            var cv = this.laneOf(items[j], tr), off = items[j + 1];
            ctx.moveTo(cv[0] * tr.s + tr.x + off, cv[1] * tr.s + tr.y);
            for (k = 2; k < cv.length; k += 2) { ctx.lineTo(cv[k] * tr.s + tr.x + off, cv[k + 1] * tr.s + tr.y); }
          }
          ctx.stroke();
        }
        ctx.setLineDash([]);
      }
      ctx.globalCompositeOperation = "source-over";
      ctx.globalAlpha = 1;
    },

    /* A box sure to hold flow i's curve, used to skip flows out of view before their
     * curves are computed. */
    roughBox: function (i) { return geo.roughBox(this.ends(i)); },

    /* World pixels [x0, y0, x1, y1] of flow i's two ends, without the curve. */
    ends: function (i) { return geo.ends(this.spec, i); },

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
      if (!this.boxes[i]) { this.boxes[i] = geo.curveBox(c); }
      return this.boxes[i];
    },

    /* Add flow c's arrowhead (geo.arrowHead) to the current path. */
    arrow: function (ctx, c, tr, dx, w) {
      var head = geo.arrowHead(c, tr, dx, w);
      if (!head) { return; }
      ctx.moveTo(head[0], head[1]);
      ctx.lineTo(head[2], head[3]);
      ctx.lineTo(head[4], head[5]);
      ctx.closePath();
    },

    /* Return the flow under a container point (the topmost, i.e. the last drawn), or -1:
     * tested against each flow's curve on its lane (laneOf), exactly as it is drawn. */
    pick: function (p) {
      var self = this;
      if (!this.grid) { this.grid = hit.buildGrid(this.drawn, function (i) { return self.laneOf(i, self.tr); }, this.tr); }
      var best = hit.pick(this.grid, p);
      return best < 0 ? -1 : this.drawn[best].i;
    },

    hover: function (p, pin) {
      var i = this.pick(p);
      this.hovered = i;
      if (i < 0) { this.hideTip(); return; }
      this.pinned = pin;
      this.showTip(p, this.describe(i));
    },

    /* The figure of flow i as the page writes it (tips.valueText). */
    valueText: function (i) { return tips.valueText(this.spec, this.fmt, i); },

    /* The rows of flow i's tooltip (tips.flowRows). */
    describe: function (i) { return tips.flowRows(this.spec, this.fmt, i); },

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
      var bends = geo.corridorBends(this.spec, this.visible);
      for (var i = 0; i < this.n; i++) {
        if (bends[i] !== this.bends[i]) {
          this.curves[i] = null;
          if (this.boxes) { this.boxes[i] = null; }
        }
      }
      this.bends = bends;
      this.lanes = this.lanesOf(this.visible);
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
        out.push({ origin: p.id[f.o[i]], dest: p.id[f.d[i]], count: f.c[i], width: this.flowWidth(i) });
      }
      return out;
    },

    /* Container point of flow i's drawn curve (on its lane) at fraction t of its points. */
    pointOf: function (i, t) {
      var tr = this.transform(), c = this.laneOf(i, tr), n = c.length / 2 - 1, k = Math.round(t * n);
      return { x: c[2 * k] * tr.s + tr.x, y: c[2 * k + 1] * tr.s + tr.y };
    }
  };

  flowmap.FlowLayer = FlowLayer;
}(window.flowmap = window.flowmap || {}));
