/* Flowmap: the opening view. The frame holds the flows' ends and curves and keeps them
 * clear of the corner boxes (title, legend, notes, controls). */
(function (flowmap) {
  "use strict";

  var FILL_FLOWS = 200;  // the largest flows whose curves the filled frame keeps in view
  var FILL_GRID = 12;    // offsets tried per side when the frame fills

  /* Fit the bounds so that no corner box (title, legend, notes, controls) covers them:
   * each box is avoided either by a strip along its side or along its end, whichever
   * combination lets the map zoom in furthest; never out so far that the view is wider
   * than one world (then centred on `core`, the flows' ends, when given). */
  function fitAvoiding(map, bounds, core) {
    var root = map.getContainer(), margin = 16, boxes = [];
    var corners = ["top left", "top right", "bottom left", "bottom right"];
    var mapBox = root.getBoundingClientRect();
    for (var c = 0; c < corners.length; c++) {
      // The map's own corners (not those of a map inside a box, such as the inset).
      var node = root.querySelector(":scope > .leaflet-control-container > .leaflet-" + corners[c].replace(" ", ".leaflet-"));
      if (!node) { continue; }
      var kids = node.children, w = 0, h = 0;
      for (var k = 0; k < kids.length; k++) {
        var r = kids[k].getBoundingClientRect();
        if (r.width === 0 || r.height === 0) { continue; }
        w = Math.max(w, corners[c].indexOf("left") >= 0 ? r.right - mapBox.left : mapBox.right - r.left);
        h = Math.max(h, corners[c].indexOf("top") >= 0 ? r.bottom - mapBox.top : mapBox.bottom - r.top);
      }
      if (w > 0 && h > 0) { boxes.push({ top: corners[c].indexOf("top") >= 0, left: corners[c].indexOf("left") >= 0, w: w, h: h }); }
    }
    var best = null;
    for (var mask = 0; mask < (1 << boxes.length); mask++) {
      var pad = { t: 0, l: 0, b: 0, r: 0 };
      for (var i = 0; i < boxes.length; i++) {
        var b = boxes[i];
        if (mask & (1 << i)) {
          if (b.top) { pad.t = Math.max(pad.t, b.h); } else { pad.b = Math.max(pad.b, b.h); }
        } else if (b.left) { pad.l = Math.max(pad.l, b.w); } else { pad.r = Math.max(pad.r, b.w); }
      }
      var tl = L.point(pad.l + margin, pad.t + margin), br = L.point(pad.r + margin, pad.b + margin);
      var room = map.getSize().subtract(tl).subtract(br);
      if (room.x < 120 || room.y < 120) { continue; }  // the boxes would leave no map
      var z = map.getBoundsZoom(bounds, false, tl.add(br));
      if (isFinite(z) && (!best || z > best.z)) { best = { z: z, tl: tl, br: br }; }
    }
    if (!best) { best = { z: null, tl: L.point(margin, margin), br: L.point(margin, margin) }; }
    best.rects = boxes.map(function (box) {
      var size = map.getSize(), left = box.left ? 0 : size.x - box.w, top = box.top ? 0 : size.y - box.h;
      return { left: left, top: top, right: left + box.w, bottom: top + box.h };
    });
    var padding = { paddingTopLeft: best.tl, paddingBottomRight: best.br, animate: false };
    map.fitBounds(bounds, padding);
    // One copy of the world at most: never so far out that the view is wider than 360°.
    var least = Math.ceil(Math.log2(map.getSize().x / 256) * 10 - 1e-6) / 10;
    if (map.getZoom() < least) {
      // The curves do not fit in one world: centre on their ends (`core`) instead, as
      // great circles bulging one way would otherwise pull the view off the data.
      if (core) { map.fitBounds(core, padding); }
      // Still wider than one world: the ends' middle in the middle of the view, so that
      // what cannot fit overflows both sides alike (not the side the boxes pad).
      if (map.getZoom() < least) { map.setView(core ? core.getCenter() : map.getCenter(), least, { animate: false }); }
    }
    return best;
  }

  /* The flow ends (places of the flows shown) in view but under a box or control. */
  function endsUnderBoxes(map, spec, layer) {
    var root = map.getContainer(), base = root.getBoundingClientRect(), rects = [], out = [];
    var corners = root.querySelectorAll(":scope > .leaflet-control-container .leaflet-control");
    for (var c = 0; c < corners.length; c++) {
      var r = corners[c].getBoundingClientRect();
      if (r.width && r.height) { rects.push(r); }
    }
    var p = spec.places, ends = layer.endPlaces(layer.visible);
    for (var e = 0; e < ends.length; e++) {
      var k = ends[e], pt = map.latLngToContainerPoint([p.lat[k], p.lon[k]]);
      var x = pt.x + base.left, y = pt.y + base.top;
      for (var q = 0; q < rects.length; q++) {
        if (x >= rects[q].left && x <= rects[q].right && y >= rects[q].top && y <= rects[q].bottom) {
          out.push(L.latLng(p.lat[k], p.lon[k]));
          break;
        }
      }
    }
    return out;
  }

  /* The bounds grown to hold the whole curve of every flow whose two ends are inside them
   * (a bent line bulges beyond its ends), never wider than one world (360° around their
   * middle). */
  /* A test of place i against `bounds` ([[s, w], [n, e]], grown by `eps` degrees): its
   * longitude taken within 180° of their middle when the place is inside, else null. */
  function endIn(layer, bounds, eps) {
    var s = bounds[0][0], w = bounds[0][1], n = bounds[1][0], e = bounds[1][1];
    var mid = (w + e) / 2, p = layer.spec.places;
    return function (i) {
      var lon = flowmap.geo.unwrap(p.lon[i], mid);
      return p.lat[i] >= s - eps && p.lat[i] <= n + eps && lon >= w - eps && lon <= e + eps ? lon : null;
    };
  }

  function curveBounds(map, layer, bounds) {
    var mid = (bounds[0][1] + bounds[1][1]) / 2, out = L.latLngBounds(bounds);
    var f = layer.spec.flows, p = layer.spec.places, inside = endIn(layer, bounds, 0);
    var box = [Infinity, Infinity, -Infinity, -Infinity];
    // The largest flows decide: on a busy map the curves of the 2,000 largest are enough.
    var order = layer.order.slice(0, 2000);
    for (var r = 0; r < order.length; r++) {
      var i = order[r], a = inside(f.o[i]);
      if (a === null || inside(f.d[i]) === null) { continue; }
      var b = layer.box(i, layer.curveOf(i)), shift = (a - p.lon[f.o[i]]) / 360 * 256;
      box = [Math.min(box[0], b[0] + shift), Math.min(box[1], b[1]), Math.max(box[2], b[2] + shift), Math.max(box[3], b[3])];
    }
    if (box[0] < Infinity) {
      // One world width at most: a curve across the frame's far meridian never widens the
      // view into a second copy of the world.
      box[0] = Math.max(box[0], mid / 360 * 256);
      box[2] = Math.min(box[2], (mid + 360) / 360 * 256);
      out.extend(map.unproject([box[0], box[1]], 0));
      out.extend(map.unproject([box[2], box[3]], 0));
    }
    return out;
  }

  /* World pixels (zoom 0) the opening view must show, as [x, y, x, y, ...]: the ends and
   * curves of the largest flows whose two ends are in `bounds` (as curveBounds) and the
   * spec's view.area points. */
  function framePoints(map, layer, bounds) {
    var mid = (bounds[0][1] + bounds[1][1]) / 2, f = layer.spec.flows, p = layer.spec.places, out = [];
    var inside = endIn(layer, bounds, 1e-6);  // the bounds' rounding
    var order = layer.order, shown = 0;
    for (var r = 0; r < order.length && shown < FILL_FLOWS; r++) {
      var i = order[r], a = inside(f.o[i]);
      if (a === null || inside(f.d[i]) === null) { continue; }
      shown++;
      var c = layer.curveOf(i), shift = (a - p.lon[f.o[i]]) / 360 * 256;
      for (var k = 0; k < c.length; k += 2) { out.push(c[k] + shift, c[k + 1]); }
    }
    var area = (layer.spec.view || {}).area || [];
    for (var q = 0; q < area.length; q++) {
      var pt = map.project(L.latLng(area[q][0], flowmap.geo.unwrap(area[q][1], mid)), 0);
      out.push(pt.x, pt.y);
    }
    return out;
  }

  /* The offset (container px = world px at scale s + offset) that puts every point of
   * `pts` MARGIN px inside a map of `size`, clear of the boxes `rects` (grown by MARGIN),
   * nearest the middle; null when none of a grid of offsets does. */
  function placeAt(pts, s, size, rects, margin) {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, k;
    for (k = 0; k < pts.length; k += 2) {
      x0 = Math.min(x0, pts[k] * s); x1 = Math.max(x1, pts[k] * s);
      y0 = Math.min(y0, pts[k + 1] * s); y1 = Math.max(y1, pts[k + 1] * s);
    }
    var roomX = size.x - 2 * margin - (x1 - x0), roomY = size.y - 2 * margin - (y1 - y0);
    if (roomX < 0 || roomY < 0) { return null; }
    var best = null, grid = FILL_GRID;
    for (var i = 0; i <= grid; i++) {
      for (var j = 0; j <= grid; j++) {
        var ox = margin - x0 + roomX * i / grid, oy = margin - y0 + roomY * j / grid;
        var away = Math.abs((x0 + x1) / 2 + ox - size.x / 2) + Math.abs((y0 + y1) / 2 + oy - size.y / 2);
        if (best && away >= best.away) { continue; }
        var clear = true;
        for (k = 0; k < pts.length && clear; k += 2) {
          var x = pts[k] * s + ox, y = pts[k + 1] * s + oy;
          for (var b = 0; b < rects.length; b++) {
            var rc = rects[b];
            if (x > rc.left - margin && x < rc.right + margin && y > rc.top - margin && y < rc.bottom + margin) { clear = false; break; }
          }
        }
        if (clear) { best = { x: ox, y: oy, away: away }; }
      }
    }
    return best;
  }

  /* After fitAvoiding: zoom in further (by up to one step) where the map's own points
   * allow it, kept clear of the corner boxes themselves rather than of whole strips
   * along the sides: a focus and its far destinations often leave a corner free for the
   * legend, so they fill the frame. Never zooms out. */
  function fill(map, layer, bounds, fitted) {
    if (!fitted || !fitted.rects || !fitted.rects.length) { return; }
    // A world-scale frame is centred on its flows' ends (fitAvoiding's `core`): filling it
    // with bulging great circles would pull it off them.
    if (bounds[1][1] - bounds[0][1] > 180) { return; }
    var pts = framePoints(map, layer, bounds);
    if (pts.length < 4) { return; }
    var size = map.getSize(), z0 = map.getZoom(), top = Math.min(map.getMaxZoom(), z0 + 1);
    for (var z = top; z > z0 + 0.05; z = Math.round((z - 0.1) * 10) / 10) {
      var at = placeAt(pts, Math.pow(2, z), size, fitted.rects, 16);
      if (at) {
        map.setView(map.unproject(L.point(size.x / 2 - at.x, size.y / 2 - at.y), z), z, { animate: false });
        return;
      }
    }
  }

  flowmap.frame = {
    fitAvoiding: fitAvoiding, endsUnderBoxes: endsUnderBoxes, curveBounds: curveBounds,
    fill: fill, placeAt: placeAt
  };
}(window.flowmap = window.flowmap || {}));
