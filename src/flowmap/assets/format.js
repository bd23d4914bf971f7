/* Flowmap: numbers and short texts as the page's language writes them. Pure: no DOM. */
(function (flowmap) {
  "use strict";

  var ENGLISH = { group: ",", decimal: ".", minus: "\u2212" };

  /* Whole numbers written as the page's language writes them. The symbols come from the
   * page (CLDR data through Babel: a non-breaking space and a comma in Kyrgyz and Russian,
   * a true minus U+2212), because a browser's own Intl data may lack a language (Chromium
   * formats "ky" as English). Intl's English grouping is mapped onto them. */
  function numberFormat(symbols) {
    var base = new Intl.NumberFormat("en");
    var s = symbols || ENGLISH;
    var map = { ",": s.group, ".": s.decimal, "-": s.minus };
    return {
      format: function (n) {
        return base.format(n).replace(/[,.-]/g, function (c) { return map[c]; });
      }
    };
  }

  /* "1 person", "2 people": the plural form (t.peopleForms, else t.people) that the
   * language of `locale` uses for the number, with the number written by `fmt`. */
  function people(locale, t, count, fmt) {
    var forms = t.peopleForms || {}, rule = "other";
    try { rule = new Intl.PluralRules(locale || "en").select(count); } catch (e) { rule = "other"; }
    var text = forms[rule] || forms.other || t.people;
    return text.replace("{count}", fmt.format(count));
  }

  /* The template with each {name} replaced by values[name] (unknown names stay). */
  function fill(template, values) {
    return String(template).replace(/\{(\w+)\}/g, function (all, key) {
      return values[key] !== undefined ? String(values[key]) : all;
    });
  }

  /* Names joined with commas, at most `most` of them (then "… (+N)"). */
  function listOf(names, most) {
    if (names.length <= most) { return names.join(", "); }
    return names.slice(0, most).join(", ") + ", … (+" + (names.length - most) + ")";
  }

  flowmap.format = { numberFormat: numberFormat, people: people, fill: fill, listOf: listOf };
  if (typeof module === "object" && module.exports) { module.exports = flowmap.format; }
}(typeof window === "object" ? (window.flowmap = window.flowmap || {}) : {}));
