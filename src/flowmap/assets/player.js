/* Flowmap: the player of a playable export (flowmap/player.py writes its data, spec.player).
 *
 * flowmap.player(map, spec, layer, parts) puts a year/period slider, a play button, the
 * direction and destination toggles and the language switch into the title box. On every
 * change it shows the flows of the view (layer.setVisible), sizes the place circles by the
 * totals of what is shown (spec.totals is rewritten in place), rewrites the texts in the
 * chosen language (spec.places.name too) and fires "flowmap:update" for the labels.
 *
 * The language switch leaves nothing in the language the file was written in: texts,
 * legend, notes, alerts, <html lang> and the document's title, the names of the layer
 * control's entries (spec.layers[].names, text.layers) and the overlays' tooltips (each
 * feature's _tips), the flows' tooltip labels and values (spec.attributes); the overlays'
 * labels (_names) and Leaflet's own controls (text.controls) follow "flowmap:update".
 *
 * What a view shows (and the honesty rules) is in playview.js; the controls are built by
 * playerui.js. Every text goes in with textContent, never as HTML; the layer control's entries, which
 * Leaflet writes as HTML, are escaped first.
 */
(function (flowmap) {
  "use strict";

  var el = flowmap.dom.el, tipBody = flowmap.dom.tipBody, escapeHtml = flowmap.dom.escapeHtml;
  var play = flowmap.play;

  /* The map's layer control: the one flowmap.js passes, else the control that listens to
   * the places layer (Leaflet's layer control follows each of its layers' add/remove). */
  function layerControl(parts) {
    if (parts.control) { return parts.control; }
    var listeners = parts.places && parts.places._events ? parts.places._events.add || [] : [];
    for (var k = 0; k < listeners.length; k++) {
      if (listeners[k].ctx instanceof L.Control.Layers) { return listeners[k].ctx; }
    }
    return null;
  }

  /* True when one of the names (by language) is the layer control's entry `shown`. */
  function knows(names, shown) {
    return Object.keys(names).some(function (c) {
      return typeof names[c] === "string" && escapeHtml(names[c]) === shown;
    });
  }

  flowmap.player = function (map, spec, layer, parts) {
    var P = spec.player, f = spec.flows, n = f.o.length, p = spec.places;
    var langs = {}, i;
    for (i = 0; i < P.langs.length; i++) { langs[P.langs[i].code] = P.langs[i]; }
    var state = {
      stop: P.start.stop, dir: P.start.dir, lang: langs[P.start.lang] ? P.start.lang : P.langs[0].code,
      checked: new Uint8Array(P.boxes.length).fill(1), timer: null
    };
    var yearStops = [], stopOfTime = {};
    for (i = 0; i < P.stops.length; i++) {
      if (!P.span[i]) { yearStops.push(i); }
      stopOfTime[P.stops[i]] = i;
    }

    var most = play.circleScale(P, spec);
    var styleLegend = (spec.style.legend || []).slice();

    /* ------------------------------------------------------------ controls */

    var words = function () { return langs[state.lang].words; };
    var titleBox = parts.title;
    var nodes = flowmap.playerUi.build(P, spec, titleBox, yearStops, {
      dir: function (dir) { state.dir = dir; update(); },
      lang: function (code) { setLang(code); },
      box: function (k, on) { state.checked[k] = on; update(); },
      all: function (on) { state.checked.fill(on); update(); },
      slider: function (stop) { pause(); state.stop = stop; update(); },
      play: function () { if (state.timer) { pause(); } else { start(); } }
    });
    var heading = nodes.heading, subtitle = nodes.subtitle, ui = nodes.ui, playButton = nodes.playButton;
    var yearLabel = nodes.yearLabel, caption = nodes.caption, slider = nodes.slider;
    var dirGroup = nodes.dirGroup, dirButtons = nodes.dirButtons, langSelect = nodes.langSelect;
    var summary = nodes.summary, boxInputs = nodes.boxInputs, boxNames = nodes.boxNames;
    var allButton = nodes.allButton, noneButton = nodes.noneButton, note = nodes.note;

    /* ------------------------------------------------------------ playing */

    function start() {
      if (yearStops.length < 2) { return; }
      var k = yearStops.indexOf(state.stop);
      if (k < 0 || k === yearStops.length - 1) {
        state.stop = yearStops[0];
        update();
      }
      state.timer = window.setInterval(step, P.step || 1200);
      showPlaying();
    }

    function step() {
      var k = yearStops.indexOf(state.stop);
      if (k < 0 || k + 1 >= yearStops.length) { pause(); return; }
      state.stop = yearStops[k + 1];
      update();
      if (k + 2 >= yearStops.length) { pause(); }  // stop at the last year
    }

    function pause() {
      if (state.timer) { window.clearInterval(state.timer); }
      state.timer = null;
      showPlaying();
    }

    function showPlaying() {
      var w = words(), playing = !!state.timer;
      playButton.textContent = playing ? "❚❚" : "▶";
      playButton.setAttribute("aria-pressed", playing ? "true" : "false");
      playButton.setAttribute("aria-label", playing ? w.pause : w.play);
      playButton.title = playing ? w.pause : w.play;
    }

    /* ------------------------------------------------------------ language */

    // The names of the layer control's entries in each language: the overlays' own
    // (spec.layers[].names) and the page's (circles, labels, inset in text.layers).
    var control = layerControl(parts), entryNames = [];
    (spec.layers || []).forEach(function (def) { if (def.names) { entryNames.push(def.names); } });
    Object.keys(P.langs[0].text.layers || {}).forEach(function (key) {
      var names = {};
      P.langs.forEach(function (l) { names[l.code] = (l.text.layers || {})[key]; });
      entryNames.push(names);
    });

    /* The layer control's entries and the overlays' tooltips (features with _tips, on the
     * map or in a layer the control has switched off) in the language `code`. */
    function localiseLayers(code) {
      function retip(shape) {
        var tips = shape.feature && shape.feature.properties ? shape.feature.properties._tips : null;
        if (tips && Array.isArray(tips[code]) && shape.getTooltip()) { shape.setTooltipContent(tipBody(tips[code])); }
      }
      map.eachLayer(retip);
      if (!control) { return; }
      var changed = false;
      (control._layers || []).forEach(function (entry) {
        for (var k = 0; k < entryNames.length; k++) {
          var names = entryNames[k];
          if (knows(names, entry.name) && typeof names[code] === "string") {
            var name = escapeHtml(names[code]);
            if (entry.name !== name) { entry.name = name; changed = true; }
            break;
          }
        }
        if (entry.layer.eachLayer && !map.hasLayer(entry.layer)) { entry.layer.eachLayer(retip); }
      });
      if (changed && control._map) { control._update(); }
    }

    function setLang(code, quiet) {
      if (!langs[code]) { return; }
      state.lang = code;
      var l = langs[code], key;
      for (var j = 0; j < p.name.length; j++) { p.name[j] = l.names[j]; }
      spec.locale = l.locale;
      spec.numbers = l.numbers;
      layer.fmt = flowmap.format.numberFormat(l.numbers);
      for (key in l.text) { if (Object.prototype.hasOwnProperty.call(l.text, key)) { spec.text[key] = l.text[key]; } }
      for (j = 0; j < spec.attributes.length && j < l.attributes.length; j++) {
        spec.attributes[j].label = l.attributes[j].label;
        spec.attributes[j].labels = l.attributes[j].labels;
      }
      document.documentElement.lang = code;
      if (heading) { heading.textContent = l.text.title; }
      var alerts = titleBox.querySelectorAll(".fm-alert");
      for (j = 0; j < alerts.length; j++) {
        if (l.text.alerts && typeof l.text.alerts[j] === "string") { alerts[j].textContent = l.text.alerts[j]; }
      }
      localiseLayers(code);
      var details = parts.notes ? parts.notes.querySelector("details") : null;
      if (details) {
        var source = details.querySelector("summary");
        if (source) { source.textContent = l.text.source; }
        var old = details.querySelectorAll("p");
        for (j = 0; j < old.length; j++) { old[j].remove(); }
        (l.text.notes || []).forEach(function (text) { details.appendChild(el("p", null, text)); });
      }
      var w = l.words;
      slider.setAttribute("aria-label", w.slider);
      dirGroup.setAttribute("aria-label", w.direction);
      langSelect.setAttribute("aria-label", w.language);
      langSelect.value = code;
      P.dirs.forEach(function (dir) {
        dirButtons[dir].textContent = w.dirs[dir];
        dirButtons[dir].title = w.dirsLong[dir];
      });
      boxNames.forEach(function (node, k) { node.textContent = p.name[P.boxes[k]]; });
      boxInputs.forEach(function (input, k) { input.parentNode.title = p.name[P.boxes[k]]; });
      allButton.textContent = w.all;
      noneButton.textContent = w.none;
      showPlaying();
      update(quiet);
    }

    /* ------------------------------------------------------------ one update */

    /* A place circle's tooltip: its name, then what flowmap.tips.circleRows says. */
    function circleBody(j) {
      var body = tipBody(flowmap.tips.circleRows(spec, j, layer.fmt));
      body.insertBefore(el("b", "fm-tip-title", p.name[j]), body.firstChild);
      return body;
    }

    var circles = [];
    if (parts.places) { parts.places.eachLayer(function (c) { if (c.fmIndex !== undefined) { circles.push(c); } }); }

    function updateCircles() {
      var largest = most[P.span[state.stop] ? 1 : 0];
      circles.forEach(function (c) {
        var j = c.fmIndex, total = spec.totals.total[j];
        if (!(total > 0)) {
          if (parts.places.hasLayer(c)) { parts.places.removeLayer(c); }
          return;
        }
        c.setRadius(flowmap.scales.radius(spec.style.maxRadius, total, largest));
        if (c.getTooltip()) { c.setTooltipContent(circleBody(j)); } else { c.bindTooltip(circleBody(j), { sticky: true }); }
        if (!parts.places.hasLayer(c)) { parts.places.addLayer(c); }
      });
    }

    function rebuildLegend() {
      if (!parts.legend || !parts.legendBuild) { return; }
      var old = parts.legend.querySelector("details"), open = old ? old.open : null;
      parts.legend.textContent = "";
      parts.legendBuild(parts.legend);
      var now = parts.legend.querySelector("details");
      if (now && open !== null) { now.open = open; }
    }

    function update(quiet) {
      var vis = play.mask(P, state.stop, state.dir, state.checked), l = langs[state.lang], w = l.words, j;
      var tot = play.totalsOf(spec, vis), present = {};
      ["in", "out", "total"].forEach(function (key) {
        if (!spec.totals[key]) { spec.totals[key] = []; }
        for (var m = 0; m < tot[key].length; m++) { spec.totals[key][m] = tot[key][m]; }
      });
      // Legend, circles and tooltips say what this direction shows (net as gain and loss).
      var said = l.byDir[state.dir] || l.byDir[P.dirs[0]];
      for (j = 0; j < n; j++) { if (vis[j]) { present[f.k[j]] = true; } }
      for (j = 0; j < spec.style.kinds.length; j++) { spec.style.kinds[j].legend = present[j] ? said.kinds[j] || "" : ""; }
      var legendText = {}, lk;
      for (lk in l.text.legend) { if (Object.prototype.hasOwnProperty.call(l.text.legend, lk)) { legendText[lk] = l.text.legend[lk]; } }
      legendText.notes = said.notes;
      spec.text.legend = legendText;
      // The legend explains only the line styles drawn (reported, derived, modelled).
      var styles = play.stylesShown(spec, vis);
      spec.style.legend = styleLegend.filter(function (entry, k) {
        entry.label = l.styles[k] !== undefined ? l.styles[k] : entry.label;
        return styles[(entry.dashed ? 1 : 0) + "|" + (entry.pale ? 1 : 0)];
      });
      var tip = {}, key;
      for (key in l.text.tip) { if (Object.prototype.hasOwnProperty.call(l.text.tip, key)) { tip[key] = l.text.tip[key]; } }
      tip.signed = said.signed;
      spec.text.tip = tip;
      layer.setVisible(vis);
      updateCircles();
      var label = spec.times[P.stops[state.stop]];
      yearLabel.textContent = label;
      caption.textContent = P.span[state.stop] ? w.span : w.year;
      slider.value = String(state.stop);
      slider.setAttribute("aria-valuetext", label);
      var chosen = [];
      for (j = 0; j < P.boxes.length; j++) { if (state.checked[j] && P.named[j]) { chosen.push(p.name[P.boxes[j]]); } }
      var sub = [w.dirsLong[state.dir], label, w.group];
      if (chosen.length > 0 && chosen.length <= 4) { sub.push(chosen.join(", ")); }
      subtitle.textContent = P.subtitle !== null && P.subtitle !== undefined ? P.subtitle : sub.join(" · ");
      document.title = subtitle.textContent ? l.text.title + " · " + subtitle.textContent : l.text.title;
      P.dirs.forEach(function (dir) { dirButtons[dir].setAttribute("aria-pressed", dir === state.dir ? "true" : "false"); });
      var ticked = 0;
      boxInputs.forEach(function (input, k) { input.checked = !!state.checked[k]; ticked += state.checked[k]; });
      summary.textContent = ((w.destsByDir && w.destsByDir[state.dir]) || w.dests) + " · " + ticked + "/" + P.boxes.length;
      note.textContent = play.note(P, spec, state, vis, w);
      note.style.display = note.textContent ? "" : "none";
      rebuildLegend();
      ui.setAttribute("data-stop", label);
      ui.setAttribute("data-dir", state.dir);
      ui.setAttribute("data-lang", state.lang);
      if (quiet !== true) { map.fire("flowmap:update"); }
    }

    setLang(state.lang, true);
    // The labels are put on the map after this call: tell them once everything is there.
    window.setTimeout(function () { map.fire("flowmap:update"); }, 0);

    var api = {
      state: function () {
        return { stop: state.stop, label: spec.times[P.stops[state.stop]], dir: state.dir, lang: state.lang, playing: !!state.timer };
      },
      setStop: function (k) { pause(); state.stop = Math.max(0, Math.min(P.stops.length - 1, k)); update(); },
      setDir: function (dir) { if (P.dirs.indexOf(dir) >= 0) { state.dir = dir; update(); } },
      setLang: function (code) { setLang(code); },
      play: start,
      pause: pause
    };
    flowmap.playback = api;
    return api;
  };
}(window.flowmap = window.flowmap || {}));
