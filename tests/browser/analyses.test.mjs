// Segments, pyramid and churn in the page: the same figures as the native engine, click-through
// lists of exactly those members, and thresholds that change the counts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, engineDemoReport, assertClose, settledReport } from './harness.mjs';

let app;
let engine;
before(async () => {
  engine = engineDemoReport();
  app = await startApp();
});
after(async () => app?.close());

// The predictions follow the rest of the dashboard; `busy` is true until they are in.
const report = settledReport;
// The count of the list on the Members page, once the worker has answered for its filter (the
// attribute is absent until then).
const listTotal = async (page) => {
  await page.getByTestId('member-list').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=member-total]')?.dataset.total !== undefined);
  return Number(await page.getByTestId('member-total').getAttribute('data-total'));
};

test('the page shows the engine figures for segments, pyramid, quadrants, tiers and churn', async () => {
  const { page, context, errors } = await app.open({ hash: '#/segments' });
  const r = await report(page);
  for (const key of ['segments', 'pyramid', 'quadrants', 'tiers', 'churn', 'settings']) {
    assert.deepEqual(r[key], engine[key], key);
  }
  // The model fits agree to 1e-9 (their special functions round differently in wasm).
  assertClose(r.predictions, engine.predictions, 1e-9, 'predictions');
  // The RFM table shows those counts.
  for (const s of engine.segments.rfm) {
    const cell = page.locator(`[data-testid=rfm-table] tr[data-key="${s.key}"] td[data-members]`);
    assert.equal(Number(await cell.getAttribute('data-members')), s.members, s.key);
  }
  assert.ok(engine.segments.rfm.filter((s) => s.members > 0).length >= 8, 'the demo fills most segments');
  assert.deepEqual(errors, []);
  await context.close();
});

