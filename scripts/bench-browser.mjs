// Browser benchmark: a generated transactions CSV loaded through window.memberDashboard.load()
// in headless Chromium, from the call to the complete dashboard.
// Usage: node scripts/bench-browser.mjs [transactions …]   (default 1000000; needs a built dist/)
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from './serve.mjs';
import { chooseFile } from './bench-server.mjs';
import { launchOptions } from '../tests/browser/browser.mjs';

const sizes = process.argv.slice(2).map(Number).filter(Boolean);
const dir = mkdtempSync(path.join(tmpdir(), 'md-bench-'));
const server = await serve('dist');
const browser = await chromium.launch(launchOptions());
try {
  for (const n of sizes.length ? sizes : [1_000_000]) {
    const file = path.join(dir, `transactions-${n}.csv`);
    execFileSync('cargo', ['run', '--quiet', '--release', '-p', 'member-engine', '--example', 'bench_import', String(n), '--write', file], { stdio: 'inherit' });
    const mb = statSync(file).size / 1e6;
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.memberDashboard?.report().ready);
    await chooseFile(page, file);
    const r = await page.evaluate(async () => {
      const files = document.getElementById('bench-input').files;
      let frames = 0;
      let longest = 0;
      let last = performance.now();
      let running = true;
      // Frames the page painted while the worker worked: a frozen page paints none.
      const tick = () => { const now = performance.now(); longest = Math.max(longest, now - last); last = now; frames++; if (running) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      const t0 = performance.now();
      const outcome = await window.memberDashboard.load(files);
      const loaded = performance.now() - t0;
      await new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res)));
      const shown = performance.now() - t0;
      // The predictions (model fits) follow the dashboard in a second message.
      while (window.memberDashboard.report().busy) await new Promise((res) => setTimeout(res, 5));
      const predicted = performance.now() - t0;
      running = false;
      return { loaded, shown, predicted, frames, longest, rows: outcome.transactions, members: outcome.members, memory: outcome.engine_memory_bytes };
    });
    console.log(
      `${r.rows.toLocaleString('en-US')} rows (${mb.toFixed(1)} MB CSV, ${r.members.toLocaleString('en-US')} members): ` +
      `load() resolved in ${(r.loaded / 1000).toFixed(2)} s, dashboard shown at ${(r.shown / 1000).toFixed(2)} s, predictions in at ${(r.predicted / 1000).toFixed(2)} s ` +
      `= ${(r.rows / r.loaded).toFixed(0)} k rows/s, ${(mb / (r.loaded / 1000)).toFixed(0)} MB/s; ` +
      `worker heap ${(r.memory / 1e6).toFixed(0)} MB; page painted ${r.frames} frames meanwhile, longest gap ${r.longest.toFixed(0)} ms`,
    );
    await page.close();
    rmSync(file);
  }
} finally {
  await browser.close();
  server.close();
  rmSync(dir, { recursive: true, force: true });
}
