/* Flowmap: the page around the flow layer.
 *
 * flowmap.app(map, spec) draws the base layers and overlays, the flows (flowmap.FlowLayer),
 * the circles and labels of places, the title, legend and source boxes, and frames the
 * view. All text arrives as data and is placed with textContent; nothing is parsed as HTML.
 */
(function (flowmap) {
  "use strict";

  var el = flowmap.dom.el, escapeHtml = flowmap.dom.escapeHtml, hold = flowmap.dom.hold;
  var overlays = flowmap.overlays, controls = flowmap.controls, frame = flowmap.frame;

  /* What makes base layer `b` of `spec` the same layer on the next view (null: never
   * kept): its place, its definition with its features' digest (live.js's featuresRef),
   * and the copies of the world it is drawn in (overlays.geo: by the view's bounds). */
  function baseKey(spec, b) {
    var def = spec.layers[b], bounds = spec.view && spec.view.bounds, rest = {};
    if (typeof def.featuresRef !== "string") { return null; }
    for (var k in def) {
      if (Object.prototype.hasOwnProperty.call(def, k) && k !== "features") { rest[k] = def[k]; }
    }
    var wraps = def.base && bounds ? [bounds[1][1] > 180, bounds[0][1] < -180] : [];
    return JSON.stringify([b, rest, wraps]);
  }

  /* Set the opening view: it holds the flows' ends and curves, clear of the boxes. */
  function frameView(map, spec, layer) {
    var v = spec.view;
    if (!v || !v.bounds) { return; }
    var framed = frame.curveBounds(map, layer, v.bounds);
    var core = L.latLngBounds(v.bounds), fitted = frame.fitAvoiding(map, framed, core);
    // Fill the frame, unless that leaves a flow's end in view under a box. A small near
    // end left out of the frame but in view under a box is then taken in (once), as it
    // is when the frame cannot be filled.
    var hidden = frame.endsUnderBoxes(map, spec, layer);
    var centre = map.getCenter(), zoom = map.getZoom();
    frame.fill(map, layer, v.bounds, fitted);
    if (frame.endsUnderBoxes(map, spec, layer).length) {
      map.setView(centre, zoom, { animate: false });
      if (hidden.length) {
        for (var h = 0; h < hidden.length; h++) { framed.extend(hidden[h]); }
        frame.fitAvoiding(map, framed, core);
      }
    }
  }

  /* Where the map's view is: its zoom, and where a point lies among its layers and in
   * its container (the origin of the projected paths and the map pane's offset). */
  function where(map) {
    var o = L.latLng(0, 0);
    return [map.getZoom(), map.latLngToLayerPoint(o), map.latLngToContainerPoint(o)].join(" ");
  }

  /* Run `move` (which sets the map's view, maybe in several steps) with the vector
   * renderers of the layers kept on the map not following each step (each would project
   * their paths again); then, unless the view is where it began, each renderer is reset
   * once (its own viewreset handler), as a layer added at the new view is drawn. */
  function keepStill(map, move) {
    var still = [], before = where(map);
    map.eachLayer(function (l) { if (l instanceof L.Renderer) { still.push(l); } });
    still.forEach(function (r) { map.off(r.getEvents(), r); });
    try { move(); } finally { still.forEach(function (r) { map.on(r.getEvents(), r); }); }
    if (where(map) !== before) { still.forEach(function (r) { r.getEvents().viewreset.call(r); }); }
  }

  /* Draw the flow map of `spec` (flowmap/layer.py's format) on the Leaflet `map`. The
   * namespace then holds what tests and scripts read: map, layer, spec, labels (the
   * placer), firstDrawMs, drawnFlows() and free(point). */
  flowmap.app = function (map, full) {
    var started = performance.now();
    // A map of many places shows them clustered by zoom (cluster.js): `spec` is what the
    // current zoom shows, `full` the page's whole spec.
    var spec = full.clusters ? flowmap.cluster.view(full, map.getZoom()) : full;
    // The page's language (for screen readers, hyphenation and fonts); a playable export's
    // language switch changes it.
    if (!document.documentElement.lang) {
      document.documentElement.lang = String(spec.locale || "en").split("-")[0];
    }
    if (spec.style && spec.style.theme === "dark") {  // flowmap.css's .fm-dark look
      map.getContainer().classList.add("fm-dark");
      document.body.classList.add("fm-dark-page");
      hold(map, function () {  // a light view drawn next in the same element is light
        map.getContainer().classList.remove("fm-dark");
        document.body.classList.remove("fm-dark-page");
      });
    }
    var layer = new flowmap.FlowLayer(spec);
    var control = L.control.layers(null, null, { collapsed: true, position: "topright" });
    // Layers are built first and put on the map only once the view is set, so that
    // nothing is drawn twice (at folium's opening view, then at the fitted one).
    // A base layer of the view before on this map (flowmap.redraw in place) whose
    // definition and features are the same stays: its GeoJSON is not read again.
    var base = spec.layers || [], shown = [], before = map.fmBase || {}, kept = {};
    if (!map.getPane("fm-above")) { map.createPane("fm-above").style.zIndex = 455; }  // over the flows
    for (var b = 0; b < base.length; b++) {
      var key = baseKey(spec, b), gl = key !== null && before[key] || overlays.geo(base[b], spec.view && spec.view.bounds);
      if (key !== null) { kept[key] = gl; } else { hold(map, map.removeLayer.bind(map, gl)); }
      if (base[b].show !== false) { shown.push(gl); } else { map.removeLayer(gl); }
      if (base[b].name) { control.addOverlay(gl, escapeHtml(base[b].name)); }
    }
    for (var old in before) {
      if (Object.prototype.hasOwnProperty.call(before, old) && kept[old] !== before[old]) { map.removeLayer(before[old]); }
    }
    map.fmBase = kept;
    var places = overlays.places(map, spec, layer);
    control.addOverlay(places, escapeHtml(spec.text.layers.places));
    var labels = overlays.labels(map, spec);
    control.addOverlay(labels, escapeHtml(spec.text.layers.labels));
    control.addTo(map);
    hold(map, function () {
      control.remove();
      map.off("click", control.collapse, control);  // Leaflet's onRemove leaves it
      map.removeLayer(places).removeLayer(labels);
      if (places.fmRenderer) { map.removeLayer(places.fmRenderer); }
    });

    var title = controls.box(map, "topleft", "fm-title", function (div) {
      div.appendChild(el("h1", null, spec.text.title));
      if (spec.text.subtitle) { div.appendChild(el("p", null, spec.text.subtitle)); }
      if (layer.n === 0) { div.appendChild(el("p", "fm-empty", spec.text.empty)); }
      var alerts = spec.text.alerts || [];
      for (var a = 0; a < alerts.length; a++) { div.appendChild(el("p", "fm-alert", alerts[a])); }
      div.appendChild(el("div", "fm-level"));
    });
    /* What the title box says of the current level of a clustered map: the limit on the
     * flows between clusters, and that nearby places are merged (cluster.js). */
    function sayLevel() {
      var box = title.querySelector(".fm-level"), said = spec.level ? spec.level.alerts : [];
      box.textContent = "";
      for (var q = 0; q < said.length; q++) { box.appendChild(el("p", "fm-alert", said[q])); }
    }
    sayLevel();
    var legendBox = controls.box(map, "bottomright", "fm-legend", function (div) { flowmap.legend.build(div, spec, layer); });
    var notes = controls.box(map, "bottomleft", "fm-notes", function (div) {
      var details = el("details");
      details.appendChild(el("summary", null, spec.text.source));
      var items = spec.text.notes || [];
      for (var i = 0; i < items.length; i++) { details.appendChild(el("p", null, items[i])); }
      div.appendChild(details);
    });
    // A playable export (player.js) adds its controls to the title box before the view is fitted.
    if (spec.player && flowmap.player) {
      flowmap.player(map, spec, layer, {
        title: title, legend: legendBox, notes: notes, places: places,
        legendBuild: function (div) { flowmap.legend.build(div, spec, layer); }
      });
    }
    // After the player: the inset opens only when the flows shown now leave the view.
    flowmap.inset(map, spec, layer, control);
    // On a small map the legend starts folded (one click opens it), so it covers no flows;
    // from the app's map (about 700 px high) up, it starts open.
    if (map.getSize().x < 700 || map.getSize().y < 560) {
      legendBox.querySelector("details").open = false;
    }
    controls.local(map, spec, control, layer);
    keepStill(map, function () { frameView(map, spec, layer); });
    // In the order of spec.layers (SVG paths added later lie on top), as on a new map: a
    // kept layer after one that is added anew is brought to the front after it.
    var added = false;
    for (var s = 0; s < shown.length; s++) {
      if (!map.hasLayer(shown[s])) {
        shown[s].addTo(map);
        added = true;
      } else if (added && shown[s].bringToFront) { shown[s].bringToFront(); }
    }
    /* True when a container point is on the map itself, not under a box or control
     * (used by tests and scripts that point at flows). */
    flowmap.free = function (p) {
      var r = map.getContainer().getBoundingClientRect();
      var hit = document.elementFromPoint(r.left + p.x, r.top + p.y);
      return !!hit && !hit.closest(".leaflet-control");
    };
    flowmap.map = map;
    flowmap.layer = layer;
    flowmap.spec = spec;
    flowmap.started = started;
    flowmap.firstDrawMs = null;
    flowmap.drawnFlows = function () { return layer.drawnFlows(); };
    layer.onStart = function () {
      document.documentElement.removeAttribute("data-flowmap-complete");
    };
    layer.onDraw = function () {
      if (flowmap.firstDrawMs === null) {
        flowmap.firstDrawMs = performance.now() - started;
        flowmap.readyAt = performance.now();
        document.documentElement.setAttribute("data-flowmap-ready", "1");
      }
    };
    layer.onComplete = function () {
      document.documentElement.setAttribute("data-flowmap-complete", "1");
    };
    layer.addTo(map);
    hold(map, function () { flowmap.layer = flowmap.spec = flowmap.labels = null; });
    places.addTo(map);
    labels.addTo(map);
    var placer = flowmap.placeLabels(map, layer);
    placer.setPlaces(places);
    /* A clustered map: at a zoom that cuts the tree differently, its clusters, flows,
     * circles, names and title box change together. */
    function relevel() {
      var next = flowmap.cluster.view(full, map.getZoom());
      if (!next.level || flowmap.cluster.same(next.level.labels, spec.level.labels)) { return; }
      spec = next;
      flowmap.spec = spec;
      layer.use(spec);
      places.clearLayers();
      overlays.places(map, spec, layer, places);
      labels.clearLayers();
      overlays.labels(map, spec, labels);
      sayLevel();
      layer.schedule();
      placer.schedule();
    }
    if (full.clusters) {
      relevel();
      flowmap.dom.listen(map, "zoomend", relevel);
    }
    placer.place();
    flowmap.labels = placer;
    return flowmap;
  };

  /* What a view may change of the map drawn in place (flowmap.redraw): not its language,
   * look, tile layers or the list of its layers (the border overlay, uploaded districts).
   * A clustered map is always drawn anew: what it shows first depends on the zoom it
   * opens at (cluster.js), which is a new map's. */
  function lookOf(spec, how) {
    var layers = (spec.layers || []).map(function (def) { return [def.name, def.featuresRef === undefined]; });
    return spec.clusters ? null : JSON.stringify([spec.locale, spec.style && spec.style.theme, how.tiles || [], layers]);
  }

  /* Draw `spec` in the page's map element `element` in place of the map drawn there
   * before. The app's live map (live.js) calls it for each view, so Leaflet, the scripts
   * and the base layers' GeoJSON are read once per page.
   *
   * A view of the same language, look, tiles and layers is drawn on the same Leaflet map:
   * what the view before put on it (flows, circles, names, boxes, controls, the inset and
   * their handlers: flowmap.dom.hold) goes, its base layers of the same features stay,
   * and flowmap.app draws the new view as on a new map (the frame does not depend on the
   * view before). Otherwise that map goes whole (with what the view held), and a new one (as a map page opens one:
   * `how.centre`, zoom 3, its `how.tiles`, each {url, options}) draws the spec. */
  flowmap.redraw = function (element, spec, how) {
    var root = document.documentElement, look = lookOf(spec, how), map = flowmap.map;
    root.removeAttribute("data-flowmap-ready");
    root.removeAttribute("data-flowmap-complete");
    if (map && map.getContainer() === element && look !== null && map.fmLook === look) {
      flowmap.dom.release(map);
    } else {
      if (map) {
        flowmap.dom.release(map);  // what is not Leaflet's own (the flows' tip) goes too
        map.remove();
      }
      root.lang = String(spec.locale || "en").split("-")[0];
      map = L.map(element, {
        center: how.centre, zoom: 3, zoomControl: true, preferCanvas: false, zoomSnap: 0.1
      });
      var tiles = how.tiles || [];
      for (var i = 0; i < tiles.length; i++) { L.tileLayer(tiles[i].url, tiles[i].options).addTo(map); }
      map.fmLook = look;
    }
    flowmap.map = map;
    flowmap.draws = (flowmap.draws || 0) + 1;
    root.setAttribute("data-flowmap-draws", String(flowmap.draws));
    return flowmap.app(map, spec);
  };
}(window.flowmap = window.flowmap || {}));
