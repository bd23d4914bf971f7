/* Flowmap: the map's boxes and Leaflet's own controls in the map's language. */
(function (flowmap) {
  "use strict";

  var el = flowmap.dom.el, escapeHtml = flowmap.dom.escapeHtml;

  /* A box in a corner of the map (a Leaflet control) filled by build(div); clicks and
   * scrolls on it stay off the map. Returns the box's element. */
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
    flowmap.dom.hold(map, function () { control.remove(); });  // it goes with the view
    return control.getContainer();
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
    flowmap.dom.hold(map, function () { scale.remove(); });
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
    flowmap.dom.listen(map, "flowmap:update", update);
  }

  flowmap.controls = { box: box, local: localControls };
}(window.flowmap = window.flowmap || {}));
