/* Flowmap: the legend of the flow map (widths, kinds, line styles, overlays, notes). */
(function (flowmap) {
  "use strict";

  var el = flowmap.dom.el;
  var SAMPLE_BAND = 10;  // the width (px) of the modelled (dashed) style's sample: a band

  function legendSwatch(width, colour, dash, alpha) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    var h = Math.max(10, Math.ceil(width) + 4);
    svg.setAttribute("width", "34");
    svg.setAttribute("height", String(h));
    var look = flowmap.geo.dashLook(width, dash);
    var line = document.createElementNS(ns, look.outline ? "rect" : "line");
    if (look.outline) {
      // A modelled flow as the map draws it when wide: a pale band in a dashed outline.
      line.setAttribute("x", "2"); line.setAttribute("width", "30");
      line.setAttribute("y", String((h - width) / 2 + look.outline / 2));
      line.setAttribute("height", String(width - look.outline));
      line.setAttribute("fill", colour);
      line.setAttribute("fill-opacity", String(alpha * look.alpha));
      line.setAttribute("stroke-width", String(look.outline));
      line.setAttribute("stroke-dasharray", look.outlineDash.join(" "));
    } else {
      line.setAttribute("x1", "2"); line.setAttribute("x2", "32");
      line.setAttribute("y1", String(h / 2)); line.setAttribute("y2", String(h / 2));
      line.setAttribute("stroke-width", String(width));
      if (look.dash.length) { line.setAttribute("stroke-dasharray", look.dash.join(" ")); }
    }
    line.setAttribute("stroke", colour);
    line.setAttribute("stroke-opacity", String(alpha));
    svg.appendChild(line);
    return svg;
  }

  /* The ramp of colours by count (smallest left) as a row of blocks. */
  function rampSwatch(ramp) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "48");
    svg.setAttribute("height", "12");
    svg.setAttribute("class", "fm-ramp");
    for (var i = 0; i < ramp.length; i++) {
      var r = document.createElementNS(ns, "rect");
      r.setAttribute("x", String(2 + 44 * i / ramp.length)); r.setAttribute("y", "2");
      r.setAttribute("width", String(44 / ramp.length + 0.5)); r.setAttribute("height", "8");
      r.setAttribute("fill", ramp[i]);
      svg.appendChild(r);
    }
    return svg;
  }

  /* A legend swatch for an overlay: a line, an area or a point in the given colour. */
  function shapeSwatch(shape, colour, dash) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg"), node;
    svg.setAttribute("width", "34");
    svg.setAttribute("height", "14");
    if (shape === "line") {
      node = document.createElementNS(ns, "line");
      node.setAttribute("x1", "2"); node.setAttribute("x2", "32");
      node.setAttribute("y1", "7"); node.setAttribute("y2", "7");
      node.setAttribute("stroke-width", "4");
    } else if (shape === "point") {
      node = document.createElementNS(ns, "circle");
      node.setAttribute("cx", "17"); node.setAttribute("cy", "7"); node.setAttribute("r", "4");
      node.setAttribute("fill", colour);
    } else {
      node = document.createElementNS(ns, "rect");
      node.setAttribute("x", "4"); node.setAttribute("y", "1");
      node.setAttribute("width", "26"); node.setAttribute("height", "12");
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

  /* The legend box's content: line widths with their counts, the kinds and line styles
   * drawn, the overlays' swatches and the notes (a playable export rebuilds it). */
  function legend(div, spec, layer) {
    var t = spec.text.legend, details = el("details"), table = el("table");
    var dark = spec.style.theme === "dark", neutral = dark ? "#b8b8b8" : "#555";
    details.open = true;
    details.appendChild(el("summary", null, t.title));
    details.appendChild(el("p", null, t.width));
    for (var i = 0; i < spec.legend.counts.length; i++) {
      var count = spec.legend.counts[i], row = el("tr"), cell = el("td");
      cell.appendChild(legendSwatch(layer.width(count), neutral, false, 0.85));
      row.appendChild(cell);
      row.appendChild(el("td", null, flowmap.format.people(spec.locale, t, count, layer.fmt)));
      table.appendChild(row);
    }
    // Larger flows (summed on a clustered map zoomed far out) are drawn as wide as the
    // widest line: its sample says "or more", so no line is wider than the legend's widest.
    var widest = spec.legend.atLeast;
    if (widest) {
      var wr = el("tr"), wc = el("td");
      wc.appendChild(legendSwatch(layer.width(widest), neutral, false, 0.85));
      wr.appendChild(wc);
      var said = flowmap.format.people(spec.locale, t, widest, layer.fmt);
      wr.appendChild(el("td", null, flowmap.format.fill(t.orMore || "{people}", { people: said })));
      table.appendChild(wr);
    }
    details.appendChild(table);
    var kinds = el("table");
    if (spec.style.ramp && spec.style.ramp.length) {  // the colours by count, on a busy map
      var rr = el("tr"), rc = el("td");
      rc.appendChild(rampSwatch(spec.style.ramp));
      rr.appendChild(rc);
      rr.appendChild(el("td", null, dark ? t.rampDark : t.ramp));
      kinds.appendChild(rr);
    }
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
    var sample = shown.length === 1 ? shown[0] : shown.length > 1 ? neutral : spec.style.kinds[0].colour;
    for (var s = 0; s < styles.length; s++) {
      var sr = el("tr"), sc = el("td");
      sc.appendChild(legendSwatch(styles[s].dashed ? SAMPLE_BAND : 4, sample, styles[s].dashed, styles[s].pale ? 0.5 : 0.85));
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
    for (var n = 0; n < notes.length; n++) { details.appendChild(el("p", "fm-legend-note", notes[n])); }
    div.appendChild(details);
  }

  flowmap.legend = { build: legend, lineSwatch: legendSwatch, shapeSwatch: shapeSwatch };
}(window.flowmap = window.flowmap || {}));
