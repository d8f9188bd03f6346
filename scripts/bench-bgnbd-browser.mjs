// BG/NBD fit in the browser: the CDNOW log loaded into the page, then the fit timed inside the
// worker (memberDashboard.benchmarkFit) on its 23,570 buyers ×1 and ×15. Needs a built dist/.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { serve } from './serve.mjs';
import { launchOptions } from '../tests/browser/browser.mjs';

const server = await serve('dist');
const browser = await chromium.launch(launchOptions());
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  await page.evaluate(() => { const i = document.createElement('input'); i.type = 'file'; i.id = 'bench'; i.hidden = true; document.body.append(i); });
  await page.setInputFiles('#bench', path.resolve('tests/data/CDNOW_master.txt'));
  await page.evaluate(() => window.memberDashboard.load(document.getElementById('bench').files));
  for (const copies of [1, 15]) {
    let best = Infinity;
    let last;
    for (let run = 0; run < 5; run++) {
      last = await page.evaluate((c) => window.memberDashboard.benchmarkFit(c), copies);
      best = Math.min(best, last.milliseconds);
    }
    const p = last.params;
    console.log(`browser log ${String(last.customers).padStart(8)} customers: ${best.toFixed(1).padStart(9)} ms (best of 5, in the worker); r ${p.r.toFixed(4)} α ${p.alpha.toFixed(4)} a ${p.a.toFixed(4)} b ${p.b.toFixed(4)}`);
  }
} finally {
  await browser.close();
  server.close();
}
