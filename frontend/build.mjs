// Copies the NL Design System (Utrecht) CSS, design tokens, the Noto Sans
// font, htmx and our own CSS/JS into build/static, which Django serves via
// STATICFILES_DIRS + whitenoise. No CDN: everything is served from 'self'.
// Run with `npm run build` after `npm ci`.
import { cpSync, mkdirSync, readdirSync, rmSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const nm = join(root, "node_modules");
const out = join(root, "build", "static");

const copies = [
  ["@utrecht/component-library-css/dist/index.css", "vendor/utrecht/component-library.css"],
  ["@utrecht/component-library-css/LICENSE.md", "vendor/utrecht/LICENSE-component-library.md", true],
  ["@utrecht/design-tokens/dist/theme.css", "vendor/utrecht/design-tokens.css"],
  ["@utrecht/design-tokens/LICENSE.md", "vendor/utrecht/LICENSE-design-tokens.md", true],
  ["@fontsource-variable/noto-sans/index.css", "vendor/noto-sans/noto-sans.css"],
  ["@fontsource-variable/noto-sans/LICENSE", "vendor/noto-sans/LICENSE", true],
  ["htmx.org/dist/htmx.min.js", "vendor/htmx/htmx.min.js"],
  ["htmx.org/LICENSE", "vendor/htmx/LICENSE", true],
  // bpmn-js viewer (reference process diagrams); its CSS has no external references
  ["bpmn-js/dist/bpmn-viewer.production.min.js", "vendor/bpmn-js/bpmn-viewer.production.min.js"],
  ["bpmn-js/dist/assets/diagram-js.css", "vendor/bpmn-js/diagram-js.css"],
  ["bpmn-js/dist/assets/bpmn-js.css", "vendor/bpmn-js/bpmn-js.css"],
  ["bpmn-js/LICENSE", "vendor/bpmn-js/LICENSE", true],
];

function copy(from, to, optional = false) {
  if (!existsSync(from)) {
    if (optional) return;
    throw new Error(`ontbreekt: ${from} (eerst 'npm ci' draaien)`);
  }
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to);
  console.log(`  ${to.slice(root.length + 1)}`);
}

rmSync(join(out, "vendor"), { recursive: true, force: true });
rmSync(join(out, "harmonie"), { recursive: true, force: true });
console.log("build/static:");
for (const [from, to, optional] of copies) copy(join(nm, from), join(out, to), optional);

// Only the variable-weight, upright font files that noto-sans.css refers to.
const fontDir = join(nm, "@fontsource-variable/noto-sans/files");
for (const name of readdirSync(fontDir).filter((n) => n.endsWith("-wght-normal.woff2"))) {
  copy(join(fontDir, name), join(out, "vendor/noto-sans/files", name));
}

for (const name of ["harmonie.css", "harmonie.js", "favicon.svg"]) {
  copy(join(root, "frontend", name), join(out, "harmonie", name));
}
