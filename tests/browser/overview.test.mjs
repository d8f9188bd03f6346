// The Overview on the built-in demo: what a user sees equals what the engine computes natively.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, engineDemoReport, fmt } from './harness.mjs';

let app;
let engine;
before(async () => {
  engine = engineDemoReport();
  app = await startApp();
});
after(async () => app?.close());

test('KPI cards show the engine figures for the demo', async () => {
  const { page, context, errors } = await app.open();
  const k = engine.overview.kpis;
  const expected = {
    members: [k.members, fmt.thousands(k.members)],
    active_members_12m: [k.active_members_12m, fmt.thousands(k.active_members_12m)],
    revenue_12m_cents: [k.revenue_12m_cents, fmt.yuan(k.revenue_12m_cents)],
    avg_ticket_12m_cents: [k.avg_ticket_12m_cents, fmt.yuan(k.avg_ticket_12m_cents)],
    repeat_purchase_rate: [k.repeat_purchase_rate, fmt.percent(k.repeat_purchase_rate)],
  };
  for (const [id, [value, text]] of Object.entries(expected)) {
    const card = page.locator(`[data-kpi="${id}"]`);
    assert.equal(Number(await card.getAttribute('data-value')), value, `${id} value`);
    assert.equal((await card.locator('.kpi-value').textContent()).trim(), text, `${id} text`);
  }
  assert.ok(k.members > 1000 && k.active_members_12m > 0 && k.revenue_12m_cents > 0, 'demo is not empty');
  // The header names the data set and the analysis date the engine used.
  assert.equal(await page.getByTestId('analysis-date').textContent(), engine.analysis_date);
  assert.match(await page.getByTestId('dataset').textContent(), /Liyan Beauty/);
  assert.ok(await page.getByTestId('demo-banner').isVisible(), 'demo banner shown');
  // The automation interface reports the same figures.
  const report = await page.evaluate(() => window.memberDashboard.report());
  assert.deepEqual(report.kpis, k);
  assert.equal(report.transactions, engine.transactions);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the monthly chart has rendered', async () => {
  const { page, context, errors } = await app.open();
  const canvas = page.locator('.chart canvas').first();
  await canvas.waitFor({ state: 'visible' });
  const box = await canvas.boundingBox();
  assert.ok(box.width > 300 && box.height > 200, `chart size ${box.width}×${box.height}`);
  // Something was drawn: the canvas is not one flat colour.
  const distinct = await canvas.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length && seen.size < 50; i += 397 * 4) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]},${d[i + 3]}`);
    return seen.size;
  });
  assert.ok(distinct > 3, `chart canvas has ${distinct} colours`);
  assert.equal(engine.overview.months.length > 30, true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the nav follows the URL', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members' });
  await page.getByTestId('members-page').waitFor();
  assert.equal(await page.locator('.app-nav a.active').getAttribute('data-page'), 'members');
  await page.locator('.app-nav a[data-page="overview"]').click();
  await page.locator('[data-kpi="members"]').waitFor();
  assert.equal(await page.getByTestId('members-page').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a phone-sized window has no sideways scrolling, on any page', async () => {
  const { page, context, errors } = await app.open({ viewport: { width: 390, height: 844 } });
  for (const p of ['overview', 'segments', 'pyramid', 'churn', 'members', 'work-lists', 'data']) {
    await page.locator(`.app-nav a[data-page="${p}"]`).click();
    // Every fold open (the Churn page's sections, the table views): nothing inside may be wider either.
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    if (['overview', 'segments', 'pyramid', 'churn'].includes(p)) await page.locator('.chart canvas').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${p}: page is ${overflow}px wider than the window`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
