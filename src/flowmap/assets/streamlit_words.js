/* The words Streamlit writes itself, in the page's language: its skip link, the file
 * uploader's button, size line and file chips, its own labels (aria-label, placeholder,
 * title) and pop-ups (tooltips, the "no results" of a list, a table's column menu, the
 * "Running..." status). Streamlit has no setting for them, so this script rewrites them
 * whenever Streamlit draws them. It remembers each text's original (English) value, and
 * takes a new one when Streamlit changes it, so switching back to English restores the
 * English. The words come from the message catalogue as JSON in
 * window.flowmap.streamlitWords (set just before this runs; no data is in it). */
(function () {
  "use strict";
  const ns = (window.flowmap = window.flowmap || {});
  const ORIGINAL = new WeakMap();
  const SHOWN = new WeakMap();
  const LABELS = ["aria-label", "placeholder", "title"];
  const POPUPS = [
    "[data-baseweb='tooltip']",
    "[data-baseweb='popover']",
    "[role='tooltip']",
    "[role='menu']", // a table's column menu
    "[data-testid='stStatusWidget']", // "Running...", "Stop"
  ].join(", ");

  function words() {
    return ns.streamlitWords || {};
  }

  /* A Streamlit label in the page's language: an exact label from w.ui, or one that starts
   * with a prefix from w.prefixes ("Remove " + a place's name). Anything else stays. */
  function ui(original) {
    const w = words();
    const text = original.trim();
    const table = w.ui || {};
    if (Object.prototype.hasOwnProperty.call(table, text)) return table[text];
    for (const [prefix, template] of w.prefixes || []) {
      if (text.startsWith(prefix)) return template.replace("{name}", text.slice(prefix.length));
    }
    return original;
  }

  /* Set a text node to ``translate`` of its original text. */
  function say(node, translate) {
    let original = ORIGINAL.get(node);
    if (original === undefined || node.nodeValue !== SHOWN.get(node)) original = node.nodeValue;
    ORIGINAL.set(node, original);
    const text = translate(original);
    SHOWN.set(node, text);
    if (node.nodeValue !== text) node.nodeValue = text;
  }

  /* The same for an attribute of an element. */
  function sayAttribute(el, name, translate) {
    const key = name.replace(/[^a-z]/gi, "");
    const current = el.getAttribute(name) || "";
    let original = el.dataset["fmOriginal" + key];
    if (original === undefined || current !== el.dataset["fmShown" + key]) original = current;
    const text = translate(original);
    el.dataset["fmOriginal" + key] = original;
    el.dataset["fmShown" + key] = text;
    if (current !== text) el.setAttribute(name, text);
  }

  function textNodes(root) {
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) out.push(walker.currentNode);
    return out;
  }

  function sayAll(root, translate) {
    for (const node of textNodes(root)) say(node, (o) => (o.trim() ? translate(o) : o));
  }

  function apply() {
    const w = words();
    const or = (word) => (o) => word || o;
    for (const name of LABELS) {
      for (const el of document.querySelectorAll(`[${name}]`)) sayAttribute(el, name, ui);
    }
    for (const popup of document.querySelectorAll(POPUPS)) sayAll(popup, ui);
    for (const link of document.querySelectorAll("[data-testid='stSkipToContent']")) {
      sayAll(link, or(w.skip));
    }
    for (const chips of document.querySelectorAll("[data-testid='stFileChips']")) {
      for (const add of chips.querySelectorAll(":scope > button")) {
        for (const span of add.querySelectorAll("span:not([data-testid='stIconMaterial'])")) {
          for (const node of span.childNodes) {
            if (node.nodeType === Node.TEXT_NODE && node.nodeValue.trim()) say(node, or(w.add));
          }
        }
      }
    }
    for (const zone of document.querySelectorAll("[data-testid='stFileUploaderDropzone']")) {
      for (const p of zone.querySelectorAll("button [data-testid='stMarkdownContainer'] p")) {
        sayAll(p, or(w.upload));
      }
      const box = "[data-testid='stFileUploaderDropzoneInstructions']";
      for (const instructions of zone.querySelectorAll(box)) {
        sayAll(instructions, (o) => {
          const m = /^\s*(\d+(?:\.\d+)?)\s*([KMG]B) per file(.*)$/.exec(o);
          if (!m || !w.limit) return o;
          const size = m[1] + "\u00a0" + ((w.units || {})[m[2]] || m[2]);
          return w.limit.replace("{size}", size) + m[3];
        });
      }
    }
  }

  apply();
  if (!ns.streamlitObserver) {
    // Run as soon as Streamlit has changed the page, before it is painted, so the English
    // is never on screen. Our own changes bring one more call, which changes nothing.
    ns.streamlitObserver = new MutationObserver(() => ns.streamlitApply());
    ns.streamlitObserver.observe(document.body, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: LABELS,
    });
  }
  ns.streamlitApply = apply;
})();
