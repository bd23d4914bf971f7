/* Flowmap: one placer for every label on the map.
 *
 * flowmap.placeLabels(map, layer) returns a placer that, after every move, zoom or
 * `flowmap:update` event, measures the labels and lets flowmap.labelPlace.place
 * (labelplace.js, the algorithm the image renderer shares) decide which are shown and
 * where: the chosen places first, then the labels at the map's edge that name the far end
 * of flows leaving the view ("→ Russia 7,529"; a flow with a "range" attribute, a modelled
 * estimate, gives it in brackets: "→ Russia 1,574 (1,414–1,668)"), then places by their
 * total, then base-layer labels (enclaves, towns, districts, regions, countries). Each
 * label takes the first of a few positions around its point that stays inside the map and
 * clear of the boxes (title, legend, notes, controls), of every place circle (the flow
 * ends) and of the labels placed before it; a label with no room is hidden at this zoom
 * and comes back when there is room. Text is set with textContent.
 */
(function (flowmap) {
  "use strict";

  var EDGE = 28;        // a flow end closer than this to the map's edge counts as outside
  var MAX_EDGE = 12;    // edge labels per map, largest flows first
  var SCAN = 5000;      // flows looked at for edge labels, largest first
  var DENSE = 60;       // more place circles than this (the most names shown): a dense map
  var LINES = 300;      // the widest flows that names of areas keep off where they can

  var el = flowmap.dom.el;
  var placer = flowmap.labelPlace;

  flowmap.placeLabels = function (map, layer) {
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
        out.push({ left: r.left - base.left, top: r.top - base.top,
          right: r.right - base.left, bottom: r.bottom - base.top });
      }
      return out;
    }

    /* The place circles labels keep clear of. On a dense map (more circles than names,
     * DENSE) only those of the places that may be named (overlays.js's label layer, the
     * largest), each with its total: a name may cover the circle of a lesser place, or no
     * name would find room among thousands of small circles. */
    function circles(named) {
      var out = [], all = placesLayer ? placesLayer.getLayers() : [], dense = all.length > DENSE;
      if (!placesLayer || !map.hasLayer(placesLayer)) { return out; }
      var tot = layer.spec.totals;
      all.forEach(function (c) {
        if (dense && !named[c.fmIndex]) { return; }
        var p = map.latLngToContainerPoint(c.getLatLng());
        var dot = { x: p.x, y: p.y, r: c.getRadius(), index: c.fmIndex };
        if (dense && tot) { dot.value = tot.total[c.fmIndex]; }
        out.push(dot);
      });
      return out;
    }

    /* Label markers now on the map (the placer orders them by rank and value). */
    function markers() {
      var items = [], tot = layer.spec.totals;
      map.eachLayer(function (l) {
        if (!l.fmLabel || !l.getElement || !l.getElement()) { return; }
        // A place with no flow drawn now (another year of a playable export) has no label.
        if (l.fmLabel.kind === "place" && tot && !(tot.total[l.fmLabel.index] > 0)) {
          l.getElement().style.visibility = "hidden";
          return;
        }
        items.push(l);
      });
      return items;
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
      var spec = layer.spec, codes = spec.flows.a ? spec.flows.a.range : null, attrs = spec.attributes || [];
      if (!codes || !(codes[i] >= 0)) { return ""; }
      for (var a = 0; a < attrs.length; a++) {
        if (attrs[a].key === "range" && attrs[a].labels[codes[i]]) {
          return " (" + attrs[a].labels[codes[i]] + ")";
        }
      }
      return "";
    }

    function edgeLabels() {
      var tr = layer.transform(), size = map.getSize(), f = layer.spec.flows, p = layer.spec.places;
      var kinds = layer.spec.style.kinds, found = {}, list = [];
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
          // Only an end really out of view: not one whose point shows in another copy.
          var fx = (oIn ? end[2] : end[0]) * tr.s + tr.x, fy = oIn ? ey : oy;
          if (inView(fx - tr.w, fy) || inView(fx, fy) || inView(fx + tr.w, fy)) { break; }
          var exit = exitPoint(i, oIn, tr, dx, size);
          if (!exit) { break; }
          found[key] = true;
          var kind = f.k ? f.k[i] : 0;
          list.push({
            // A cluster's name ends in a number ("Lyon +12"): a colon keeps it from the flow's.
            text: (oIn ? "→ " : "← ") + p.name[far] + (p.held && p.held[far] ? ": " : " ") +
              layer.valueText(i) + rangeOf(i),
            colour: kinds[kind] ? kinds[kind].colour : "#333", path: exit.path
          });
          break;
        }
      }
      return list;
    }

    /* The LINES widest flows shown, each copy in view, as {points, w} in container
     * pixels: names of areas keep off them where they can (labelplace.js). */
    function flowLines() {
      var tr = layer.transform(), size = map.getSize(), f = layer.spec.flows, out = [];
      for (var r = 0, n = 0; r < layer.order.length && n < LINES; r++) {
        var i = layer.order[r];
        if (layer.visible && !layer.visible[i]) { continue; }
        n++;
        var c = layer.curveOf(i), box = layer.box(i, c), w = layer.width(f.c[i]);
        for (var copy = -1; copy <= 1; copy++) {
          var dx = copy * tr.w;
          if (box[2] * tr.s + tr.x + dx < 0 || box[0] * tr.s + tr.x + dx > size.x ||
              box[3] * tr.s + tr.y < 0 || box[1] * tr.s + tr.y > size.y) { continue; }
          var pts = [];
          for (var k = 0; k < c.length; k += 2) { pts.push([c[k] * tr.s + tr.x + dx, c[k + 1] * tr.s + tr.y]); }
          out.push({ points: pts, w: w });
        }
      }
      return out;
    }

    function clearEdges() {
      for (var i = 0; i < edgeNodes.length; i++) { edgeNodes[i].remove(); }
      edgeNodes = [];
    }

    function place() {
      var size = map.getSize(), items = markers(), input = [], nodes = [], e, w, h;
      clearEdges();
      for (var a = 0; a < items.length; a++) {
        var node = items[a].getElement(), span = node.firstChild || node;
        node.style.visibility = "hidden";
        span.style.position = "relative";
        span.style.left = "0px";
        span.style.top = "0px";
      }
      var edges = layer.n > 0 ? edgeLabels() : [];
      for (e = 0; e < edges.length; e++) {
        var div = el("div", "fm-label fm-edge", edges[e].text);
        div.style.color = edges[e].colour;
        div.style.visibility = "hidden";
        pane.appendChild(div);
        edgeNodes.push(div);
      }
      // Measure everything first (one layout), then place.
      for (a = 0; a < items.length; a++) {
        var sp = items[a].getElement().firstChild || items[a].getElement(), info = items[a].fmLabel;
        var at = map.latLngToContainerPoint(items[a].getLatLng());
        input.push({
          x: at.x, y: at.y, w: sp.offsetWidth, h: sp.offsetHeight, kind: info.kind,
          radius: info.radius || 0, rank: info.rank, value: info.value,
          circle: info.kind === "place" ? info.index : -1
        });
        nodes.push(sp);
      }
      for (e = 0; e < edges.length; e++) {
        w = edgeNodes[e].offsetWidth;
        h = edgeNodes[e].offsetHeight;
        input.push({
          kind: "edge", w: w, h: h,
          path: edges[e].path.map(function (q) { return [q.x, q.y]; })
        });
      }
      var named = {};
      for (a = 0; a < items.length; a++) {
        if (items[a].fmLabel.kind === "place") { named[items[a].fmLabel.index] = true; }
      }
      var lines = layer.n > 0 ? flowLines() : [];
      var spots = placer.place(size.x, size.y, input, boxes(), circles(named), lines), kept = [];
      for (a = 0; a < items.length; a++) {
        if (!spots[a]) { continue; }
        nodes[a].style.left = spots[a].dx + "px";
        nodes[a].style.top = spots[a].dy + "px";
        items[a].getElement().style.visibility = "visible";
      }
      for (e = 0; e < edges.length; e++) {
        var got = spots[items.length + e];
        if (!got) { edgeNodes[e].remove(); continue; }
        L.DomUtil.setPosition(edgeNodes[e], map.containerPointToLayerPoint([got.x, got.y]));
        edgeNodes[e].style.visibility = "visible";
        kept.push(edgeNodes[e]);
      }
      edgeNodes = kept;
    }

    var pending = false, gone = false;
    function schedule() {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; if (!gone) { place(); } });
    }
    flowmap.dom.listen(map, "moveend zoomend resize overlayadd overlayremove flowmap:update", schedule);
    flowmap.dom.listen(map, "zoomstart", clearEdges);
    // The next view drawn on this map places its own labels: this placer goes, and its pane.
    flowmap.dom.hold(map, function () { gone = true; L.DomUtil.remove(pane); });

    return {
      place: place,
      schedule: schedule,
      edges: edgeLabels,
      setPlaces: function (group) { placesLayer = group; }
    };
  };
}(window.flowmap = window.flowmap || {}));
