/* Flowmap: what one view of a playable export shows (flowmap/player.py computes the views
 * and writes spec.player, here `P`). A view is a slider stop, a direction ("out", "in" or
 * "both") and the ticked destination boxes. Pure: no DOM, no Leaflet; player.js draws it.
 *
 * Honesty rules: a multi-year total is drawn only on its own slider stop, never on a year;
 * on a year, chosen destinations that the source gives only as a total are named in a note;
 * a total and its modelled split are never drawn together.
 */
(function (flowmap) {
  "use strict";

  var format = flowmap.format || require("./format.js");

  /* The codes of P.sets a direction draws ("both": departures and arrivals), as an object
   * whose keys are the codes. */
  function setsOf(P, dir) {
    var out = {};
    if (dir === "both") {
      out[P.sets.indexOf("out")] = true;
      out[P.sets.indexOf("in")] = true;
    } else {
      out[P.sets.indexOf(dir)] = true;
    }
    return out;
  }

  /* The flows of one view: the flows of the stop's view for the direction (departures and
   * arrivals for "both"), each drawn when its box is ticked; an aggregate (such as "abroad")
   * only when one of its members is ticked and none of its parts (every flow of the view
   * under it) is drawn. A Uint8Array over the flows. */
  function mask(P, stop, dir, checked) {
    var vis = new Uint8Array(P.v.length), inView = new Uint8Array(P.v.length);
    var sets = dir === "both" ? ["out", "in"] : [dir], j, k;
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

  /* Each place's arrivals, departures and their sum over the flows shown. */
  function totalsOf(spec, vis) {
    var f = spec.flows, m = spec.places.id.length, into = [], out = [], total = [], j;
    for (j = 0; j < m; j++) { into.push(0); out.push(0); }
    for (j = 0; j < f.o.length; j++) {
      if (!vis[j]) { continue; }
      out[f.o[j]] += f.c[j];
      into[f.d[j]] += f.c[j];
    }
    for (j = 0; j < m; j++) { total.push(into[j] + out[j]); }
    return { "in": into, out: out, total: total };
  }

  /* The largest place total [on a year, on a multi-year stop] over every stop and
   * direction with every box ticked: one circle scale for all the years, so the years
   * compare, and one for the totals, which are several times larger. */
  function circleScale(P, spec) {
    var most = [1, 1], all = new Uint8Array(P.boxes.length).fill(1);
    for (var s = 0; s < P.stops.length; s++) {
      for (var d = 0; d < P.dirs.length; d++) {
        var tt = totalsOf(spec, mask(P, s, P.dirs[d], all)).total, kind = P.span[s] ? 1 : 0;
        for (var i = 0; i < tt.length; i++) { most[kind] = Math.max(most[kind], tt[i]); }
      }
    }
    return most;
  }

  /* The line styles of the flows shown, as "dashed|pale" keys (1 or 0 each). */
  function stylesShown(spec, vis) {
    var f = spec.flows, dashed = spec.style.dashed || {}, pale = spec.style.pale || {};
    var basis = f.a && f.a[spec.style.styleBy] ? f.a[spec.style.styleBy] : null, out = {};
    for (var j = 0; j < f.o.length; j++) {
      if (!vis[j]) { continue; }
      var code = basis ? basis[j] : -1;
      out[(dashed[code] ? 1 : 0) + "|" + (pale[code] ? 1 : 0)] = true;
    }
    return out;
  }

  /* The note under the player: which ticked places the view leaves out, and why ("only a
   * total": the source gives the place no yearly figure in this direction, only a reported
   * total; else no figure in this year), or the map's empty text when nothing is drawn.
   * `view` is {stop, dir, checked}, `w` the words of the language. */
  function note(P, spec, view, vis, w) {
    var p = spec.places, n = spec.flows.o.length, shown = new Uint8Array(P.boxes.length);
    var sets = setsOf(P, view.dir), j, k;
    for (j = 0; j < n; j++) {
      if (!vis[j]) { continue; }
      if (P.box[j] >= 0) { shown[P.box[j]] = 1; }
      var under = P.box[j] < 0 ? P.under[P.cp[j]] || [] : [];
      for (k = 0; k < under.length; k++) { shown[under[k]] = 1; }
    }
    var totalsOnly = {}, order = [], none = [], codes = Object.keys(sets);
    for (k = 0; k < P.boxes.length; k++) {
      if (!view.checked[k] || shown[k]) { continue; }
      // A place whose total is modelled simply has no figure in this year.
      var span = null;
      if (!P.span[view.stop]) {
        for (var c = 0; c < codes.length; c++) {
          var at = P.onlyTotal[codes[c]][k];
          if (at >= 0 && span === null) { span = spec.times[P.stops[at]]; }
        }
      }
      if (span === null) { none.push(p.name[P.boxes[k]]); continue; }
      if (!totalsOnly[span]) { totalsOnly[span] = []; order.push(span); }
      totalsOnly[span].push(p.name[P.boxes[k]]);
    }
    var out = [], any = false;
    for (j = 0; j < n && !any; j++) { any = !!vis[j]; }
    if (!any) { out.push(spec.text.empty); }
    order.forEach(function (period) {
      out.push(format.fill(w.onlyTotal, { places: format.listOf(totalsOnly[period], 6), period: period }));
    });
    if (none.length && any) {
      out.push(format.fill(w.noFigure, { places: format.listOf(none, 6), period: spec.times[P.stops[view.stop]] }));
    }
    return out.join(" ");
  }

  flowmap.play = {
    setsOf: setsOf, mask: mask, totalsOf: totalsOf, circleScale: circleScale,
    stylesShown: stylesShown, note: note
  };
  if (typeof module === "object" && module.exports) { module.exports = flowmap.play; }
}(typeof window === "object" ? (window.flowmap = window.flowmap || {}) : {}));
