/* Flowmap: the map's layers besides the flows: the overlays of the spec (areas, lines,
 * points and their labels), the place circles and the place names. */
(function (flowmap) {
  "use strict";

  var el = flowmap.dom.el, tipBody = flowmap.dom.tipBody;
  var scales = flowmap.scales, tips = flowmap.tips;

  /* One overlay of spec.layers (GeoJSON features with _style, _label, _tip and _names); a
   * base layer (the countries) also east or west of ±180 when the view `bounds` reach there
   * (a Pacific-centred world map shows one world, across the antimeridian). */
  function geoLayer(def, bounds) {
    var shifts = [0];
    if (def.base && bounds) {
      if (bounds[1][1] > 180) { shifts.push(360); }
      if (bounds[0][1] < -180) { shifts.push(-360); }
    }
    if (shifts.length === 1) { return oneGeoLayer(def, 0); }
    return L.featureGroup(shifts.map(function (s) { return oneGeoLayer(def, s); }));
  }

  /* The features marked _above (the enclaves, the district centres) go on the "fm-above"
   * pane, over the flows (flowmap.js makes it), so that no flow hides them. */
  function oneGeoLayer(def, shift) {
    var all = (def.features && def.features.features) || [];
    var up = all.filter(function (f) { return f.properties && f.properties._above; });
    if (!up.length) { return geoJson(def, def.features, shift); }
    var rest = all.filter(function (f) { return !(f.properties && f.properties._above); });
    return L.featureGroup([
      geoJson(def, { type: "FeatureCollection", features: rest }, shift),
      geoJson(def, { type: "FeatureCollection", features: up }, shift, "fm-above")
    ]);
  }

  function geoJson(def, features, shift, pane) {
    return L.geoJSON(features, {
      pane: pane || "overlayPane",
      coordsToLatLng: function (c) { return L.latLng(c[1], c[0] + shift); },
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
            kind: "area", rank: flowmap.labelPlace.rank(f.properties._class, f.properties._rank),
            value: Number(f.properties._value) || 0
          };
          // A playable export's language switch sets <html lang>: names follow it.
          // Listened to while the marker is on a map (a base layer stays for the next view).
          var names = f.properties._names;
          if (names && typeof names === "object") {
            var rename = function () {
              var code = document.documentElement.lang;
              if (typeof names[code] === "string") { label.textContent = names[code]; }
            };
            marker.on("add", function (e) { e.target._map.on("flowmap:update", rename); });
            marker.on("remove", function (e) { e.target._map.off("flowmap:update", rename); });
          }
          return marker;
        }
        return L.circleMarker(latlng, L.extend({ pane: pane || "overlayPane" }, f.properties._style || {}));
      },
      onEachFeature: function (f, layer) {
        if (f.properties._tip) { layer.bindTooltip(tipBody(f.properties._tip), { sticky: true }); }
      }
    });
  }

  /* Circle areas are proportional to arrivals + departures, on their own scale. */
  function radiusOf(spec, i, most) {
    return scales.radius(spec.style.maxRadius, spec.totals.total[i], most);
  }

  /* The place circles (their tooltips say arrivals and departures, or the net), in
   * `group` when given (a clustered map refills it at each level). */
  function placeLayer(map, spec, layer, group) {
    if (!map.getPane("fm-places")) { map.createPane("fm-places").style.zIndex = 460; }
    group = group || L.featureGroup();
    var p = spec.places, renderer = group.fmRenderer || L.canvas({ padding: 0.2, pane: "fm-places" });
    group.fmRenderer = renderer;
    var tot = spec.totals, most = scales.largestTotal(spec), dark = spec.style.theme === "dark";
    for (var i = 0; i < p.id.length; i++) {
      if (!tot || !(tot.total[i] > 0)) { continue; }
      var radius = radiusOf(spec, i, most);
      var circle = L.circleMarker([p.lat[i], p.lon[i]], {
        renderer: renderer, radius: radius, color: dark ? "#d0d0d0" : "#333", weight: 1,
        fillColor: p.focus && p.focus[i] ? "#ffd54f" : dark ? "#2a2f38" : "#fff", fillOpacity: 0.9
      });
      var body = tipBody(tips.circleRows(spec, i, layer.fmt));
      body.insertBefore(el("b", "fm-tip-title", p.name[i]), body.firstChild);
      circle.bindTooltip(body, { sticky: true });
      circle.fmIndex = i;
      group.addLayer(circle);
    }
    return group;
  }

  /* Names of the places with flows, largest totals first (at most spec.maxLabels, 60);
   * the placer in labels.js puts them beside their circles where there is room. On a map
   * of more places than that, the names are those of the largest places in view, chosen
   * again after every move, so that every zoom names its own largest places. `group` is
   * refilled when given (a clustered map's new level). */
  function labelLayer(map, spec, group) {
    var p = spec.places, tot = spec.totals, all = [], spans = [];
    group = group || L.layerGroup();
    for (var i = 0; i < p.id.length; i++) {
      if (!tot || !(tot.total[i] > 0)) { continue; }
      all.push(i);
    }
    all.sort(function (a, b) { return tot.total[b] - tot.total[a]; });
    var most = spec.maxLabels || 60, dense = all.length > most, top = scales.largestTotal(spec);

    function marker(k) {
      var label = el("span", null, p.name[k]);
      var m = L.marker([p.lat[k], p.lon[k]], {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: "fm-label fm-place-label", html: label, iconSize: null })
      });
      m.fmLabel = {
        kind: "place", rank: p.focus && p.focus[k] ? 0 : 2, value: tot.total[k],
        radius: radiusOf(spec, k, top), index: k
      };
      group.addLayer(m);
      return [label, k];
    }

    function inView(bounds, k) {
      return bounds.contains([p.lat[k], p.lon[k]]) || bounds.contains([p.lat[k], p.lon[k] - 360]) ||
        bounds.contains([p.lat[k], p.lon[k] + 360]);
    }

    function fill() {
      var items = all;
      if (dense) {
        var bounds = map.getBounds().pad(0.05);
        items = all.filter(function (k) { return inView(bounds, k); });
      }
      group.clearLayers();
      spans = items.slice(0, most).map(marker);
    }

    fill();
    if (group.fmFill) { map.off("moveend", group.fmFill); }
    group.fmFill = dense ? fill : null;
    if (dense) { flowmap.dom.listen(map, "moveend", fill); }
    // Names may change (the language switch of a playable export; never clustered).
    if (!group.fmFilled) {
      flowmap.dom.listen(map, "flowmap:update", function () {
        for (var s = 0; s < spans.length; s++) { spans[s][0].textContent = String(p.name[spans[s][1]]); }
      });
    }
    group.fmFilled = true;
    return group;
  }

  flowmap.overlays = { geo: geoLayer, places: placeLayer, labels: labelLayer, radiusOf: radiusOf };
}(window.flowmap = window.flowmap || {}));
