// Accessibility gate: axe-core in Debian's headless Chromium (driven by
// playwright-core; no browser is ever downloaded) over pages of a built site.
//
//   node .ci/axe.mjs SITE_DIR
//
// SITE_DIR is a `gongshi build --out` folder (SITE_DIR/<audience>/<version>/).
// For each audience it checks the home page, the register (risks/index.html),
// the first risk, flow, power and post page, and search, changes and booklet
// when they exist — at a desktop and a phone width; then each again at the
// desktop width in the 高对比 display (<html data-contrast>, static/display.js)
// with WCAG AAA text contrast (`color-contrast-enhanced`, 7:1), where any
// violation fails. Every violation found is printed (rule id, impact,
// target); the exit code is 1 when any is serious or critical (or any AAA
// contrast one), 2 when the gate could not run.

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const FAILING = new Set(['serious', 'critical']);
const VIEWPORTS = [
  { name: 'desktop', width: 1366, height: 900 },
  { name: 'phone', width: 390, height: 844 },
];
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

const site = process.argv[2];
if (!site || !existsSync(site)) {
  console.error('usage: node .ci/axe.mjs SITE_DIR (a gongshi build --out folder)');
  process.exit(2);
}
const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The version folders: SITE_DIR/<audience>/<version>/index.html. */
function versionRoots(dir) {
  const roots = [];
  for (const audience of readdirSync(dir).sort()) {
    const a = join(dir, audience);
    if (!statSync(a).isDirectory()) continue;
    for (const version of readdirSync(a).sort()) {
      const v = join(a, version);
      if (statSync(v).isDirectory() && existsSync(join(v, 'index.html'))) roots.push(v);
    }
  }
  return roots;
}

/** The first item page of a folder (not its index), if any. */
function firstItem(root, folder) {
  const d = join(root, folder);
  if (!existsSync(d)) return null;
  const page = readdirSync(d).sort().find((f) => f.endsWith('.html') && f !== 'index.html');
  return page ? join(folder, page) : null;
}

function pagesOf(root) {
  const wanted = [
    'index.html',
    'risks/index.html',
    firstItem(root, 'risks'),
    firstItem(root, 'flows'),
    firstItem(root, 'powers'),
    firstItem(root, 'posts'),
    'search.html',
    'changes.html',
    'booklet.html',
  ];
  const required = wanted.slice(0, 6);
  const missing = required.filter((p) => !p || !existsSync(join(root, p)));
  if (missing.length) {
    console.error(`axe: ${root}: missing required page(s): ${missing.join(', ') || 'an item page'}`);
    process.exit(2);
  }
  return wanted.filter((p) => p && existsSync(join(root, p))).map((p) => join(root, p));
}

const userDataDir = mkdtempSync(join(tmpdir(), 'gongshi-axe-'));
const browser = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

let checked = 0;
let total = 0;
let failing = 0;
let contrastChecks = 0;
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.log(`  page error: ${e.message}`));
  for (const root of versionRoots(resolve(site))) {
    for (const file of pagesOf(root)) {
      for (const vp of VIEWPORTS) {
        await page.setViewportSize({ width: vp.width, height: vp.height });
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        await page.addScriptTag({ path: axeSource });
        const result = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }),
          TAGS,
        );
        checked += 1;
        const rel = file.slice(resolve(site).length + 1);
        report(result, rel, vp.name, FAILING);
      }
      // 高对比: AAA text contrast
      await page.setViewportSize({ width: VIEWPORTS[0].width, height: VIEWPORTS[0].height });
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.evaluate(() => document.documentElement.setAttribute('data-contrast', ''));
      await page.addScriptTag({ path: axeSource });
      const aaa = await page.evaluate(() =>
        window.axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast-enhanced'] } }),
      );
      checked += 1;
      contrastChecks += 1;
      report(aaa, file.slice(resolve(site).length + 1), 'high contrast', null);
    }
  }
} finally {
  await browser.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

/** Prints a result's violations; counts those `failing` names (all when null). */
function report(result, rel, where, failingImpacts) {
  for (const v of result.violations) {
    for (const node of v.nodes) {
      total += 1;
      const bad = failingImpacts ? failingImpacts.has(v.impact) : true;
      if (bad) failing += 1;
      const target = node.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t));
      console.log(
        `${bad ? 'FAIL' : 'note'} ${rel} [${where}] ${v.id} (${v.impact}) ${target.join(', ')}`,
      );
      if (bad) console.log(`     ${node.failureSummary.replace(/\n/g, '\n     ')}`);
    }
  }
}

console.log(
  `axe-core: ${checked} page checks (${TAGS.join(', ')}; ${contrastChecks} of them 高对比 at AAA contrast), ${total} violation(s), ${failing} failing`,
);
process.exit(failing ? 1 : 0);
