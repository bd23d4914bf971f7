/* Flowmap: the controls of a playable export (player.js fills in their words and state):
 * a play button, the year or period and its caption, a slider with tick labels, the
 * direction buttons, the language menu, the destination boxes with "all" and "none", and
 * a note. Every text goes in with textContent. */
(function (flowmap) {
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

  var el = flowmap.dom.el;

  /* Build the controls of player data `P` into the title box (after its heading, a
   * subtitle paragraph, made when missing). `yearStops` are the stops that are one year
   * (play steps through them). `on` answers the user: dir(dir), lang(code), box(k, 0|1),
   * all(0|1), slider(stop), play(). Returns the nodes player.js updates. */
  function build(P, spec, titleBox, yearStops, on) {
    if (!document.getElementById("fm-player-css")) {
      var style = el("style", null, CSS);
      style.id = "fm-player-css";
      document.head.appendChild(style);
    }
    var heading = titleBox.querySelector("h1");
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
      for (var i = 0; i < marks.length; i++) {
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
      button.addEventListener("click", function () { on.dir(dir); });
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
    langSelect.addEventListener("change", function () { on.lang(langSelect.value); });
    row.appendChild(langSelect);
    ui.appendChild(row);
    var dests = el("details", "fm-p-dests"), summary = el("summary"), grid = el("div", "fm-p-grid");
    var boxInputs = [], boxNames = [];
    P.boxes.forEach(function (place, k) {
      var label = el("label"), input = el("input"), name = el("span");
      input.type = "checkbox";
      input.checked = true;
      input.setAttribute("data-place", spec.places.id[place]);
      input.addEventListener("change", function () { on.box(k, input.checked ? 1 : 0); });
      label.appendChild(input);
      label.appendChild(name);
      grid.appendChild(label);
      boxInputs.push(input);
      boxNames.push(name);
    });
    var quick = el("div", "fm-p-quick"), allButton = el("button"), noneButton = el("button");
    allButton.type = noneButton.type = "button";
    allButton.addEventListener("click", function () { on.all(1); });
    noneButton.addEventListener("click", function () { on.all(0); });
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
    for (var t = tickNodes.length - 2; t > 0; t--) {
      var here = tickNodes[t].getBoundingClientRect(), next = tickNodes[t + 1].getBoundingClientRect();
      var before = tickNodes[t - 1].getBoundingClientRect();
      if (here.right + 4 > next.left || here.left - 4 < before.right) { tickNodes[t].style.display = "none"; }
    }

    slider.addEventListener("input", function () { on.slider(Number(slider.value)); });
    playButton.addEventListener("click", function () { on.play(); });
    return {
      heading: heading, subtitle: subtitle, ui: ui, playButton: playButton, yearLabel: yearLabel,
      caption: caption, slider: slider, dirGroup: dirGroup, dirButtons: dirButtons,
      langSelect: langSelect, summary: summary, boxInputs: boxInputs, boxNames: boxNames,
      allButton: allButton, noneButton: noneButton, note: note
    };
  }

  flowmap.playerUi = { build: build };
}(window.flowmap = window.flowmap || {}));
