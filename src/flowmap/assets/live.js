/* Flowmap: the app's live map, a Streamlit custom component (flowmap/render/live.py,
 * webapp/livemap.py). The page loads Leaflet and the scripts once; on each change the app
 * sends it the new view's arguments and flowmap.redraw draws them in the same document.
 *
 * The arguments (Streamlit's "render" message): `spec` (the spec's JSON text, each layer's
 * GeoJSON replaced by `featuresRef`, a digest), `features` (the GeoJSON text of the layers
 * this page has not been sent yet, by digest), `tiles`, `centre`, `title` (the app's name
 * for the map, for screen readers) and `report`: when true, the page says it has its view
 * (its value becomes {ready: n}) before drawing it, once; the app draws its map alone on a
 * session's first run and the rest of the page when it hears this. A page that lacks a
 * layer's features (the app thought it had them) asks for them: its value becomes
 * {need: [digests], ask: n}, and the app sends them on the rerun that follows.
 */
(function (flowmap) {
  "use strict";

  var held = {};  // the parsed features of the layers, by digest
  var asked = 0;
  var last = null;  // the arguments drawn last
  var reported = false;  // whether this page said it has its view

  function send(type, data) {
    var message = { isStreamlitMessage: true, type: type };
    for (var k in data) {
      if (Object.prototype.hasOwnProperty.call(data, k)) { message[k] = data[k]; }
    }
    window.parent.postMessage(message, "*");
  }

  /* Draw the view of `args` unless it is the one drawn already; ask for missing layers. */
  function render(args) {
    if (args.report && !reported) {
      reported = true;
      send("streamlit:setComponentValue", { value: { ready: Date.now() }, dataType: "json" });
    }
    var got = args.features || {};
    for (var digest in got) {
      if (Object.prototype.hasOwnProperty.call(got, digest)) { held[digest] = JSON.parse(got[digest]); }
    }
    if (last && last.spec === args.spec && JSON.stringify(last.tiles) === JSON.stringify(args.tiles)) {
      return;
    }
    var spec = JSON.parse(args.spec), layers = spec.layers || [], need = [];
    for (var i = 0; i < layers.length; i++) {
      var ref = layers[i].featuresRef;
      if (ref === undefined) { continue; }
      if (held[ref] === undefined) { need.push(ref); } else { layers[i].features = held[ref]; }
    }
    if (need.length) {
      asked += 1;
      send("streamlit:setComponentValue", { value: { need: need, ask: asked + ":" + Date.now() }, dataType: "json" });
      return;
    }
    last = args;
    // The frame's name for screen readers: the app's words for the map, and its title.
    var text = spec.text || {}, named = [args.title, text.title, text.subtitle];
    document.title = named.filter(function (part) { return typeof part === "string" && part; }).join(" · ");
    flowmap.redraw(document.getElementById("fm-live"), spec, { centre: args.centre, tiles: args.tiles });
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) { return; }
    var data = event.data;
    if (data && data.type === "streamlit:render" && data.args) { render(data.args); }
  });
  send("streamlit:componentReady", { apiVersion: 1 });
  // 640 px before the app's style (webapp/page.css) fits the frame to the screen.
  send("streamlit:setFrameHeight", { height: 640 });
}(window.flowmap = window.flowmap || {}));
