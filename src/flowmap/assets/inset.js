/* Flowmap: the overview inset.
 *
 * flowmap.inset(map, spec, layer, control) adds a small second map in the top-right corner
 * (below the layer control, within the strip the legend already keeps free) that shows the
 * whole picture: the basemap, the largest flows now shown on the map (it follows a playable
 * export's year, direction and destinations) and a rectangle where the main map is. It is
 * an entry of the layer control, on by default when flows leave the opening view and the map
 * is large enough, off otherwise. It takes no clicks, so the main map keeps them.
 */
(function (flowmap) {
  "use strict";

  var TOP = 2000;  // flows the inset carries, largest first

  /* The largest flows of the main layer (indices into its spec). */
  function largest(layer) {
    return layer.order.slice(0, TOP);
  }

  /* The inset layer's mask: the main layer's, for the flows it carries (null: all). */
  function maskOf(layer, pick) {
    if (!layer.visible) { return null; }
    var mask = new Uint8Array(pick.length);
    for (var j = 0; j < pick.length; j++) { mask[j] = layer.visible[pick[j]] ? 1 : 0; }
    return mask;
  }

  /* The spec of the inset's own flow layer: the largest flows, thinner lines. */
  function insetSpec(spec, pick) {
    var f = spec.flows, keys = Object.keys(f), sub = {};
    keys.forEach(function (k) {
      if (Array.isArray(f[k])) {
        sub[k] = pick.map(function (i) { return f[k][i]; });
      } else if (f[k] && typeof f[k] === "object") {
        sub[k] = {};
        Object.keys(f[k]).forEach(function (a) { sub[k][a] = pick.map(function (i) { return f[k][a][i]; }); });
      } else {
        sub[k] = f[k];
      }
    });
    var scale = Object.assign({}, spec.scale, { maxPx: Math.max(1.5, spec.scale.maxPx * 0.4), minPx: 0.7 });
    return Object.assign({}, spec, { flows: sub, scale: scale });
  }

  /* The bounds of the ends of the flows (those shown now when `visible` is given), each
   * longitude taken within 180° of `mid` (the main view's middle): a Pacific-centred map
   * gets a Pacific-centred overview, not one cut through its flows at ±180°. */
  function endBounds(spec, layer, visible, mid) {
    var p = spec.places, pts = layer.endPlaces(visible).map(function (k) {
      return [p.lat[k], flowmap.geo.unwrap(p.lon[k], mid)];
    });
    return pts.length ? L.latLngBounds(pts) : null;
  }

  /* The middle longitude of the opening view (0 without one). */
  function viewMiddle(spec) {
    var v = spec.view;
    return v && v.bounds ? (v.bounds[0][1] + v.bounds[1][1]) / 2 : 0;
  }

  flowmap.inset = function (map, spec, layer, control) {
    var mid = viewMiddle(spec), size = map.getSize();
    var whole = endBounds(spec, layer, null, mid), now = endBounds(spec, layer, layer.visible, mid);
    if (!whole || !layer.n) { return null; }
    var v = spec.view, leaves = !!(v && v.bounds && now) && !L.latLngBounds(v.bounds).pad(0.05).contains(now);
    var w = Math.max(160, Math.min(240, Math.round(size.x * 0.16))), h = Math.round(w * 0.62);
    var holder = null, mini = null, frame = null;
    var corner = L.control({ position: "topright" });
    corner.onAdd = function () {
      holder = document.createElement("div");
      holder.className = "fm-box fm-inset";
      holder.style.width = w + "px";
      holder.style.height = h + "px";
      holder.style.pointerEvents = "none";
      return holder;
    };

    function build() {
      mini = L.map(holder, {
        zoomControl: false, attributionControl: false, dragging: false, scrollWheelZoom: false,
        doubleClickZoom: false, boxZoom: false, keyboard: false, touchZoom: false, zoomSnap: 0.25,
        fadeAnimation: false, zoomAnimation: false
      });
      var base = spec.layers || [], span = whole.pad(0.08);
      var reach = [[span.getSouth(), span.getWest()], [span.getNorth(), span.getEast()]];
      for (var b = 0; b < base.length; b++) {
        if (!base[b].base) { continue; }
        // The countries, also east or west of ±180° where the overview reaches there.
        flowmap.overlays.geo({ base: true, features: base[b].features }, reach).addTo(mini);
      }
      mini.fitBounds(span, { animate: false });
      flowmap.insetMap = mini;  // for scripts and tests, as flowmap.map is
      flowmap.dom.hold(map, function () { mini.remove(); corner.remove(); flowmap.insetMap = null; });
      var pick = largest(layer), flows = new flowmap.FlowLayer(insetSpec(spec, pick));
      flows.setVisible(maskOf(layer, pick));
      flows.addTo(mini);
      // A playable export changes the year, direction or destinations: follow the map.
      flowmap.dom.listen(map, "flowmap:update", function () { flows.setVisible(maskOf(layer, pick)); });
      frame = L.rectangle(map.getBounds(), { color: spec.style.theme === "dark" ? "#e8e8e8" : "#222", weight: 1.5, fill: false, interactive: false }).addTo(mini);
    }

    var toggle = L.layerGroup();
    toggle.on("add", function () {
      if (!holder) { corner.addTo(map); build(); }
      holder.style.display = "";
      frame.setBounds(map.getBounds());
    });
    toggle.on("remove", function () { if (holder) { holder.style.display = "none"; } });
    flowmap.dom.listen(map, "moveend", function () { if (frame) { frame.setBounds(map.getBounds()); } });
    control.addOverlay(toggle, flowmap.dom.escapeHtml(spec.text.layers.inset || "Overview"));
    if (leaves && size.x >= 900 && size.y >= 560) { toggle.addTo(map); }
    flowmap.dom.hold(map, function () { map.removeLayer(toggle); });
    return toggle;
  };
}(window.flowmap = window.flowmap || {}));
