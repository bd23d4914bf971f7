"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const format = require("../../src/flowmap/assets/format.js");

const KY = { group: "\u00a0", decimal: ",", minus: "\u2212" };

test("numbers in English by default, with a true minus", () => {
  const fmt = format.numberFormat();
  assert.equal(fmt.format(7529), "7,529");
  assert.equal(fmt.format(-2015), "\u22122,015");
  assert.equal(fmt.format(1234567.5), "1,234,567.5");
});

test("numbers with the page's symbols (Kyrgyz and Russian: a space and a comma)", () => {
  const fmt = format.numberFormat(KY);
  assert.equal(fmt.format(7529), "7\u00a0529");
  assert.equal(fmt.format(-1234567.5), "\u22121\u00a0234\u00a0567,5");
  assert.equal(fmt.format(12), "12");
});

test("people in the plural form of the language", () => {
  const ru = { peopleForms: { one: "{count} человек", few: "{count} человека", many: "{count} человек", other: "{count} человека" } };
  const fmt = format.numberFormat(KY);
  assert.equal(format.people("ru", ru, 1, fmt), "1 человек");
  assert.equal(format.people("ru", ru, 3, fmt), "3 человека");
  assert.equal(format.people("ru", ru, 25, fmt), "25 человек");
  assert.equal(format.people("ru", ru, 2001, fmt), "2\u00a0001 человек");
  const en = { peopleForms: { one: "{count} person", other: "{count} people" } };
  assert.equal(format.people("en", en, 1, format.numberFormat()), "1 person");
  assert.equal(format.people("en", en, 1500, format.numberFormat()), "1,500 people");
  // Without forms, the one text; with a locale the browser does not know, "other".
  assert.equal(format.people("en", { people: "{count} people" }, 1, format.numberFormat()), "1 people");
  assert.equal(format.people("not a locale!", en, 1, format.numberFormat()), "1 people");
});

test("fill and listOf", () => {
  assert.equal(format.fill("{places} in {period}", { places: "Osh", period: "2024" }), "Osh in 2024");
  assert.equal(format.fill("{places} {unknown}", { places: "<b>" }), "<b> {unknown}");
  assert.equal(format.fill("{n}", { n: 0 }), "0");
  assert.equal(format.listOf(["A", "B"], 2), "A, B");
  assert.equal(format.listOf(["A", "B", "C", "D"], 2), "A, B, … (+2)");
  assert.equal(format.listOf([], 6), "");
});