test('clicking a segment, a layer, a quadrant or a state lists exactly its members', async () => {
  const { page, context, errors } = await app.open({ hash: '#/segments' });
  const loyal = engine.segments.rfm.find((s) => s.key === 'loyal');
  await page.getByTestId('open-loyal').click();
  assert.equal(await listTotal(page), loyal.members);
  await page.getByTestId('member-row').first().waitFor();
  const drawn = await page.getByTestId('member-row').count();
  assert.ok(drawn > 0 && drawn <= Math.min(120, loyal.members), `${drawn} rows drawn of ${loyal.members}`);
  assert.match(await page.getByTestId('member-row').first().textContent(), /\*\*\*\*/, 'phones masked');
  // Scrolling the list down draws the members further down it.
  const firstId = await page.getByTestId('member-row').first().getAttribute('data-id');
  await page.getByTestId('member-table').evaluate((el) => { el.scrollTop = el.scrollHeight; });
  await page.locator(`[data-testid=member-row][data-index="${loyal.members - 1}"]`).waitFor();
  assert.notEqual(await page.getByTestId('member-row').first().getAttribute('data-id'), firstId);

  await page.locator('.app-nav a[data-page="pyramid"]').click();
  assert.equal(await page.getByTestId('member-list').count(), 0, 'a new page closes the list');
  await page.getByTestId('open-layer-A').click();
  assert.equal(await listTotal(page), engine.pyramid.layers[0].members);
  // Back to the chart the list was opened from.
  await page.goBack();
  await page.waitForFunction(() => location.hash === '#/pyramid');
  const friends = engine.quadrants.quadrants.find((q) => q.key === 'true_friend');
  await page.getByTestId('open-quadrant-true_friend').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=member-total]')?.dataset.total) === n, friends.members);

  await page.locator('.app-nav a[data-page="churn"]').click();
  const sleeping = engine.segments.lifecycle.find((s) => s.key === 'sleeping');
  // The lifecycle section folds, closed at first.
  await page.getByTestId('fold-lifecycle').locator(':scope > summary').click();
  await page.getByTestId('open-life-sleeping').click();
  assert.equal(await listTotal(page), sleeping.members);
  await page.goBack();
  await page.waitForFunction(() => location.hash === '#/churn');
  await page.locator('.chart canvas').first().waitFor();
  // Every chart drew.
  assert.equal(await page.locator('.chart canvas').count() >= 4, true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('changing a threshold recomputes the counts', async () => {
  const { page, context, errors } = await app.open({ hash: '#/segments' });
  const before = await report(page);
  const sleepingBefore = before.segments.groups.find((g) => g.key === 'sleeping').members;
  await page.locator('input[data-setting=sleeping_days]').fill('200');
  await page.locator('input[data-setting=sleeping_days]').dispatchEvent('change');
  await page.waitForFunction(() => window.memberDashboard.report().settings.sleeping_days === 200 && !window.memberDashboard.report().busy);
  const after = await report(page);
  const sleepingAfter = after.segments.groups.find((g) => g.key === 'sleeping').members;
  assert.ok(sleepingAfter > sleepingBefore, `${sleepingAfter} > ${sleepingBefore}`);
  assert.match(await page.getByTestId('group-rules').textContent(), /no purchase in 200 days/);
  // Kept across a reload.
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  assert.equal((await report(page)).settings.sleeping_days, 200);
  // setSettings does the same from a script, and refuses what it does not know.
  const r = await page.evaluate(async () => { await window.memberDashboard.setSettings({ sleeping_days: 365, lost_days: 500 }); return window.memberDashboard.report(); });
  assert.equal(r.settings.lost_days, 500);
  assert.equal(r.segments.groups.find((g) => g.key === 'sleeping').members, sleepingBefore);
  const lostBefore = before.segments.lifecycle.find((s) => s.key === 'lost').members;
  assert.ok(r.segments.lifecycle.find((s) => s.key === 'lost').members > lostBefore);
  const refused = await page.evaluate(() => window.memberDashboard.setSettings({ sleepy: 1 }).then(() => 'resolved', (e) => e.message));
  assert.match(refused, /unknown setting "sleepy"/);
  await page.getByTestId('settings-reset').click();
  await page.waitForFunction(() => window.memberDashboard.report().settings.lost_days === 730 && !window.memberDashboard.report().busy);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a tier rule typed into the tiers table changes the upgrade candidates', async () => {
  const { page, context, errors } = await app.open({ hash: '#/pyramid' });
  const before = (await report(page)).tiers;
  const gold = before.find((t) => t.tier === '金卡');
  const silverUp = before.find((t) => t.tier === '银卡').upgrade_candidates;
  // A lower bar for 金卡 makes more 银卡 members reach it.
  await page.locator('input[data-tier="金卡"]').fill(String(Math.round(gold.bar_cents / 100 / 2)));
  await page.locator('input[data-tier="金卡"]').dispatchEvent('change');
  await page.waitForFunction(() => window.memberDashboard.report().settings.tier_min_spend_cents.length === 1 && !window.memberDashboard.report().busy);
  const after = (await report(page)).tiers;
  assert.ok(after.find((t) => t.tier === '银卡').upgrade_candidates > silverUp);
  await page.getByTestId('open-upgrade').click();
  assert.equal(await listTotal(page), after.reduce((n, t) => n + t.upgrade_candidates, 0));
  await page.evaluate(() => window.memberDashboard.setSettings({ tier_min_spend_cents: [] }));
  assert.deepEqual(errors, []);
  await context.close();
});

test('predictions: trusted on the demo, risk bands list their members, the backtest says how it did', async () => {
  const { page, context, errors } = await app.open({ hash: '#/churn' });
  await report(page);
  const p = engine.predictions;
  assert.equal(p.trusted, true);
  assert.match(await page.getByTestId('model-params').textContent(), new RegExp(`r ${p.bgnbd.params.r.toFixed(3)}`));
  const high = p.risk_bands.find((b) => b.key === 'high');
  await page.getByTestId('open-risk-high').click();
  assert.equal(await listTotal(page), high.members);
  await page.goBack();
  await page.getByTestId('open-cant-lose').click();
  await page.waitForFunction((n) => Number(document.querySelector('[data-testid=member-total]')?.dataset.total) === n, p.high_value_high_risk);
  await page.goBack();
  const verdict = await page.getByTestId('backtest-verdict').textContent();
  const fmt = (n) => new Intl.NumberFormat('en-US').format(n);
  assert.equal(verdict, `The model predicted ${fmt(Math.round(p.backtest.predicted_total))} visits after ${p.backtest.calibration_end}; ${fmt(p.backtest.actual_total)} happened.`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('with too few repeat buyers the page says why and shows no prediction', async () => {
  const { page, context, errors } = await app.open({ hash: '#/churn' });
  const csv = ['会员卡号,消费时间,实收金额', 'A,2025-01-05,100', 'A,2025-03-05,100', 'B,2025-02-01,50', 'C,2025-02-11,80'].join('\n');
  await page.evaluate(async (text) => window.memberDashboard.load([new File([text], 'tiny.csv')]), csv);
  await page.waitForFunction(() => !window.memberDashboard.report().busy);
  assert.equal((await report(page)).predictions.trusted, false);
  assert.match(await page.getByTestId('untrusted').textContent(), /too few members bought more than once/);
  assert.equal(await page.getByTestId('risk-bands').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a member opens from the list with their figures and P(alive) history; member(id) returns the same', async () => {
  const { page, context, errors } = await app.open({ hash: '#/churn' });
  await report(page);
  await page.getByTestId('open-risk-high').click();
  await listTotal(page);
  const id = await page.getByTestId('member-row').first().getAttribute('data-id');
  await page.getByTestId('member-row').first().click();
  await page.getByTestId('member-detail').waitFor();
  await page.locator('[data-testid=member-detail] .chart canvas').first().waitFor();
  const d = await page.evaluate((i) => window.memberDashboard.member(i), id);
  assert.equal(d.id, id);
  assert.equal(d.risk, 'high');
  assert.ok(d.p_alive_history.length > 0 && Math.abs(d.p_alive_history.at(-1)[1] - d.p_alive) < 1e-12);
  assert.equal(d.purchase_dates.length, d.summary.purchase_days);
  // The summary's days count from 1970-01-01; the dialog writes the last purchase as a date.
  const lastPurchase = new Date(d.summary.last_day * 86400000).toISOString().slice(0, 10);
  assert.equal(lastPurchase, d.purchase_dates.at(-1));
  assert.match(await page.getByTestId('member-detail').textContent(), new RegExp(lastPurchase));
  assert.equal(await page.evaluate(() => window.memberDashboard.member('no such member')), null);
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('member-detail').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
