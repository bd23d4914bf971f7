/* Flowmap: the page around the flow layer.
 *
 * flowmapApp(map, spec) draws the base layers and overlays, the flows (FlowmapLayer), the
 * circles and labels of places, the title, legend and source boxes, and frames the view.
 * All text arrives as data and is placed with textContent; nothing is parsed as HTML.
 */
(function () {
  "use strict";

  var el = window.flowmapDom.el;

  var escapeHtml = window.flowmapDom.escapeHtml;

  function lines(rows) {
    var box = el("div", "fm-tip-body");
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], line = el("div");
      if (Array.isArray(row)) {
        line.appendChild(el("b", null, row[0] + ": "));
        line.appendChild(document.createTextNode(String(row[1])));
      } else {
        line.textContent = String(row);
      }
      box.appendChild(line);
    }
    return box;
  }

  function geoLayer(def) {
    return L.geoJSON(def.features, {
      interactive: !!def.interactive,
      style: function (f) { return f.properties._style || {}; },
      pointToLayer: function (f, latlng) {
        if (f.properties._label !== undefined) {
          var label = el("span", null, f.properties._label);
          var marker = L.marker(latlng, {
            interactive: false, keyboard: false,
            icon: L.divIcon({ className: "fm-label " + (f.properties._class || ""), html: label, iconSize: null })
          });
          marker.fmLabel = {
            kind: "area", rank: window.flowmapLabels.rank(f.properties._class, f.properties._rank),
            value: Number(f.properties._value) || 0
          };
          // A playable export's language switch sets <html lang>: names follow it.
          var names = f.properties._names;
          if (names && typeof names === "object") {
            var listening = false;
            marker.on("add", function (e) {
              if (listening) { return; }
              listening = true;
              e.target._map.on("flowmap:update", function () {
                var code = document.documentElement.lang;
                if (typeof names[code] === "string") { label.textContent = names[code]; }
              });
            });
          }
          return marker;
        }
        return L.circleMarker(latlng, f.properties._style || {});
      },
      onEachFeature: function (f, layer) {
        if (f.properties._tip) { layer.bindTooltip(lines(f.properties._tip), { sticky: true }); }
      }
    });
  }

  function box(map, position, cls, build) {
    var control = L.control({ position: position });
    control.onAdd = function () {
      var div = el("div", "fm-box " + cls);
      build(div);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    control.addTo(map);
    return control.getContainer();
  }

  function legendSwatch(width, colour, dash, alpha) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    var h = Math.max(10, Math.ceil(width) + 4);
    svg.setAttribute("width", "48");
    svg.setAttribute("height", String(h));
    var line = document.createElementNS(ns, "line");
    line.setAttribute("x1", "2"); line.setAttribute("x2", "46");
    line.setAttribute("y1", String(h / 2)); line.setAttribute("y2", String(h / 2));
    line.setAttribute("stroke", colour);
    line.setAttribute("stroke-width", String(width));
    line.setAttribute("stroke-opacity", String(alpha));
    if (dash) { line.setAttribute("stroke-dasharray", "8 5"); }
    svg.appendChild(line);
    return svg;
  }

  /* "1 person", "2 people": the plural form the language uses for the number. */
  function people(spec, t, count, fmt) {
    var forms = t.peopleForms || {}, rule = "other";
    try { rule = new Intl.PluralRules(spec.locale || "en").select(count); } catch (e) { rule = "other"; }
    var text = forms[rule] || forms.other || t.people;
    return text.replace("{count}", fmt.format(count));
  }

  /* A legend swatch for an overlay: a line, an area or a point in the given colour. */
  function shapeSwatch(shape, colour, dash) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), node;
    svg.setAttribute("width", "48");
    svg.setAttribute("height", "14");
    if (shape === "line") {
      node = document.createElementNS(ns, "line");
      node.setAttribute("x1", "2"); node.setAttribute("x2", "46");
      node.setAttribute("y1", "7"); node.setAttribute("y2", "7");
      node.setAttribute("stroke-width", "4");
    } else if (shape === "point") {
      node = document.createElementNS(ns, "circle");
      node.setAttribute("cx", "24"); node.setAttribute("cy", "7"); node.setAttribute("r", "4");
      node.setAttribute("fill", colour);
    } else {
      node = document.createElementNS(ns, "rect");
      node.setAttribute("x", "10"); node.setAttribute("y", "1");
      node.setAttribute("width", "28"); node.setAttribute("height", "12");
      node.setAttribute("fill", colour); node.setAttribute("fill-opacity", "0.35");
      node.setAttribute("stroke-width", "1.5");
    }
    node.setAttribute("stroke", colour);
    // The same dash pattern as the line on the map (a Leaflet dashArray such as "10 6").
    if (dash && shape !== "point" && /^[0-9 ,.]+$/.test(String(dash))) {
      node.setAttribute("stroke-dasharray", String(dash));
    }
    svg.appendChild(node);
    return svg;
  }

  function legend(div, spec, layer) {
    var t = spec.text.legend, details = el("details"), table = el("table");
    details.open = true;
    details.appendChild(el("summary", null, t.title));
    details.appendChild(el("p", null, t.width));
    for (var i = 0; i < spec.legend.counts.length; i++) {
      var count = spec.legend.counts[i], row = el("tr"), cell = el("td");
      cell.appendChild(legendSwatch(layer.width(count), "#555", false, 0.85));
      row.appendChild(cell);
      row.appendChild(el("td", null, people(spec, t, count, layer.fmt)));
      table.appendChild(row);
    }
    details.appendChild(table);
    var kinds = el("table");
    for (var k = 0; k < spec.style.kinds.length; k++) {
      var kind = spec.style.kinds[k];
      if (!kind.legend) { continue; }
      var r = el("tr"), c = el("td");
      c.appendChild(legendSwatch(4, kind.colour, false, 0.85));
      r.appendChild(c);
      r.appendChild(el("td", null, kind.legend));
      kinds.appendChild(r);
    }
    // The line-style samples take the colour of the kind the view draws (blue in an
    // arrivals view); with several kinds drawn, a neutral grey, since the colour says
    // direction and the sample only the style.
    var styles = spec.style.legend || [], shown = [];
    for (var q = 0; q < spec.style.kinds.length; q++) { if (spec.style.kinds[q].legend) { shown.push(spec.style.kinds[q].colour); } }
    var sample = shown.length === 1 ? shown[0] : shown.length > 1 ? "#555" : spec.style.kinds[0].colour;
    for (var s = 0; s < styles.length; s++) {
      var sr = el("tr"), sc = el("td");
      sc.appendChild(legendSwatch(4, sample, styles[s].dashed, styles[s].pale ? 0.5 : 0.85));
      sr.appendChild(sc);
      sr.appendChild(el("td", null, styles[s].label));
      kinds.appendChild(sr);
    }
    var extra = t.extra || [];
    for (var x = 0; x < extra.length; x++) {
      var er = el("tr"), ec = el("td");
      ec.appendChild(shapeSwatch(extra[x].shape, extra[x].colour, extra[x].dash));
      er.appendChild(ec);
      er.appendChild(el("td", null, extra[x].label));
      kinds.appendChild(er);
    }
    details.appendChild(kinds);
    var notes = t.notes || [];
    for (var n = 0; n < notes.length; n++) { details.appendChild(el("p", null, notes[n])); }
    div.appendChild(details);
  }

  /* The lines of a place circle's tooltip: arrivals and departures; in a net view
   * (text.tip.signed) the net alone, with its sign, as the focus place's balance (arrivals
   * − departures) or as the focus place's balance with this place. */
  function circleRows(spec, i, fmt) {
    var tot = spec.totals, t = spec.text.tip, rows = [];
    if (t.signed) {
      var focus = spec.places.focus && spec.places.focus[i];
      var net = focus ? tot["in"][i] - tot.out[i] : tot.out[i] - tot["in"][i];
      rows.push([focus ? t.netFocus : t.netWith, (net > 0 ? "+" : "") + fmt.format(net)]);
      return rows;
    }
    if (tot["in"][i]) { rows.push([t.arrivals, fmt.format(tot["in"][i])]); }
    if (tot.out[i]) { rows.push([t.departures, fmt.format(tot.out[i])]); }
    if (tot.internal && tot.internal[i]) { rows.push([t.internal, fmt.format(tot.internal[i])]); }
    return rows;
  }
  window.flowmapCircleRows = circleRows;

  /* Circle areas are proportional to arrivals + departures, on their own scale. */
  function radiusOf(spec, i, most) {
    return Math.max(3, (spec.style.maxRadius || 16) * Math.sqrt(spec.totals.total[i] / most));
  }

  function largestTotal(spec) {
    var most = 1, tot = spec.totals;
    for (var m = 0; m < spec.places.id.length; m++) { most = Math.max(most, tot ? tot.total[m] : 0); }
    return most;
  }

  function placeLayer(map, spec, layer) {
    var pane = map.createPane("fm-places");
    pane.style.zIndex = 460;
    var p = spec.places, group = L.featureGroup(), renderer = L.canvas({ padding: 0.2, pane: "fm-places" });
    var tot = spec.totals, circles = [], most = largestTotal(spec);
    for (var i = 0; i < p.id.length; i++) {
      if (!tot || !(tot.total[i] > 0)) { continue; }
      var radius = radiusOf(spec, i, most);
      var circle = L.circleMarker([p.lat[i], p.lon[i]], {
        renderer: renderer, radius: radius, color: "#333", weight: 1,
        fillColor: p.focus && p.focus[i] ? "#ffd54f" : "#fff", fillOpacity: 0.9
      });
      var body = lines(circleRows(spec, i, layer.fmt));
      body.insertBefore(el("b", "fm-tip-title", p.name[i]), body.firstChild);
      circle.bindTooltip(body, { sticky: true });
      circle.fmIndex = i;
      group.addLayer(circle);
      circles.push(circle);
    }
    return group;
  }

  /* Names of the places with flows, largest totals first; the placer in labels.js puts
   * them beside their circles where there is room. */
  function labelLayer(map, spec) {
    var p = spec.places, tot = spec.totals, group = L.layerGroup(), items = [];
    for (var i = 0; i < p.id.length; i++) {
      if (!tot || !(tot.total[i] > 0)) { continue; }
      items.push(i);
    }
    items.sort(function (a, b) { return tot.total[b] - tot.total[a]; });
    items = items.slice(0, spec.maxLabels || 60);
    var most = largestTotal(spec);
    var spans = items.map(function (i) {
      var label = el("span", null, p.name[i]);
      var m = L.marker([p.lat[i], p.lon[i]], {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: "fm-label fm-place-label", html: label, iconSize: null })
      });
      m.fmLabel = {
        kind: "place", rank: p.focus && p.focus[i] ? 0 : 2, value: tot.total[i],
        radius: radiusOf(spec, i, most), index: i
      };
      group.addLayer(m);
      return [label, i];
    });
    // Names may change (the language switch of a playable export).
    map.on("flowmap:update", function () {
      for (var s = 0; s < spans.length; s++) { spans[s][0].textContent = String(p.name[spans[s][1]]); }
    });
    return group;
  }

  /* Fit the bounds so that no corner box (title, legend, notes, controls) covers them:
   * each box is avoided either by a strip along its side or along its end, whichever
   * combination lets the map zoom in furthest. */
  function fitAvoiding(map, bounds) {
    var root = map.getContainer(), margin = 16, boxes = [];
    var corners = ["top left", "top right", "bottom left", "bottom right"];
    var mapBox = root.getBoundingClientRect();
    for (var c = 0; c < corners.length; c++) {
      // The map's own corners (not those of a map inside a box, such as the inset).
      var node = root.querySelector(":scope > .leaflet-control-container > .leaflet-" + corners[c].replace(" ", ".leaflet-"));
      if (!node) { continue; }
      var kids = node.children, w = 0, h = 0;
      for (var k = 0; k < kids.length; k++) {
        var r = kids[k].getBoundingClientRect();
        if (r.width === 0 || r.height === 0) { continue; }
        w = Math.max(w, corners[c].indexOf("left") >= 0 ? r.right - mapBox.left : mapBox.right - r.left);
        h = Math.max(h, corners[c].indexOf("top") >= 0 ? r.bottom - mapBox.top : mapBox.bottom - r.top);
      }
      if (w > 0 && h > 0) { boxes.push({ top: corners[c].indexOf("top") >= 0, left: corners[c].indexOf("left") >= 0, w: w, h: h }); }
    }
    var best = null;
    for (var mask = 0; mask < (1 << boxes.length); mask++) {
      var pad = { t: 0, l: 0, b: 0, r: 0 };
      for (var i = 0; i < boxes.length; i++) {
        var b = boxes[i];
        if (mask & (1 << i)) {
          if (b.top) { pad.t = Math.max(pad.t, b.h); } else { pad.b = Math.max(pad.b, b.h); }
        } else if (b.left) { pad.l = Math.max(pad.l, b.w); } else { pad.r = Math.max(pad.r, b.w); }
      }
      var tl = L.point(pad.l + margin, pad.t + margin), br = L.point(pad.r + margin, pad.b + margin);
      var room = map.getSize().subtract(tl).subtract(br);
      if (room.x < 120 || room.y < 120) { continue; }  // the boxes would leave no map
      var z = map.getBoundsZoom(bounds, false, tl.add(br));
      if (isFinite(z) && (!best || z > best.z)) { best = { z: z, tl: tl, br: br }; }
    }
    if (!best) { best = { z: null, tl: L.point(margin, margin), br: L.point(margin, margin) }; }
    map.fitBounds(bounds, { paddingTopLeft: best.tl, paddingBottomRight: best.br, animate: false });
    return best;
  }

  /* The flow ends (places of the flows shown) in view but under a box or control. */
  function endsUnderBoxes(map, spec, layer) {
    var root = map.getContainer(), base = root.getBoundingClientRect(), rects = [], out = [];
    var corners = root.querySelectorAll(":scope > .leaflet-control-container .leaflet-control");
    for (var c = 0; c < corners.length; c++) {
      var r = corners[c].getBoundingClientRect();
      if (r.width && r.height) { rects.push(r); }
    }
    var p = spec.places, ends = layer.endPlaces(layer.visible);
    for (var e = 0; e < ends.length; e++) {
      var k = ends[e], pt = map.latLngToContainerPoint([p.lat[k], p.lon[k]]);
      var x = pt.x + base.left, y = pt.y + base.top;
      for (var q = 0; q < rects.length; q++) {
        if (x >= rects[q].left && x <= rects[q].right && y >= rects[q].top && y <= rects[q].bottom) {
          out.push(L.latLng(p.lat[k], p.lon[k]));
          break;
        }
      }
    }
    return out;
  }

  /* The bounds grown to hold the whole curve of every flow whose two ends are inside them
   * (a bent line bulges beyond its ends). */
  function curveBounds(map, layer, bounds) {
    var s = bounds[0][0], w = bounds[0][1], n = bounds[1][0], e = bounds[1][1];
    var mid = (w + e) / 2, out = L.latLngBounds(bounds), f = layer.spec.flows, p = layer.spec.places;
    function inside(i) {
      var lon = p.lon[i];
      while (lon - mid > 180) { lon -= 360; }
      while (lon - mid < -180) { lon += 360; }
      return p.lat[i] >= s && p.lat[i] <= n && lon >= w && lon <= e ? lon : null;
    }
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    // The largest flows decide: on a busy map the curves of the 2,000 largest are enough.
    var order = layer.order.slice(0, 2000);
    for (var r = 0; r < order.length; r++) {
      var i = order[r], a = inside(f.o[i]);
      if (a === null || inside(f.d[i]) === null) { continue; }
      var b = layer.box(i, layer.curveOf(i)), shift = (a - p.lon[f.o[i]]) / 360 * 256;
      box = [Math.min(box[0], b[0] + shift), Math.min(box[1], b[1]), Math.max(box[2], b[2] + shift), Math.max(box[3], b[3])];
    }
    if (box[0] < Infinity) {
      out.extend(map.unproject([box[0], box[1]], 0));
      out.extend(map.unproject([box[2], box[3]], 0));
    }
    return out;
  }

  /* A scale bar in kilometres (or metres), never miles, with the unit in the map's language
   * and the number written as the language writes it ("1 000 км"). */
  var LocalScale = L.Control.Scale.extend({
    _updateMetric: function (maxMeters) {
      var words = this.options.words(), meters = this._getRoundNum(maxMeters), fmt = this.options.fmt;
      var label = meters < 1000 ? fmt.format(meters) + "\u00a0" + (words.m || "m")
        : fmt.format(meters / 1000) + "\u00a0" + (words.km || "km");
      this._updateScale(this._mScale, label, meters / maxMeters);
    }
  });

  /* Leaflet's own controls in the map's language: the scale bar's units, the titles (and
   * names read aloud) of the zoom buttons and of the layer switch, and the title of the
   * link to Leaflet. A playable export's language switch replaces spec.text and fires
   * "flowmap:update": they follow it. */
  function localControls(map, spec, control, layer) {
    function words() { return spec.text.controls || {}; }
    var scale = new LocalScale({
      imperial: false, metric: true, position: "bottomleft", words: words, fmt: layer.fmt
    }).addTo(map);
    var prefix = L.Control.Attribution.prototype.options.prefix;
    function name(node, text) {
      if (node && text) { node.title = text; node.setAttribute("aria-label", text); }
    }
    function update() {
      var w = words();
      scale.options.fmt = layer.fmt;
      scale._update();
      if (map.zoomControl) {
        name(map.zoomControl._zoomInButton, w.zoomIn);
        name(map.zoomControl._zoomOutButton, w.zoomOut);
      }
      name(control._layersLink, w.layers);
      if (map.attributionControl && typeof prefix === "string" && w.leaflet) {
        map.attributionControl.setPrefix(
          prefix.replace(/title="[^"]*"/, 'title="' + escapeHtml(w.leaflet) + '"'));
      }
    }
    update();
    map.on("flowmap:update", update);
  }

  window.flowmapApp = function (map, spec) {
    var started = performance.now();
    window.flowmapStarted = started;
    // The page's language (for screen readers, hyphenation and fonts); a playable export's
    // language switch changes it.
    if (!document.documentElement.lang) {
      document.documentElement.lang = String(spec.locale || "en").split("-")[0];
    }
    var layer = new window.FlowmapLayer(spec);
    var control = L.control.layers(null, null, { collapsed: true, position: "topright" });
    // Layers are built first and put on the map only once the view is set, so that
    // nothing is drawn twice (at folium's opening view, then at the fitted one).
    var base = spec.layers || [], shown = [];
    for (var b = 0; b < base.length; b++) {
      var gl = geoLayer(base[b]);
      if (base[b].show !== false) { shown.push(gl); }
      if (base[b].name) { control.addOverlay(gl, escapeHtml(base[b].name)); }
    }
    var places = placeLayer(map, spec, layer);
    control.addOverlay(places, escapeHtml(spec.text.layers.places));
    var labels = labelLayer(map, spec);
    control.addOverlay(labels, escapeHtml(spec.text.layers.labels));
    control.addTo(map);

    var title = box(map, "topleft", "fm-title", function (div) {
      div.appendChild(el("h1", null, spec.text.title));
      if (spec.text.subtitle) { div.appendChild(el("p", null, spec.text.subtitle)); }
      if (layer.n === 0) { div.appendChild(el("p", "fm-empty", spec.text.empty)); }
      var alerts = spec.text.alerts || [];
      for (var a = 0; a < alerts.length; a++) { div.appendChild(el("p", "fm-alert", alerts[a])); }
    });
    var legendBox = box(map, "bottomright", "fm-legend", function (div) { legend(div, spec, layer); });
    var notes = box(map, "bottomleft", "fm-notes", function (div) {
      var details = el("details");
      details.appendChild(el("summary", null, spec.text.source));
      var items = spec.text.notes || [];
      for (var i = 0; i < items.length; i++) { details.appendChild(el("p", null, items[i])); }
      div.appendChild(details);
    });
    // A playable export (player.js) adds its controls to the title box before the view is fitted.
    if (spec.player && window.flowmapPlayer) {
      window.flowmapPlayer(map, spec, layer, {
        title: title, legend: legendBox, notes: notes, places: places,
        legendBuild: function (div) { legend(div, spec, layer); }
      });
    }
    // After the player: the inset opens only when the flows shown now leave the view.
    window.flowmapInset(map, spec, layer, control);
    // On a small map the legend starts folded (one click opens it), so it covers no flows.
    if (map.getSize().x < 900 || map.getSize().y < 760) {
      legendBox.querySelector("details").open = false;
    }
    localControls(map, spec, control, layer);
    var v = spec.view;
    if (v && v.bounds) {
      var framed = curveBounds(map, layer, v.bounds);
      fitAvoiding(map, framed);
      // A small near end left out of the frame may still be in view, under a box: then
      // the frame takes it in (once).
      var hidden = endsUnderBoxes(map, spec, layer);
      if (hidden.length) {
        for (var h = 0; h < hidden.length; h++) { framed.extend(hidden[h]); }
        fitAvoiding(map, framed);
      }
    }
    for (var s = 0; s < shown.length; s++) { shown[s].addTo(map); }
    /* True when a container point is on the map itself, not under a box or control
     * (used by tests and scripts that point at flows). */
    window.flowmapFree = function (p) {
      var r = map.getContainer().getBoundingClientRect();
      var hit = document.elementFromPoint(r.left + p.x, r.top + p.y);
      return !!hit && !hit.closest(".leaflet-control");
    };
    window.flowmap = {
      map: map, layer: layer, spec: spec, firstDrawMs: null,
      drawnFlows: function () { return layer.drawnFlows(); }
    };
    layer.onStart = function () {
      document.documentElement.removeAttribute("data-flowmap-complete");
    };
    layer.onDraw = function () {
      if (window.flowmap.firstDrawMs === null) {
        window.flowmap.firstDrawMs = performance.now() - started;
        window.flowmap.readyAt = performance.now();
        document.documentElement.setAttribute("data-flowmap-ready", "1");
      }
    };
    layer.onComplete = function () {
      document.documentElement.setAttribute("data-flowmap-complete", "1");
    };
    layer.addTo(map);
    places.addTo(map);
    labels.addTo(map);
    var placer = window.flowmapLabels(map, layer, spec);
    placer.setPlaces(places);
    placer.place();
    window.flowmap.labels = placer;
    return window.flowmap;
  };
}());
