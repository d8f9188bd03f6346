// The Churn page opens short: its sections fold (the risk bands open, the rest closed, as the
// user left them after that), by mouse or keyboard; the months the data cannot measure yet read
// as not measurable, not 0%; the lifecycle's Sleeping and Lost are told apart from the value
// group; and in Chinese, with every section and table view open, no English is left but model
// names.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, fmt, settledReport } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

const report = settledReport;
const isOpen = (page, id) => page.getByTestId(`fold-${id}`).evaluate((d) => d.open);

/// The rows of a chart card's table view, opened if it is not.
async function tableRows(page, testid) {
  const card = page.getByTestId(testid);
  if (!(await card.locator('details.table-view').evaluate((d) => d.open))) await card.locator('details.table-view > summary').click();
  return card.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
}

test('the sections fold and unfold with the keyboard, and stay as the user left them', async () => {
  const { page, context, errors } = await app.open({ hash: '#/churn' });
  await report(page);
  assert.equal(await isOpen(page, 'risk'), true, 'the answer opens the page');
  assert.equal(await page.getByTestId('open-risk-high').isVisible(), true);
  for (const id of ['lifecycle', 'retention', 'model']) assert.equal(await isOpen(page, id), false, `${id} starts closed`);
  assert.equal(await page.getByTestId('open-life-sleeping').isVisible(), false);

  const summary = page.getByTestId('fold-lifecycle').locator(':scope > summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=fold-lifecycle]').open);
  await page.getByTestId('open-life-sleeping').waitFor({ state: 'visible' });
  // A chart in a section opened late draws at the section's width, not at 0.
  const width = await page.getByTestId('lifecycle-chart').locator('.chart canvas').first().evaluate((c) => c.getBoundingClientRect().width);
  assert.ok(width > 200, `lifecycle chart ${width}px wide`);
  await page.keyboard.press('Space');
  await page.waitForFunction(() => !document.querySelector('[data-testid=fold-lifecycle]').open);
  await page.getByTestId('fold-retention').locator(':scope > summary').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=fold-retention]').open);
  await page.getByTestId('fold-risk').locator(':scope > summary').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=fold-risk]').open);

  // Remembered across a reload.
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready, null, { timeout: 30_000 });
  await report(page);
  assert.deepEqual(
    [await isOpen(page, 'risk'), await isOpen(page, 'lifecycle'), await isOpen(page, 'retention'), await isOpen(page, 'model')],
    [false, false, true, false],
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test('months the data cannot measure read as not measurable in the table, not 0%; Sleeping and Lost are explained', async () => {
  const { page, context, errors } = await app.open({ hash: '#/churn' });
  const r = await report(page);
  const months = r.churn.months;
  const unmeasurable = months.filter((m) => !m.measurable);
  assert.ok(unmeasurable.length > 0 && unmeasurable.length < months.length, `${unmeasurable.length} of ${months.length} unmeasurable`);
  await page.getByTestId('fold-lifecycle').locator(':scope > summary').click();
  await page.getByTestId('not-measurable-note').waitFor();
  assert.match(await page.getByTestId('not-measurable-note').textContent(), /not measurable yet: the data does not reach back far enough/);
  const rows = await tableRows(page, 'churn-months-chart');
  assert.equal(rows.length, months.length);
  months.forEach((m, i) => {
    const expected = m.measurable
      ? [m.month, fmt.thousands(m.active_at_start), fmt.thousands(m.turned_sleeping), fmt.percent(m.active_at_start ? m.turned_sleeping / m.active_at_start : 0)]
      : [m.month, fmt.thousands(m.active_at_start), 'not measurable', 'not measurable'];
    assert.deepEqual(rows[i], expected, m.month);
  });
  // The chart leaves them out (gaps), not at 0.
  const bars = await page.getByTestId('churn-months-chart').locator('.chart').evaluate((el) => window.echarts.getInstanceByDom(el).getOption().series[0].data);
  // (The page hands ECharts the null as undefined; both are a gap to it.)
  months.forEach((m, i) => assert.equal(bars[i] ?? null, m.measurable ? m.turned_sleeping : null, m.month));

  // The lifecycle's two states carry their day ranges; the line counts them and the group.
  const { sleeping_days: s, lost_days: l } = r.settings;
  const life = (k) => r.segments.lifecycle.find((x) => x.key === k).members;
  const group = r.segments.groups.find((g) => g.key === 'sleeping').members;
  assert.match(await page.getByTestId('open-life-sleeping').textContent(), new RegExp(`Sleeping \\(last purchase ${s}–${l - 1} days ago\\)`));
  assert.match(await page.getByTestId('open-life-lost').textContent(), new RegExp(`Lost \\(no purchase for ${l} days or more\\)`));
  const line = await page.getByTestId('life-vs-group').textContent();
  assert.ok(line.includes(`Sleeping, last purchase ${s}–${l - 1} days ago (${fmt.thousands(life('sleeping'))})`), line);
  assert.ok(line.includes(`Lost, ${l} days or more (${fmt.thousands(life('lost'))})`), line);
  assert.ok(line.includes(`without a purchase in ${s} days (${fmt.thousands(group)})`), line);
  // The value group counts both lifecycle states.
  assert.equal(group, life('sleeping') + life('lost'));
  assert.deepEqual(errors, []);
  await context.close();
});

// Latin-letter words of two letters or more; model names and file formats may stay.
const ALLOWED = new Set(['BG', 'NBD', 'Gamma', 'RFM', 'CSV', 'XLSX', 'JSON', 'PNG']);
const englishWords = (text) => (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !ALLOWED.has(w));

test('in Chinese, with every section and table view open, the page has no English but model names', async () => {
  const { page, context, errors } = await app.open({ hash: '#/churn', locale: 'zh-CN' });
  await report(page);
  await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
  // Sections first, then the table views inside them.
  for (let round = 0; round < 3; round++) {
    await page.evaluate(() => document.querySelectorAll('.churn-page details:not([open])').forEach((d) => { d.open = true; }));
    await page.waitForTimeout(200);
  }
  assert.equal(await page.locator('.churn-page details:not([open])').count(), 0);
  const rows = await tableRows(page, 'churn-months-chart');
  assert.ok(rows.some((r) => r[2] === '无法计算' && r[3] === '无法计算'), 'unmeasurable months read 无法计算');
  const text = await page.locator('.churn-page').innerText();
  // The table views' headers, each one.
  const heads = await page.locator('.churn-page table th').allTextContents();
  assert.ok(heads.length >= 15, `${heads.length} table headers`);
  const labels = await page.locator('.churn-page [aria-label], .churn-page [title]').evaluateAll((els) => els.map((e) => `${e.getAttribute('aria-label') ?? ''} ${e.getAttribute('title') ?? ''}`));
  const words = englishWords([text, ...heads, ...labels].join('\n'));
  assert.deepEqual([...new Set(words)], [], `English on the zh-CN Churn page: ${[...new Set(words)].join(', ')}`);
  assert.ok(text.includes('BG/NBD'), 'the model keeps its name');
  assert.deepEqual(errors, []);
  await context.close();
});

// The word check itself: it must catch English and let model names through.
test('the word check finds English words and lets model names through', () => {
  assert.deepEqual(englishWords('BG/NBD 参数 r 0.769、α 32.76，Gamma-Gamma'), []);
  assert.deepEqual(englishWords('回测 Predicted (mean visits) P(alive)'), ['Predicted', 'mean', 'visits', 'alive']);
});

test('a cohort cell opens its members from the table view too, by keyboard', async () => {
  const { page, context, errors } = await app.open({ hash: '#/churn' });
  const r = await report(page);
  const summary = page.getByTestId('fold-retention').locator(':scope > summary');
  if (!(await isOpen(page, 'retention'))) await summary.click();
  const rows = await tableRows(page, 'cohort-chart');
  // The first cohort's row: [month, members, month 0, month 1 …]; its members cell links to the
  // whole cohort, month 1 to those who bought in their second month.
  const [month, members, , month1] = rows[0];
  const cohort = r.churn.cohorts.find((c) => c.month === month);
  assert.equal(Number(members.replace(/,/g, '')), cohort.members);
  const links = page.getByTestId('cohort-chart').locator('tbody tr').first().getByTestId('table-cell-link');
  assert.equal(await links.count(), rows[0].length - 1, 'every cell but the month links');
  await links.nth(2).focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => location.hash.startsWith('#/members'));
  await page.waitForFunction(() => document.querySelector('[data-testid=member-total]'));
  // Month 1's members: the cohort's retention in its second month, as a count.
  const expected = Math.round(cohort.retention[1] * cohort.members);
  assert.equal(month1, `${(cohort.retention[1] * 100).toFixed(1)}%`);
  await page.waitForFunction((n) => document.querySelector('[data-testid=member-total]')?.dataset.total === String(n), expected, { timeout: 15_000 })
    .catch(async () => assert.fail(`member total ${await page.getByTestId('member-total').textContent()} ≠ ${expected}`));
  assert.deepEqual(errors, []);
  await context.close();
});
