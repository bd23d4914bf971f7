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

  function oneGeoLayer(def, shift) {
    return L.geoJSON(def.features, {
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
        if (f.properties._tip) { layer.bindTooltip(tipBody(f.properties._tip), { sticky: true }); }
      }
    });
  }

  /* Circle areas are proportional to arrivals + departures, on their own scale. */
  function radiusOf(spec, i, most) {
    return scales.radius(spec.style.maxRadius, spec.totals.total[i], most);
  }

  /* The place circles (their tooltips say arrivals and departures, or the net). */
  function placeLayer(map, spec, layer) {
    var pane = map.createPane("fm-places");
    pane.style.zIndex = 460;
    var p = spec.places, group = L.featureGroup(), renderer = L.canvas({ padding: 0.2, pane: "fm-places" });
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
    var most = scales.largestTotal(spec);
    var spans = items.map(function (k) {
      var label = el("span", null, p.name[k]);
      var m = L.marker([p.lat[k], p.lon[k]], {
        interactive: false, keyboard: false,
        icon: L.divIcon({ className: "fm-label fm-place-label", html: label, iconSize: null })
      });
      m.fmLabel = {
        kind: "place", rank: p.focus && p.focus[k] ? 0 : 2, value: tot.total[k],
        radius: radiusOf(spec, k, most), index: k
      };
      group.addLayer(m);
      return [label, k];
    });
    // Names may change (the language switch of a playable export).
    map.on("flowmap:update", function () {
      for (var s = 0; s < spans.length; s++) { spans[s][0].textContent = String(p.name[spans[s][1]]); }
    });
    return group;
  }

  flowmap.overlays = { geo: geoLayer, places: placeLayer, labels: labelLayer, radiusOf: radiusOf };
}(window.flowmap = window.flowmap || {}));
