/* ESLint's flat config for the page's scripts (src/flowmap/assets) and their unit tests
 * (tests/js). `make test` runs `npx eslint --max-warnings 0 .` (no network: node_modules is
 * installed by `make setup` from package-lock.json). */
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: [".venv/**", "node_modules/**", "geo/.build/**", "build/**", "dist/**"] },
  js.configs.recommended,
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      eqeqeq: "error",
      "no-var": "off",
      "no-implicit-globals": "error",
      "no-shadow": ["error", { builtinGlobals: false }],
      "no-unused-vars": ["error", { args: "after-used", caughtErrors: "none" }],
      "no-use-before-define": ["error", { functions: false, classes: true, variables: true }],
      "no-loop-func": "error",
      "no-eval": "error",
      "no-new-func": "error",
      "no-prototype-builtins": "error",
      "guard-for-in": "error",
      strict: ["error", "function"],
    },
  },
  {
    // The page's scripts: plain browser scripts inlined into the page in the order of
    // flowmap/_assets.py (PAGE_SCRIPTS); the pure modules also load under Node for the
    // unit tests (module.exports, require), which the browser never reaches.
    files: ["src/flowmap/assets/**/*.js"],
    languageOptions: {
      ecmaVersion: 2020,
      sourceType: "script",
      globals: { ...globals.browser, L: "readonly", module: "readonly", require: "readonly" },
    },
  },
  {
    files: ["tests/js/**/*.js", "eslint.config.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "commonjs",
      globals: { ...globals.node },
    },
    rules: { strict: ["error", "global"] },
  },
];
