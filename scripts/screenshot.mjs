// Screenshots of the built app for a human to look at.
// Usage: node scripts/screenshot.mjs <out-dir> [page-hash ...]   (default: overview)
// Takes each page in English and Chinese, wide (1440×900) and phone (390×844), light theme,
// plus one dark wide shot.
import { chromium } from 'playwright-core';
import { serve } from './serve.mjs';
import { launchOptions } from '../tests/browser/browser.mjs';
import fs from 'node:fs';

const out = process.argv[2] ?? 'screenshots';
const pages = process.argv.slice(3).length ? process.argv.slice(3) : ['overview'];
fs.mkdirSync(out, { recursive: true });
const server = await serve('dist');
const base = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch(launchOptions());
const shots = [];
for (const page of pages) {
  for (const [lang, locale] of [['en', 'en-US'], ['zh', 'zh-CN']]) {
    for (const [size, viewport] of [['wide', { width: 1440, height: 900 }], ['phone', { width: 390, height: 844 }]]) {
      for (const theme of size === 'wide' && lang === 'en' ? ['light', 'dark'] : ['light']) {
        const ctx = await browser.newContext({ viewport, locale, colorScheme: theme, deviceScaleFactor: 1 });
        const p = await ctx.newPage();
        await p.goto(`${base}#/${page}`);
        await p.waitForFunction(() => window.memberDashboard?.report().ready);
        await p.waitForTimeout(800); // chart animation
        const file = `${out}/${page}-${lang}-${size}-${theme}.png`;
        await p.screenshot({ path: file, fullPage: true });
        shots.push(file);
        await ctx.close();
      }
    }
  }
}
await browser.close();
server.close();
console.log(shots.join('\n'));
