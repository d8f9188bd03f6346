// No English on the Chinese pages: every page in zh-CN with its folds and table views open; the
// visible text, the accessible names and tooltips (aria-label, title, placeholder, alt) and the
// text the charts draw on their canvas (read from ECharts' scene) hold no English word except
// model names, file formats, units and the data's own values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './harness.mjs';
import { ALLOWED, englishWords, openAllDetails, collectTexts } from './zh_check.mjs';

export { englishWords };

const PAGES = ['overview', 'segments', 'pyramid', 'churn', 'members', 'work-lists', 'data', 'report'];

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

for (const slug of PAGES) {
  test(`no English words on #/${slug} in zh-CN (folds and table views open, charts included)`, async () => {
    const { page, context, errors } = await app.open({ hash: `#/${slug}`, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    await page.waitForFunction(() => !window.memberDashboard.report().busy, null, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await openAllDetails(page);
    await page.waitForTimeout(1000); // charts in opened folds draw
    // The data's own values may be English: the data set's name (the demo's is bilingual).
    const dataset = await page.evaluate(() => String(window.memberDashboard.report().dataset ?? ''));
    const allowed = new Set([...ALLOWED, ...(dataset.match(/[A-Za-z]+/g) ?? [])]);
    const texts = await page.evaluate(collectTexts);
    assert.ok(texts.some(([, t]) => /[\u4e00-\u9fff]/.test(t)), 'the page shows Chinese text');
    // The charts' canvas text was read where the page draws charts (a reader that finds none would pass).
    const charts = await page.locator('.chart').count();
    if (charts > 0) assert.ok(texts.some(([w]) => w.endsWith('canvas text')), `read no canvas text from ${charts} charts`);
    const seen = new Set();
    const offending = [];
    for (const [where, text] of texts) {
      const words = englishWords(text, allowed);
      const line = `${where}: "${text.replace(/\s+/g, ' ').slice(0, 160)}" → ${[...new Set(words)].join(', ')}`;
      if (words.length && !seen.has(line)) { seen.add(line); offending.push(line); }
    }
    assert.deepEqual(offending, [], `#/${slug} zh-CN, ${offending.length} texts with English:\n  ${offending.join('\n  ')}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the word finder itself: finds English, passes model names, formats, units, IDs and dates', () => {
  const allowed = new Set([...ALLOWED, 'Liyan', 'Beauty']);
  assert.deepEqual(englishWords('每月营业额 Revenue by month', allowed), ['Revenue', 'by', 'month']);
  assert.deepEqual(englishWords('BG/NBD 参数 r 0.77, α 32.8; Gamma-Gamma; 导出 CSV、XLSX、PNG; UTF-8, GBK', allowed), []);
  assert.deepEqual(englishWords('M0001 · 2025-06-01 · ¥2,407 · 20% · +3.1 pp · 丽颜美容 · Liyan Beauty', allowed), []);
  assert.deepEqual(englishWords('R: 274 · F: 12.9 · At risk', allowed), ['At', 'risk']);
  assert.deepEqual(englishWords('见 api/openapi.yaml · https://api.example.com/v1 · /api · P(alive)', allowed), ['alive']);
  // A file's name is not prose; the words around it are.
  assert.deepEqual(englishWords('请加载 monthly_aggregates.csv 或 member_summary.parquet · monthly aggregates', allowed), ['monthly', 'aggregates']);
});
