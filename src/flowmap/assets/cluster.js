/* Flowmap: places clustered by zoom (flowmap.cluster), on a map of many places.
 *
 * The page carries the tree of its places (spec.clusters.merges: rows [a, b, distance],
 * SciPy's complete linkage in world pixels at zoom 0, made by flowmap/engine/cluster.py).
 * At each zoom the tree is cut so that no cluster spans more than spec.clusters.px screen
 * pixels: view(spec, zoom) returns the spec of what that zoom shows, with clusters as
 * places ("Rennes +41", at the total-weighted centre of their members), the flows between
 * clusters summed (the largest spec.clusters.top of them), and totals that are exactly the
 * sums of the members' (the volume within a cluster is not drawn, but kept as its
 * `internal` total). flowmap/render/cluster.py does the same for images. Pure: no DOM.
 */
(function (flowmap) {
  "use strict";

  var geo = flowmap.geo || require("./geo.js");
  var format = flowmap.format || require("./format.js");
  var LIST_MOST = 8; // a cluster's tooltip names this many of its places

  /* The cluster of each of n places when `merges` is cut at `limit` (the merges of distance
   * <= limit are made): 0..k-1, numbered in the order of each cluster's first place. */
  function cut(merges, n, limit) {
    var m = merges.length, parent = new Int32Array(n + m).fill(-1), root = new Int32Array(n + m);
    var k, node;
    for (k = 0; k < m; k++) { parent[merges[k][0]] = parent[merges[k][1]] = n + k; }
    for (node = n + m - 1; node >= 0; node--) {
      var up = parent[node];
      root[node] = up >= 0 && merges[up - n][2] <= limit ? root[up] : node;
    }
    var number = {}, next = 0, out = new Int32Array(n);
    for (var i = 0; i < n; i++) {
      if (number[root[i]] === undefined) { number[root[i]] = next++; }
      out[i] = number[root[i]];
    }
    return out;
  }

  /* The clusters `labels` of the spec's places and the flows between them (see
   * flowmap.engine.cluster.level): members (largest total first), lat, lon, arrivals,
   * departures, internal, and flows {o, d, k, c, n} summed per pair and kind, largest
   * first (ties in the order of their key). */
  function level(spec, labels) {
    var p = spec.places, f = spec.flows, n = p.id.length, size = 0, i, g;
    for (i = 0; i < n; i++) { size = Math.max(size, labels[i] + 1); }
    var into = new Float64Array(n), out = new Float64Array(n);
    for (i = 0; i < f.o.length; i++) { out[f.o[i]] += f.c[i]; into[f.d[i]] += f.c[i]; }
    var members = [], mass = new Float64Array(size), cx = new Float64Array(size), cy = new Float64Array(size);
    var arrivals = new Array(size).fill(0), departures = new Array(size).fill(0), internal = new Array(size).fill(0);
    for (g = 0; g < size; g++) { members.push([]); }
    for (i = 0; i < n; i++) {
      g = labels[i];
      members[g].push(i);
      var w = into[i] + out[i] + 1e-9, xy = geo.project(p.lat[i], p.lon[i]);
      mass[g] += w; cx[g] += w * xy[0]; cy[g] += w * xy[1];
      arrivals[g] += into[i]; departures[g] += out[i];
    }
    members.forEach(function (list) {
      list.sort(function (a, b) { return (into[b] + out[b]) - (into[a] + out[a]) || a - b; });
    });
    var lat = [], lon = [];
    for (g = 0; g < size; g++) {
      var x = cx[g] / mass[g], y = cy[g] / mass[g];
      lat.push(Math.atan(Math.sinh(Math.PI * (1 - 2 * y / geo.WORLD))) * 180 / Math.PI);
      lon.push(x / geo.WORLD * 360 - 180);
    }
    var kinds = 1;
    for (i = 0; i < f.o.length; i++) { kinds = Math.max(kinds, (f.k ? f.k[i] : 0) + 1); }
    var sums = new Map(), counts = new Map();
    for (i = 0; i < f.o.length; i++) {
      var a = labels[f.o[i]], b = labels[f.d[i]];
      if (a === b) { internal[a] += f.c[i]; continue; }
      var key = (a * size + b) * kinds + (f.k ? f.k[i] : 0);
      sums.set(key, (sums.get(key) || 0) + f.c[i]);
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    var keys = Array.from(sums.keys());
    keys.sort(function (u, v) { return sums.get(v) - sums.get(u) || u - v; });
    var flows = { o: [], d: [], k: [], c: [], n: [] };
    keys.forEach(function (key2) {
      flows.o.push(Math.floor(key2 / kinds / size));
      flows.d.push(Math.floor(key2 / kinds) % size);
      flows.k.push(key2 % kinds);
      flows.c.push(sums.get(key2));
      flows.n.push(counts.get(key2));
    });
    return {
      members: members, lat: lat, lon: lon, arrivals: arrivals, departures: departures,
      internal: internal, flows: flows
    };
  }

  /* A share as the limit's message writes it (flowmap.text.numbers.percent): one decimal
   * near 0 and 100% ("0.0%", never a bare "0%" of a part), with the page's decimal sign. */
  function percent(words, symbols, share) {
    var digits = share >= 0.1 && share <= 0.99 ? 0 : 1, scale = Math.pow(10, digits + 2);
    var n = (Math.round(share * scale) / Math.pow(10, digits)).toFixed(digits);
    return String(words.percent || "{n}%").replace("{n}", n.replace(".", (symbols && symbols.decimal) || "."));
  }

  /* A template of plural `forms` ({one, few, many, other}) for `count`, filled. */
  function plural(spec, forms, fallback, values, count) {
    var rule = "other";
    forms = forms || {};
    try { rule = new Intl.PluralRules(spec.locale || "en").select(count); } catch (e) { rule = "other"; }
    return format.fill(forms[rule] || forms.other || fallback, values);
  }

  /* "Rennes +41": a cluster named by its largest place and how many others (as short in
   * every language; its tooltip says how many places it merges, in words). */
  function label(spec, words, fmt, name, others) {
    if (!others) { return name; }
    return plural(spec, words.label, "{name} +{count}", { name: name, count: fmt.format(others) }, others);
  }

  /* The spec of what a view at `zoom` shows of a clustered spec (a spec without clusters
   * as it is); `alerts` in it are what the title box says of this level. */
  function view(spec, zoom) {
    var info = spec.clusters;
    if (!info) { return spec; }
    var p = spec.places, f = spec.flows, words = info.text || {}, fmt = format.numberFormat(spec.numbers);
    var labels = cut(info.merges, p.id.length, info.px / Math.pow(2, zoom));
    var found = level(spec, labels), flows = found.flows, total = flows.c.length;
    var keep = info.top ? Math.min(info.top, total) : total, whole = 0, between = 0, kept = 0, i;
    for (i = 0; i < f.c.length; i++) { whole += f.c[i]; }
    for (i = 0; i < total; i++) { between += flows.c[i]; if (i < keep) { kept += flows.c[i]; } }
    var alerts = [], merged = found.members.some(function (m) { return m.length > 1; });
    if (keep < total) {
      alerts.push(format.fill(words.largest, {
        shown: fmt.format(keep), total: fmt.format(total), share: percent(words, spec.numbers, between ? kept / between : 1)
      }));
    }
    // Nothing within merged places: said without a share. The page (not an image) can zoom.
    var zoomIn = words.zoom ? " " + words.zoom : "";
    if (merged && between === whole) {
      alerts.push(words.clusteredNone + zoomIn);
    } else if (merged) {
      alerts.push(format.fill(words.clustered, { share: percent(words, spec.numbers, 1 - between / whole) }) + zoomIn);
    }
    var places = {
      id: [], name: [], lat: found.lat, lon: found.lon, focus: [], held: [], heldLabel: [], members: found.members
    };
    found.members.forEach(function (m) {
      // The tooltip's "42 places merged here": the plural form lives here, not in the label.
      var many = typeof words.members === "string" ? { other: words.members } : words.members;
      places.heldLabel.push(m.length > 1 ? plural(spec, many, "{count}", { count: fmt.format(m.length) }, m.length) : "");
      places.id.push(p.id[m[0]]);
      places.name.push(label(spec, words, fmt, p.name[m[0]], m.length - 1));
      places.focus.push(m.some(function (j) { return p.focus && p.focus[j]; }) ? 1 : 0);
      places.held.push(m.length > 1 ? format.listOf(m.map(function (j) { return p.name[j]; }), LIST_MOST) : "");
    });
    var time = f.t && f.t.length ? f.t[0] : null, sub = { o: [], d: [], c: [], k: [], n: [], t: [], a: {} };
    for (i = 0; i < keep; i++) {
      sub.o.push(flows.o[i]); sub.d.push(flows.d[i]); sub.c.push(flows.c[i]);
      sub.k.push(flows.k[i]); sub.n.push(flows.n[i]);
      if (time !== null) { sub.t.push(time); }
    }
    var tip = Object.assign({}, spec.text.tip, { internal: words.internal, summed: words.summed });
    return Object.assign({}, spec, {
      places: places, flows: sub, attributes: [],
      totals: {
        "in": found.arrivals, out: found.departures, internal: found.internal,
        total: found.arrivals.map(function (v, g) { return v + found.departures[g]; })
      },
      text: Object.assign({}, spec.text, { tip: tip }),
      level: { alerts: alerts, labels: labels, zoom: zoom }
    });
  }

  /* Whether two cuts put every place in the same cluster. */
  function same(a, b) {
    if (!a || !b || a.length !== b.length) { return false; }
    for (var i = 0; i < a.length; i++) { if (a[i] !== b[i]) { return false; } }
    return true;
  }

  flowmap.cluster = { cut: cut, level: level, view: view, same: same, LIST_MOST: LIST_MOST };
  if (typeof module === "object" && module.exports) { module.exports = flowmap.cluster; }
}(typeof window === "object" ? (window.flowmap = window.flowmap || {}) : {}));
