// The README's screenshots (docs/*.png) from a built dist/: run after `bash scripts/build.sh`.
// Usage: node scripts/readme-shots.mjs [out-dir]   (default: docs)
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from './serve.mjs';
import { launchOptions } from '../tests/browser/browser.mjs';

const out = process.argv[2] ?? 'docs';
fs.mkdirSync(out, { recursive: true });
const server = await serve('dist');
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch(launchOptions());

/// A page of the demo, ready and drawn, in a fresh context.
async function open({ hash, locale = 'en-US', width = 1440, height = 900, dark = false }) {
  const context = await browser.newContext({ viewport: { width, height }, locale, colorScheme: dark ? 'dark' : 'light', deviceScaleFactor: 1 });
  const page = await context.newPage();
  await page.goto(`${base}${hash}`);
  await page.waitForFunction(() => window.memberDashboard?.report().ready && !window.memberDashboard.report().busy, null, { timeout: 60_000 });
  await page.waitForTimeout(900); // the charts' entry animation
  return { page, context };
}

async function shot(name, options, act, clipHeight) {
  const { page, context } = await open(options);
  if (act) await act(page);
  await page.waitForTimeout(600);
  const file = path.join(out, `${name}.png`);
  const full = clipHeight ? { clip: { x: 0, y: 0, width: options.width ?? 1440, height: clipHeight }, fullPage: true } : {};
  await page.screenshot({ path: file, ...full });
  await context.close();
  console.log(file);
}

await shot('overview-en', { hash: '#/overview' });
await shot('overview-zh-phone', { hash: '#/overview', locale: 'zh-CN', width: 390, height: 844 }, null, 1300);
await shot('stores-en', { hash: '#/overview', height: 900 }, async (page) => {
  await page.locator('[data-testid=store-compare]').scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -70));
});
await shot('churn-en', { hash: '#/churn', height: 1000 });
await shot('segments-zh-dark', { hash: '#/segments', locale: 'zh-CN', dark: true, height: 1000 });
await shot('members-en', { hash: '#/members', height: 1137 });
await shot('worklists-zh', { hash: '#/work-lists', locale: 'zh-CN' }, null, 2056);

// The example host page on another origin, embedding the dashboard both ways.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-host-'));
fs.copyFileSync('examples/host.html', path.join(dir, 'host.html'));
const host = await serve(dir);
{
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${host.address().port}/host.html?dashboard=${encodeURIComponent(base)}`);
  const frame = await (await page.waitForSelector('#dashboard-frame')).contentFrame();
  await frame.waitForFunction(() => window.memberDashboard?.report().ready, null, { timeout: 60_000 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: path.join(out, 'embed-example.png') });
  console.log(path.join(out, 'embed-example.png'));
  await context.close();
}
host.close();
fs.rmSync(dir, { recursive: true, force: true });
await browser.close();
server.close();
