/* Flowmap: the player of a playable export (flowmap/player.py writes its data, spec.player).
 *
 * flowmapPlayer(map, spec, layer, parts) puts a year/period slider, a play button, the
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
 * Honesty rules: a multi-year total is drawn only on its own slider stop, never on a year;
 * on a year, chosen destinations that the source gives only as a total are named in a note.
 * Every text goes in with textContent, never as HTML; the layer control's entries, which
 * Leaflet writes as HTML, are escaped first.
 */
(function () {
  "use strict";

  var CSS = [
    ".fm-player{margin-top:6px;border-top:1px solid #d5d5d5;padding-top:5px;min-width:250px}",
    ".fm-p-head{display:flex;align-items:center;gap:8px}",
    ".fm-p-play{flex:none;width:30px;height:30px;border-radius:50%;border:1px solid #777;",
    "background:#fff;cursor:pointer;font:13px/1 system-ui,sans-serif;padding:0;color:#222}",
    ".fm-p-play:hover{background:#f0f0f0}.fm-p-play[aria-pressed=true]{background:#333;color:#fff}",
    ".fm-p-year{flex:none;white-space:nowrap;font:700 26px/1 system-ui,sans-serif;",
    "font-variant-numeric:tabular-nums;color:#1a1a1a}",
    ".fm-p-caption{flex:1 1 auto;min-width:0;font-size:11px;line-height:1.2;color:#7a3d00}",
    ".fm-p-slider{display:block;width:100%;margin:6px 0 0;accent-color:#444}",
    ".fm-p-ticks{position:relative;height:13px;font-size:10px;line-height:13px;color:#666}",
    ".fm-p-ticks span{position:absolute;top:0;white-space:nowrap}",
    ".fm-p-row{display:flex;align-items:center;justify-content:space-between;gap:6px;margin-top:5px}",
    ".fm-p-dirs{display:inline-flex;border:1px solid #999;border-radius:4px;overflow:hidden}",
    ".fm-p-dirs button{border:0;border-right:1px solid #999;background:#fff;padding:2px 6px;",
    "font:11px/1.4 system-ui,sans-serif;cursor:pointer;color:#222}",
    ".fm-p-dirs button:last-child{border-right:0}",
    ".fm-p-dirs button[aria-pressed=true]{background:#333;color:#fff}",
    ".fm-p-lang{font:11px system-ui,sans-serif;max-width:90px}",
    ".fm-p-dests{margin-top:4px}.fm-p-dests summary{font-weight:600}",
    ".fm-p-grid{display:grid;grid-template-columns:1fr 1fr;gap:0 8px;margin-top:2px;",
    "max-height:150px;overflow-y:auto}",
    ".fm-p-grid label{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:11px}",
    ".fm-p-grid input{margin:0 3px 0 0;vertical-align:-2px}",
    ".fm-p-quick{margin-top:2px}.fm-p-quick button{font:11px system-ui,sans-serif;margin-right:4px}",
    ".fm-p-note{font-size:11px;color:#7a3d00;margin:4px 0 0}"
  ].join("");

  var el = window.flowmapDom.el;

  /* Names joined with commas, at most `most` of them (then "… (+N)"). */
  function listOf(names, most) {
    if (names.length <= most) { return names.join(", "); }
    return names.slice(0, most).join(", ") + ", … (+" + (names.length - most) + ")";
  }

  /* Tooltip lines (text, or [label, value]) as the page's overlays show them. */
  function tipBody(rows) {
    var body = el("div", "fm-tip-body");
    for (var r = 0; r < rows.length; r++) {
      var line = el("div");
      if (Array.isArray(rows[r])) {
        line.appendChild(el("b", null, rows[r][0] + ": "));
        line.appendChild(document.createTextNode(String(rows[r][1])));
      } else {
        line.textContent = String(rows[r]);
      }
      body.appendChild(line);
    }
    return body;
  }

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

  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, key) {
      return values[key] !== undefined ? String(values[key]) : all;
    });
  }

  /* The flows of one view (flowmap/player.py computes the views): the flows of the stop's
   * view for the direction (departures and arrivals for "all"), each drawn when its box is
   * ticked; an aggregate (such as "abroad") only when one of its members is ticked and none
   * of its parts (every flow of the view under it) is drawn. Pure: the tests run it. */
  function mask(P, stop, dir, checked) {
    var vis = new Uint8Array(P.v.length), inView = new Uint8Array(P.v.length);
    var sets = dir === "all" ? ["out", "in"] : [dir], j, k;
    for (var s = 0; s < sets.length; s++) {
      var code = P.sets.indexOf(sets[s]), list = code >= 0 ? P.views[stop][code] : [];
      for (k = 0; k < list.length; k++) {
        j = list[k];
        inView[j] = 1;
        if (P.box[j] >= 0) { vis[j] = checked[P.box[j]] ? 1 : 0; }
      }
    }
    for (var a = 0; a < P.agg.length; a++) {
      j = P.agg[a][0];
      if (!inView[j]) { continue; }
      var under = P.under[P.cp[j]] || [], wanted = false, drawn = false;
      for (k = 0; k < under.length && !wanted; k++) { wanted = !!checked[under[k]]; }
      for (k = 0; k < P.agg[a][1].length && !drawn; k++) { drawn = !!vis[P.agg[a][1][k]]; }
      vis[j] = wanted && !drawn ? 1 : 0;
    }
    return vis;
  }
  window.flowmapPlayerMask = mask;

  window.flowmapPlayer = function (map, spec, layer, parts) {
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

    if (!document.getElementById("fm-player-css")) {
      var style = el("style", null, CSS);
      style.id = "fm-player-css";
      document.head.appendChild(style);
    }

    /* ------------------------------------------------------------ what a view shows */

    function setsOf(dir) {
      var out = {};
      if (dir === "all") {
        out[P.sets.indexOf("out")] = true;
        out[P.sets.indexOf("in")] = true;
      } else {
        out[P.sets.indexOf(dir)] = true;
      }
      return out;
    }

    function maskOf(stop, dir, checked) { return mask(P, stop, dir, checked); }

    function totalsOf(vis) {
      var m = p.id.length, into = [], out = [], total = [], j;
      for (j = 0; j < m; j++) { into.push(0); out.push(0); }
      for (j = 0; j < n; j++) {
        if (!vis[j]) { continue; }
        out[f.o[j]] += f.c[j];
        into[f.d[j]] += f.c[j];
      }
      for (j = 0; j < m; j++) { total.push(into[j] + out[j]); }
      return { "in": into, out: out, total: total };
    }

    var styleLegend = (spec.style.legend || []).slice();
    var dashed = spec.style.dashed || {}, pale = spec.style.pale || {};
    var basis = f.a && f.a[spec.style.styleBy] ? f.a[spec.style.styleBy] : null;

    // One circle scale for all the years (with every destination), so the years compare,
    // and one for the multi-year totals, which are several times larger.
    var most = [1, 1], all = new Uint8Array(P.boxes.length).fill(1);
    for (var s = 0; s < P.stops.length; s++) {
      for (var d = 0; d < P.dirs.length; d++) {
        var tt = totalsOf(maskOf(s, P.dirs[d], all)).total, kind = P.span[s] ? 1 : 0;
        for (i = 0; i < tt.length; i++) { most[kind] = Math.max(most[kind], tt[i]); }
      }
    }

    /* ------------------------------------------------------------ controls */

    var words = function () { return langs[state.lang].words; };
    var titleBox = parts.title, heading = titleBox.querySelector("h1");
    var subtitle = heading ? heading.nextElementSibling : null;
    if (!subtitle || subtitle.tagName !== "P" || subtitle.className) {
      subtitle = el("p");
      if (heading && heading.nextSibling) { titleBox.insertBefore(subtitle, heading.nextSibling); } else { titleBox.appendChild(subtitle); }
    }
    var ui = el("div", "fm-player");
    var head = el("div", "fm-p-head");
    var playButton = el("button", "fm-p-play");
    playButton.type = "button";
    var yearLabel = el("span", "fm-p-year"), caption = el("span", "fm-p-caption");
    yearLabel.setAttribute("aria-live", "polite");
    head.appendChild(playButton);
    head.appendChild(yearLabel);
    head.appendChild(caption);
    ui.appendChild(head);
    var slider = el("input", "fm-p-slider");
    slider.type = "range";
    slider.min = "0";
    slider.max = String(Math.max(0, P.stops.length - 1));
    slider.step = "1";
    var ticks = el("div", "fm-p-ticks");
    if (P.stops.length > 1) {
      ui.appendChild(slider);
      ui.appendChild(ticks);
      var marks = [0], lastYear = yearStops.length ? yearStops[yearStops.length - 1] : -1;
      if (lastYear > 0 && lastYear !== P.stops.length - 1) { marks.push(lastYear); }
      marks.push(P.stops.length - 1);
      for (i = 0; i < marks.length; i++) {
        var tick = el("span", null, spec.times[P.stops[marks[i]]]), frac = marks[i] / (P.stops.length - 1);
        if (i === 0) { tick.style.left = "0"; } else if (i === marks.length - 1) { tick.style.right = "0"; } else {
          tick.style.left = "calc(" + (frac * 100) + "% - " + (frac * 16 - 8) + "px)";
          tick.style.transform = "translateX(-50%)";
        }
        ticks.appendChild(tick);
      }
    }
    if (yearStops.length < 2) { playButton.style.display = "none"; }
    var row = el("div", "fm-p-row"), dirGroup = el("div", "fm-p-dirs"), dirButtons = {};
    dirGroup.setAttribute("role", "group");
    P.dirs.forEach(function (dir) {
      var button = el("button");
      button.type = "button";
      button.setAttribute("data-dir", dir);
      button.addEventListener("click", function () { state.dir = dir; update(); });
      dirButtons[dir] = button;
      dirGroup.appendChild(button);
    });
    if (P.dirs.length > 1) { row.appendChild(dirGroup); } else { row.appendChild(el("span")); }
    var langSelect = el("select", "fm-p-lang");
    P.langs.forEach(function (l) {
      var option = el("option", null, l.label);
      option.value = l.code;
      langSelect.appendChild(option);
    });
    langSelect.addEventListener("change", function () { setLang(langSelect.value); });
    row.appendChild(langSelect);
    ui.appendChild(row);
    var dests = el("details", "fm-p-dests"), summary = el("summary"), grid = el("div", "fm-p-grid");
    var boxInputs = [], boxNames = [];
    P.boxes.forEach(function (place, k) {
      var label = el("label"), input = el("input"), name = el("span");
      input.type = "checkbox";
      input.checked = true;
      input.setAttribute("data-place", p.id[place]);
      input.addEventListener("change", function () { state.checked[k] = input.checked ? 1 : 0; update(); });
      label.appendChild(input);
      label.appendChild(name);
      grid.appendChild(label);
      boxInputs.push(input);
      boxNames.push(name);
    });
    var quick = el("div", "fm-p-quick"), allButton = el("button"), noneButton = el("button");
    allButton.type = noneButton.type = "button";
    allButton.addEventListener("click", function () { state.checked.fill(1); update(); });
    noneButton.addEventListener("click", function () { state.checked.fill(0); update(); });
    quick.appendChild(allButton);
    quick.appendChild(noneButton);
    dests.appendChild(summary);
    dests.appendChild(grid);
    dests.appendChild(quick);
    if (P.boxes.length > 1) { ui.appendChild(dests); }
    var note = el("p", "fm-p-note");
    ui.appendChild(note);
    titleBox.appendChild(ui);
    // A tick label that would overlap the one after it (the last year beside the period) goes.
    var tickNodes = ticks.children;
    for (i = tickNodes.length - 2; i > 0; i--) {
      var here = tickNodes[i].getBoundingClientRect(), next = tickNodes[i + 1].getBoundingClientRect();
      var before = tickNodes[i - 1].getBoundingClientRect();
      if (here.right + 4 > next.left || here.left - 4 < before.right) { tickNodes[i].style.display = "none"; }
    }

    slider.addEventListener("input", function () {
      pause();
      state.stop = Number(slider.value);
      update();
    });
    playButton.addEventListener("click", function () { if (state.timer) { pause(); } else { play(); } });

    /* ------------------------------------------------------------ playing */

    function play() {
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
    var control = layerControl(parts), escapeHtml = window.flowmapDom.escapeHtml, entryNames = [];
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
          var names = entryNames[k], known = false, c;
          for (c in names) {
            if (Object.prototype.hasOwnProperty.call(names, c) && typeof names[c] === "string" && escapeHtml(names[c]) === entry.name) { known = true; }
          }
          if (known && typeof names[code] === "string") {
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
      layer.fmt = window.flowmapNumberFormat(l.numbers);
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
        var head = details.querySelector("summary");
        if (head) { head.textContent = l.text.source; }
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

    function circleBody(j) {
      var body = el("div", "fm-tip-body"), rows = window.flowmapCircleRows(spec, j, layer.fmt);
      body.appendChild(el("b", "fm-tip-title", p.name[j]));
      rows.forEach(function (r) {
        var line = el("div");
        line.appendChild(el("b", null, r[0] + ": "));
        line.appendChild(document.createTextNode(String(r[1])));
        body.appendChild(line);
      });
      return body;
    }

    var circles = [];
    if (parts.places) { parts.places.eachLayer(function (c) { if (c.fmIndex !== undefined) { circles.push(c); } }); }

    function updateCircles() {
      var maxR = spec.style.maxRadius || 16, largest = most[P.span[state.stop] ? 1 : 0];
      circles.forEach(function (c) {
        var j = c.fmIndex, total = spec.totals.total[j];
        if (!(total > 0)) {
          if (parts.places.hasLayer(c)) { parts.places.removeLayer(c); }
          return;
        }
        c.setRadius(Math.max(3, maxR * Math.sqrt(total / largest)));
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

    /* Which ticked places the view leaves out, and why. */
    function notes(vis) {
      var w = words(), shown = new Uint8Array(P.boxes.length), sets = setsOf(state.dir), j, k;
      for (j = 0; j < n; j++) {
        if (!vis[j]) { continue; }
        if (P.box[j] >= 0) { shown[P.box[j]] = 1; }
        var under = P.box[j] < 0 ? P.under[P.cp[j]] || [] : [];
        for (k = 0; k < under.length; k++) { shown[under[k]] = 1; }
      }
      var totalsOnly = {}, order = [], none = [];
      for (k = 0; k < P.boxes.length; k++) {
        if (!state.checked[k] || shown[k]) { continue; }
        // "Only a total" (flowmap/player.py's onlyTotal): the source gives the place no
        // yearly figure in this direction, only a reported total; a place whose total is
        // modelled simply has no figure in this year.
        var span = null;
        if (!P.span[state.stop]) {
          for (var c in sets) {
            var at = Object.prototype.hasOwnProperty.call(sets, c) ? P.onlyTotal[c][k] : -1;
            if (at >= 0 && span === null) { span = spec.times[P.stops[at]]; }
          }
        }
        if (span === null) { none.push(p.name[P.boxes[k]]); continue; }
        if (!totalsOnly[span]) { totalsOnly[span] = []; order.push(span); }
        totalsOnly[span].push(p.name[P.boxes[k]]);
      }
      var out = [];
      var any = false;
      for (j = 0; j < n && !any; j++) { any = !!vis[j]; }
      if (!any) { out.push(spec.text.empty); }
      order.forEach(function (period) {
        out.push(fill(w.onlyTotal, { places: listOf(totalsOnly[period], 6), period: period }));
      });
      if (none.length && any) {
        out.push(fill(w.noFigure, { places: listOf(none, 6), period: spec.times[P.stops[state.stop]] }));
      }
      return out.join(" ");
    }

    function update(quiet) {
      var vis = maskOf(state.stop, state.dir, state.checked), l = langs[state.lang], w = l.words, j;
      var tot = totalsOf(vis), present = {};
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
      var styles = {};
      for (j = 0; j < n; j++) {
        if (vis[j]) { styles[(dashed[basis ? basis[j] : -1] ? 1 : 0) + "|" + (pale[basis ? basis[j] : -1] ? 1 : 0)] = true; }
      }
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
      note.textContent = notes(vis);
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
      play: play,
      pause: pause
    };
    window.flowmapPlayback = api;
    return api;
  };
}());
