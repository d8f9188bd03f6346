// Shared set-up of the browser tests: serve dist/ on a free port, start Debian's Chromium, open
// the app and collect every console error and page error, so each test can assert there were none.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { serve } from '../../scripts/serve.mjs';
import { launchOptions } from './browser.mjs';

export async function startApp() {
  const server = await serve('dist');
  const browser = await chromium.launch(launchOptions());
  const base = `http://127.0.0.1:${server.address().port}/`;
  return {
    base,
    browser,
    /// `at`: another address of the app (served elsewhere, with a query); `ready`: wait for the
    /// first data set.
    async open({ hash = '', locale = 'en-US', viewport = { width: 1280, height: 800 }, at = null, ready = true } = {}) {
      const context = await browser.newContext({ locale, viewport });
      const page = await context.newPage();
      const errors = [];
      page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
      page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
      page.on('worker', (w) => w.on('console', (m) => { if (m.type() === 'error') errors.push(`worker: ${m.text()}`); }));
      await page.goto((at ?? base) + hash);
      if (ready) await page.waitForFunction(() => window.memberDashboard?.report().ready, null, { timeout: 30_000 });
      return { page, context, errors };
    },
    async close() {
      await browser.close();
      server.close();
    },
  };
}

/// The engine's own analysis of the demo, computed natively (examples/demo_report.rs).
export function engineDemoReport() {
  const out = execFileSync('cargo', ['run', '--quiet', '-p', 'member-engine', '--example', 'demo_report'], { encoding: 'utf8' });
  return JSON.parse(out);
}

// The page's number formats (src/format.rs), written again to compare with what is shown.
export const fmt = {
  thousands: (n) => new Intl.NumberFormat('en-US').format(n),
  yuan: (cents) => `¥${fmt.thousands(Math.sign(cents) * Math.floor((Math.abs(cents) + 50) / 100))}`,
  percent: (share) => `${(share * 100).toFixed(1)}%`,
};

/// Deep equality where numbers may differ by a relative `tol`: the models' special functions
/// (ln Γ, exp, powers) round differently in WebAssembly's libm and the native C library.
export function assertClose(actual, expected, tol = 1e-9, path = '') {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const scale = Math.max(1, Math.abs(expected));
    if (Math.abs(actual - expected) > tol * scale) throw new Error(`${path}: ${actual} is not close to ${expected}`);
    return;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') throw new Error(`${path}: ${JSON.stringify(actual)} is not an object`);
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) assertClose(actual[k], expected[k], tol, `${path}.${k}`);
    return;
  }
  if (actual !== expected) throw new Error(`${path}: ${JSON.stringify(actual)} !== ${JSON.stringify(expected)}`);
}

/// Puts `file` (a path) into a hidden file input added to the page, for `memberDashboard.load()`
/// to read as a real File: big files go in this way, not through page.evaluate.
export async function hiddenFileInput(page, id, file) {
  await page.evaluate((id) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.id = id;
    input.hidden = true;
    document.body.append(input);
  }, id);
  await page.setInputFiles(`#${id}`, file);
}

/// Opens every <details> (folds reveal more, e.g. nested ones) until none is closed.
export async function openAllDetails(page) {
  for (let round = 0; round < 4; round++) {
    const opened = await page.evaluate(() => {
      const closed = [...document.querySelectorAll('details:not([open])')];
      closed.forEach((d) => { d.open = true; });
      return closed.length;
    });
    if (opened === 0) break;
    await page.waitForTimeout(150);
  }
}

/// The automation report once the page is no longer busy (figures and predictions in).
export async function settledReport(page) {
  await page.waitForFunction(() => !window.memberDashboard.report().busy);
  return page.evaluate(() => window.memberDashboard.report());
}
