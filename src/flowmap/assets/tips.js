/* Flowmap: what the tooltips of flows and place circles say, as rows of [label, value]
 * (the texts come from spec.text.tip, the numbers through `fmt`, format.numberFormat).
 * Pure: no DOM; flowlayer.js and overlays.js put the rows into the page. */
(function (flowmap) {
  "use strict";

  /* The figure of flow i as the page writes it. A net view (text.tip.signed: the kind of
   * flow that is a loss) says net with its sign: a loss with a true minus, a gain with a
   * plus; tooltips and edge labels share this. */
  function valueText(spec, fmt, i) {
    var f = spec.flows, signed = spec.text.tip && spec.text.tip.signed;
    var kind = f.k ? spec.style.kinds[f.k[i]] : null, shown = fmt.format(f.c[i]);
    if (signed && kind && kind.kind) { shown = kind.kind === signed ? fmt.format(-f.c[i]) : "+" + shown; }
    if (!signed && kind && (kind.kind === "gain" || kind.kind === "loss")) {  // a map of change
      shown = kind.kind === "loss" ? fmt.format(-f.c[i]) : "+" + shown;
    }
    return shown;
  }

  /* The rows of flow i's tooltip: from, to, period, count (or net), then its attributes. */
  function flowRows(spec, fmt, i) {
    var f = spec.flows, p = spec.places, txt = spec.text.tip, rows = [];
    var kind = f.k ? spec.style.kinds[f.k[i]] : null;
    if (txt.signed && txt.place && kind && kind.kind) {
      // A net view: a balance of the place with another, not a flow from one to the other
      // ("From A / To B / Net −2,015" read as a double negative). A loss is
      // drawn away from the place, a gain towards it.
      var loss = kind.kind === txt.signed;
      rows.push([txt.place, p.name[loss ? f.o[i] : f.d[i]]]);
      rows.push([txt["with"], p.name[loss ? f.d[i] : f.o[i]]]);
      if (f.t && f.t[i] >= 0) { rows.push([txt.period, spec.times[f.t[i]]]); }
      rows.push([txt.netFocus || txt.net, valueText(spec, fmt, i)]);
    } else {
      rows.push([txt.from, p.name[f.o[i]]]);
      rows.push([txt.to, p.name[f.d[i]]]);
      if (f.t && f.t[i] >= 0) { rows.push([txt.period, spec.times[f.t[i]]]); }
      rows.push([(kind && kind.net) || txt.signed ? txt.net : txt.count, valueText(spec, fmt, i)]);
    }
    // A flow between clusters of places (cluster.js) sums the flows of the table between them.
    if (f.n && f.n[i] > 1 && txt.summed) { rows.push([txt.summed, fmt.format(f.n[i])]); }
    if (spec.change) { changeRows(spec, fmt, i, rows); }
    var attrs = spec.attributes || [];
    for (var a = 0; a < attrs.length; a++) {
      var codes = f.a[attrs[a].key], code = codes ? codes[i] : -1;
      if (code >= 0 && attrs[a].labels[code] !== "") { rows.push([attrs[a].label, attrs[a].labels[code]]); }
    }
    return rows;
  }

  /* A map of change (spec.change): in place of the count row, flow i's figure in both
   * periods ("no figure in the table" where it has no row) and the signed change (a true
   * minus for a loss), or that none is computed for a pair in one period only. */
  function changeRows(spec, fmt, i, rows) {
    var ch = spec.change, txt = spec.text.tip, b = ch.before[i], a = ch.after[i];
    rows.pop();
    rows.push([ch.from, b === null || b === undefined ? txt.noFigure : fmt.format(b)]);
    rows.push([ch.to, a === null || a === undefined ? txt.noFigure : fmt.format(a)]);
    var known = b !== null && b !== undefined && a !== null && a !== undefined;
    rows.push([txt.change, known ? (a > b ? "+" : "") + fmt.format(a - b) : txt.notComputed]);
  }

  /* The lines of a place circle's tooltip: arrivals and departures; in a net view
   * (text.tip.signed) the net alone, with its sign, as the focus place's balance (arrivals
   * − departures) or as the focus place's balance with this place. */
  function circleRows(spec, i, fmt) {
    var tot = spec.totals, t = spec.text.tip, rows = [];
    if (t.signed) {
      var focus = spec.places.focus && spec.places.focus[i];
      var net = focus ? tot["in"][i] - tot.out[i] : tot.out[i] - tot["in"][i];
      rows.push([focus ? t.netFocus : t.netWith, (net > 0 ? "+" : "") + fmt.format(net)]);
      return rows;
    }
    if (spec.change) { return changeSums(spec, i, fmt); }
    var held = spec.places.held, said = spec.places.heldLabel;
    if (held && held[i]) { rows.push([said && said[i] ? said[i] : t.members, held[i]]); }
    if (tot["in"][i]) { rows.push([t.arrivals, fmt.format(tot["in"][i])]); }
    if (tot.out[i]) { rows.push([t.departures, fmt.format(tot.out[i])]); }
    if (tot.internal && tot.internal[i]) { rows.push([t.internal, fmt.format(tot.internal[i])]); }
    return rows;
  }

  /* A place's circle on a map of change: the signed sum of the changes of its arrivals
   * and of its departures drawn (pairs in one period only have none and are left out). */
  function changeSums(spec, i, fmt) {
    var f = spec.flows, ch = spec.change, t = spec.text.tip, sums = [0, 0], seen = [false, false];
    for (var j = 0; j < f.o.length; j++) {
      var b = ch.before[j], a = ch.after[j];
      if (b === null || b === undefined || a === null || a === undefined) { continue; }
      if (f.d[j] === i) { sums[0] += a - b; seen[0] = true; }
      if (f.o[j] === i) { sums[1] += a - b; seen[1] = true; }
    }
    var rows = [], labels = [t.arrivalsChange, t.departuresChange];
    for (var k = 0; k < 2; k++) {
      if (seen[k]) { rows.push([labels[k], (sums[k] > 0 ? "+" : "") + fmt.format(sums[k])]); }
    }
    return rows;
  }

  flowmap.tips = { valueText: valueText, flowRows: flowRows, circleRows: circleRows };
  if (typeof module === "object" && module.exports) { module.exports = flowmap.tips; }
}(typeof window === "object" ? (window.flowmap = window.flowmap || {}) : {}));
