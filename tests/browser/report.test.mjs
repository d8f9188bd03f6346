// The printable report: every section, no navigation or controls in print, and on every
// printed A4 page the data set and the analysis date (read back from the PDF with poppler's
// pdftotext, page by page).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp } from './harness.mjs';
import { execFileSync } from 'node:child_process';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

test('the report prints as A4 pages, each headed by the data set and the analysis date', async () => {
  const { page, context, errors } = await app.open({ hash: '#/report' });
  await page.waitForFunction(() => !window.memberDashboard.report().busy);
  const r = await page.evaluate(() => window.memberDashboard.report());
  await page.getByTestId('report-worklists').waitFor();
  const sections = await page.locator('.report-section').evaluateAll((s) => s.map((e) => e.dataset.section));
  assert.deepEqual(sections, ['overview', 'segments', 'pyramid', 'churn', 'work-lists']);
  // The work-list counts are the engine's.
  const lists = await page.evaluate(() => window.memberDashboard.workLists());
  const shown = await page.locator('[data-testid=report-worklists] td[data-count]').evaluateAll((c) => c.map((e) => Number(e.dataset.count)));
  assert.deepEqual(shown, lists.lists.map((l) => l.members));

  await page.emulateMedia({ media: 'print' });
  for (const hidden of ['.app-nav', '.app-header', '.report-toolbar', '.chart-png']) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
  }
  const breaks = await page.locator('.report-section').evaluateAll((s) => s.map((e) => getComputedStyle(e).breakBefore));
  assert.ok(breaks.every((b) => b === 'page'), breaks.join());
  await page.waitForTimeout(500); // charts redraw at the print width
  const pdf = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-')), 'report.pdf');
  await page.pdf({ path: pdf, format: 'A4', printBackground: true });
  // pdftotext separates pages with a form feed.
  const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim());
  assert.ok(pages.length >= 5, `${pages.length} pages`);
  pages.forEach((text, i) => {
    assert.ok(text.includes(r.analysis_date), `page ${i + 1} names the analysis date`);
    assert.ok(text.includes(r.dataset), `page ${i + 1} names the data set`);
  });
  assert.deepEqual(errors, []);
  await context.close();
});
