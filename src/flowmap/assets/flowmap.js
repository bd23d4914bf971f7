/* Flowmap: the page around the flow layer.
 *
 * flowmap.app(map, spec) draws the base layers and overlays, the flows (flowmap.FlowLayer),
 * the circles and labels of places, the title, legend and source boxes, and frames the
 * view. All text arrives as data and is placed with textContent; nothing is parsed as HTML.
 */
(function (flowmap) {
  "use strict";

  var el = flowmap.dom.el, escapeHtml = flowmap.dom.escapeHtml;
  var overlays = flowmap.overlays, controls = flowmap.controls, frame = flowmap.frame;

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
    }
    var layer = new flowmap.FlowLayer(spec);
    var control = L.control.layers(null, null, { collapsed: true, position: "topright" });
    // Layers are built first and put on the map only once the view is set, so that
    // nothing is drawn twice (at folium's opening view, then at the fitted one).
    var base = spec.layers || [], shown = [];
    if (!map.getPane("fm-above")) { map.createPane("fm-above").style.zIndex = 455; }  // over the flows
    for (var b = 0; b < base.length; b++) {
      var gl = overlays.geo(base[b], spec.view && spec.view.bounds);
      if (base[b].show !== false) { shown.push(gl); }
      if (base[b].name) { control.addOverlay(gl, escapeHtml(base[b].name)); }
    }
    var places = overlays.places(map, spec, layer);
    control.addOverlay(places, escapeHtml(spec.text.layers.places));
    var labels = overlays.labels(map, spec);
    control.addOverlay(labels, escapeHtml(spec.text.layers.labels));
    control.addTo(map);

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
    var v = spec.view;
    if (v && v.bounds) {
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
    for (var s = 0; s < shown.length; s++) { shown[s].addTo(map); }
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
      map.on("zoomend", relevel);
    }
    placer.place();
    flowmap.labels = placer;
    return flowmap;
  };

  /* Draw `spec` in the page's map element `element` in place of the map drawn there
   * before: that map goes with its layers, boxes and handlers, and a new Leaflet map (as a
   * map page opens one: `how.centre`, zoom 3, its `how.tiles`, each {url, options}) draws
   * the spec with flowmap.app. The app's live map (live.js) calls it for each view, so
   * Leaflet, the scripts and the base layers' GeoJSON are read once per page. */
  flowmap.redraw = function (element, spec, how) {
    if (flowmap.insetMap) { flowmap.insetMap.remove(); }
    if (flowmap.map) { flowmap.map.remove(); }
    flowmap.insetMap = flowmap.map = null;
    var root = document.documentElement;
    root.removeAttribute("data-flowmap-ready");
    root.removeAttribute("data-flowmap-complete");
    root.lang = String(spec.locale || "en").split("-")[0];
    document.body.classList.remove("fm-dark-page");
    var map = L.map(element, {
      center: how.centre, zoom: 3, zoomControl: true, preferCanvas: false, zoomSnap: 0.1
    });
    var tiles = how.tiles || [];
    for (var i = 0; i < tiles.length; i++) { L.tileLayer(tiles[i].url, tiles[i].options).addTo(map); }
    flowmap.draws = (flowmap.draws || 0) + 1;
    root.setAttribute("data-flowmap-draws", String(flowmap.draws));
    return flowmap.app(map, spec);
  };
}(window.flowmap = window.flowmap || {}));
