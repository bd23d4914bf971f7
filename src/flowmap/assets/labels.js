/* Flowmap: one placer for every label on the map.
 *
 * flowmapLabels(map, layer, spec) returns a placer that, after every move, zoom or
 * `flowmap:update` event, places the labels in priority order: the chosen places, then the
 * labels at the map's edge that name the far end of flows leaving the view ("→ Russia
 * 7,529"; a flow with a "range" attribute, a modelled estimate, gives it in brackets:
 * "→ Russia 1,574 (1,414–1,668)"), then places by their total, then base-layer labels (enclaves, towns, districts,
 * regions, countries). Each label tries a few positions around its point and takes the first
 * that stays inside the map and clear of the boxes (title, legend, notes, controls), of every
 * place circle (the flow ends) and of the labels already placed; a label with no room is
 * hidden at this zoom and comes back when there is room. Text is set with textContent.
 */
(function () {
  "use strict";

  var PAD = 2;          // px kept free around a label
  var EDGE = 28;        // a flow end closer than this to the map's edge counts as outside
  var MAX_EDGE = 12;    // edge labels per map, largest flows first
  var SCAN = 5000;      // flows looked at for edge labels, largest first

  /* Rank of base-layer labels by their class (lower is placed first). */
  var CLASS_RANK = { "fm-enclave": 3, "fm-centre": 4, "fm-district": 5, "fm-batken": 5 };

  var el = window.flowmapDom.el;

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  function hitsCircle(r, c) {
    var x = Math.max(r.left, Math.min(c.x, r.right)), y = Math.max(r.top, Math.min(c.y, r.bottom));
    var dx = x - c.x, dy = y - c.y;
    return dx * dx + dy * dy < c.r * c.r;
  }

  /* Offsets (top-left of the label from its point) to try, in order of preference. */
  function candidates(kind, w, h, r) {
    var g = r + 3;
    if (kind === "area") {
      return [[-w / 2, -h / 2], [-w / 2, -h * 1.6], [-w / 2, h * 0.6], [6, -h / 2], [-w - 6, -h / 2]];
    }
    var d = r * 0.7 + 2;
    return [
      [g, -h / 2], [-g - w, -h / 2], [-w / 2, -g - h], [-w / 2, g],
      [d, -d - h], [d, d], [-d - w, -d - h], [-d - w, d]
    ];
  }

  /* The rank of a base-layer label: its ``_rank`` property, else by its class. */
  function rank(cls, own) {
    if (typeof own === "number") { return own; }
    var names = String(cls || "").split(/\s+/), best = 6;
    for (var i = 0; i < names.length; i++) {
      if (CLASS_RANK[names[i]] !== undefined) { best = Math.min(best, CLASS_RANK[names[i]]); }
    }
    return best;
  }

  window.flowmapLabels = function (map, layer, spec) {
    var root = map.getContainer();
    var pane = map.createPane("fm-edge-labels");
    pane.style.zIndex = 640;
    pane.style.pointerEvents = "none";
    pane.className += " leaflet-zoom-hide";
    var edgeNodes = [];
    var placesLayer = null;

    function boxes() {
      var base = root.getBoundingClientRect(), out = [];
      var nodes = root.querySelectorAll(".leaflet-control");
      for (var i = 0; i < nodes.length; i++) {
        var r = nodes[i].getBoundingClientRect();
        if (r.width === 0 || r.height === 0) { continue; }
        out.push({ left: r.left - base.left - PAD, top: r.top - base.top - PAD,
          right: r.right - base.left + PAD, bottom: r.bottom - base.top + PAD });
      }
      return out;
    }

    function circles() {
      var out = [];
      if (!placesLayer || !map.hasLayer(placesLayer)) { return out; }
      placesLayer.eachLayer(function (c) {
        var p = map.latLngToContainerPoint(c.getLatLng());
        out.push({ x: p.x, y: p.y, r: c.getRadius() + 1, index: c.fmIndex });
      });
      return out;
    }

    /* Label markers now on the map, with their rank and value (bigger first). */
    function markers() {
      var items = [], tot = spec.totals;
      map.eachLayer(function (l) {
        if (!l.fmLabel || !l.getElement || !l.getElement()) { return; }
        // A place with no flow drawn now (another year of a playable export) has no label.
        if (l.fmLabel.kind === "place" && tot && !(tot.total[l.fmLabel.index] > 0)) {
          l.getElement().style.visibility = "hidden";
          return;
        }
        items.push(l);
      });
      items.sort(function (a, b) {
        return a.fmLabel.rank - b.fmLabel.rank || b.fmLabel.value - a.fmLabel.value;
      });
      return items;
    }

    function free(r, size, placed, blocks, dots, skip) {
      if (r.left < PAD || r.top < PAD || r.right > size.x - PAD || r.bottom > size.y - PAD) { return false; }
      for (var i = 0; i < blocks.length; i++) { if (overlaps(r, blocks[i])) { return false; } }
      for (var j = 0; j < placed.length; j++) { if (overlaps(r, placed[j])) { return false; } }
      for (var k = 0; k < dots.length; k++) {
        if (dots[k].index !== skip && hitsCircle(r, dots[k])) { return false; }
      }
      return true;
    }

    function rectAt(x, y, w, h) {
      return { left: x - PAD, top: y - PAD, right: x + w + PAD, bottom: y + h + PAD };
    }

    /* Points every few pixels along flow i (drawn with the world copy offset dx), from its
     * end inside the view up to where it leaves the inner rectangle; null when it does not. */
    function exitPoint(i, fromOrigin, tr, dx, size) {
      var cv = layer.curveOf(i), n = cv.length / 2, path = [], prev = null;
      function inside(q) { return q.x >= EDGE && q.y >= EDGE && q.x <= size.x - EDGE && q.y <= size.y - EDGE; }
      for (var s = 0; s < n; s++) {
        var k = fromOrigin ? s : n - 1 - s;
        var p = { x: cv[2 * k] * tr.s + tr.x + dx, y: cv[2 * k + 1] * tr.s + tr.y };
        if (prev) {
          var steps = Math.max(1, Math.ceil(Math.hypot(p.x - prev.x, p.y - prev.y) / 12));
          for (var t = 1; t <= steps; t++) {
            var q = { x: prev.x + (p.x - prev.x) * t / steps, y: prev.y + (p.y - prev.y) * t / steps };
            if (!inside(q)) { return { path: path }; }
            path.push(q);
          }
        } else {
          path.push(p);
        }
        prev = p;
      }
      return null;
    }

    /* The text of flow i's "range" attribute in the shown language, in brackets, or "". */
    function rangeOf(i) {
      var codes = spec.flows.a ? spec.flows.a.range : null, attrs = spec.attributes || [];
      if (!codes || !(codes[i] >= 0)) { return ""; }
      for (var a = 0; a < attrs.length; a++) {
        if (attrs[a].key === "range" && attrs[a].labels[codes[i]]) {
          return " (" + attrs[a].labels[codes[i]] + ")";
        }
      }
      return "";
    }

    function edgeLabels() {
      var tr = layer.transform(), size = map.getSize(), f = spec.flows, p = spec.places;
      var kinds = spec.style.kinds, found = {}, list = [];
      var order = layer.order, count = Math.min(order.length, SCAN);
      // An end is outside when its point is off the map (a circle at the edge still shows).
      function inView(x, y) { return x >= 0 && y >= 0 && x <= size.x && y <= size.y; }
      for (var r = 0; r < count && list.length < MAX_EDGE; r++) {
        var i = order[r];
        if (layer.visible && !layer.visible[i]) { continue; }
        // The ends first: a curve is computed only for a flow that leaves the view.
        var end = layer.ends(i);
        for (var copy = -1; copy <= 1; copy++) {
          var dx = copy * tr.w;
          var ox = end[0] * tr.s + tr.x + dx, oy = end[1] * tr.s + tr.y;
          var ex = end[2] * tr.s + tr.x + dx, ey = end[3] * tr.s + tr.y;
          var oIn = inView(ox, oy), dIn = inView(ex, ey);
          if (oIn === dIn) { continue; }
          var far = oIn ? f.d[i] : f.o[i], key = far + (oIn ? ">" : "<");
          if (found[key]) { break; }
          var exit = exitPoint(i, oIn, tr, dx, size);
          if (!exit) { break; }
          found[key] = true;
          var kind = f.k ? f.k[i] : 0;
          list.push({
            text: (oIn ? "→ " : "← ") + p.name[far] + " " + layer.valueText(i) + rangeOf(i),
            colour: kinds[kind] ? kinds[kind].colour : "#333", path: exit.path
          });
          break;
        }
      }
      return list;
    }

    function clearEdges() {
      for (var i = 0; i < edgeNodes.length; i++) { edgeNodes[i].remove(); }
      edgeNodes = [];
    }

    function place() {
      var size = map.getSize(), blocks = boxes(), dots = circles(), placed = [];
      var items = markers(), r, c;
      clearEdges();
      // Chosen places first: the map is about them.
      function placeMarker(m) {
        var node = m.getElement(), span = node.firstChild || node;
        node.style.visibility = "hidden";
        span.style.position = "relative";
        span.style.left = "0px";
        span.style.top = "0px";
        var w = span.offsetWidth, h = span.offsetHeight;
        var at = map.latLngToContainerPoint(m.getLatLng()), info = m.fmLabel;
        var tries = candidates(info.kind, w, h, info.radius || 0);
        for (c = 0; c < tries.length; c++) {
          r = rectAt(at.x + tries[c][0], at.y + tries[c][1], w, h);
          if (free(r, size, placed, blocks, dots, info.kind === "place" ? info.index : -1)) {
            span.style.left = tries[c][0] + "px";
            span.style.top = tries[c][1] + "px";
            node.style.visibility = "visible";
            placed.push(r);
            return;
          }
        }
      }
      var rest = [];
      for (var a = 0; a < items.length; a++) {
        if (items[a].fmLabel.rank === 0) { placeMarker(items[a]); } else { rest.push(items[a]); }
      }
      // Then where flows leave the view: the far end's name and the count, at the edge.
      if (layer.n > 0) {
        var edges = edgeLabels();
        for (var e = 0; e < edges.length; e++) {
          var item = edges[e], node = el("div", "fm-label fm-edge", item.text);
          node.style.color = item.colour;
          node.style.visibility = "hidden";
          pane.appendChild(node);
          edgeNodes.push(node);
          var w = node.offsetWidth, h = node.offsetHeight, done = false;
          // From the point where the flow leaves the view, back along the flow.
          for (var s = item.path.length - 1; s >= 0 && !done; s--) {
            var pt = item.path[s], offs = [[-w / 2, -h / 2], [4, -h - 2], [-w - 4, -h - 2], [4, 4], [-w - 4, 4]];
            for (c = 0; c < offs.length && !done; c++) {
              r = rectAt(pt.x + offs[c][0], pt.y + offs[c][1], w, h);
              if (free(r, size, placed, blocks, dots, -1)) {
                L.DomUtil.setPosition(node, map.containerPointToLayerPoint([pt.x + offs[c][0], pt.y + offs[c][1]]));
                node.style.visibility = "visible";
                placed.push(r);
                done = true;
              }
            }
          }
          if (!done) { node.remove(); edgeNodes.pop(); }
        }
      }
      for (var b = 0; b < rest.length; b++) { placeMarker(rest[b]); }
    }

    var pending = false;
    function schedule() {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; place(); });
    }
    map.on("moveend zoomend resize overlayadd overlayremove flowmap:update", schedule);
    map.on("zoomstart", clearEdges);

    return {
      place: place,
      schedule: schedule,
      edges: edgeLabels,
      setPlaces: function (group) { placesLayer = group; }
    };
  };
  window.flowmapLabels.rank = rank;
}());
