// The store scope: the header's selector, setSettings({ stores }), the `stores=` URL option and
// the scope saved across a reload all scope the figures. On a two-store data set written here
// (members with home stores, one buying in the other store too, walk-ins at both stores) each
// store's KPIs are checked against what the test works out from its rows, and the two stores
// add up to the whole. On a phone every page of the navigation is reachable.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

const A = '徐汇店';
const B = '静安店';
// The analysis date is the last transaction's day; "12 months" are the 365 days ending with it.
const D = '2025-06-30';
// Members: [id, home store]. Sales: [member id ('' for a walk-in), day, yuan, store of the sale].
const MEMBERS = [['A1', A], ['A2', A], ['A3', A], ['B1', B], ['B2', B], ['B3', B]];
const SALES = [
  ['A1', '2025-01-05', 300, A],
  ['A1', '2025-06-27', 150, B], // bought at the other store: still a 徐汇店 member's sale
  ['A2', '2024-03-01', 500, A], // more than 12 months before D
  ['A3', '2025-05-10', 80, A],
  ['A3', '2025-05-20', 120, A],
  ['B1', D, 88.5, B],
  ['B2', '2025-02-02', 200, B],
  ['B2', '2025-04-04', 60, B],
  ['', '2025-06-01', 45, A],
  ['', '2025-06-15', 55, A],
  ['', '2025-06-20', 70, B],
];

const membersCsv = () => ['会员卡号,所属门店', ...MEMBERS.map((m) => m.join(','))].join('\n');
const salesCsv = () => ['会员卡号,消费时间,实收金额,门店', ...SALES.map(([id, day, y, s]) => [id, day, y.toFixed(2), s].join(','))].join('\n');

const dayNumber = (iso) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 86_400_000;
const inLast12Months = (day) => dayNumber(D) - dayNumber(day) < 365 && dayNumber(day) <= dayNumber(D);
const homeOf = Object.fromEntries(MEMBERS);

/// The KPIs of a scope (a list of stores; empty = all), worked out from the rows: members belong
/// to their home store, walk-ins to the store of the sale.
function expectedKpis(stores) {
  const inScope = (s) => stores.length === 0 || stores.includes(s);
  const members = MEMBERS.filter(([, s]) => inScope(s));
  const sales = SALES.filter(([id, , , s]) => (id ? inScope(homeOf[id]) : inScope(s)));
  const recent = sales.filter(([, day]) => inLast12Months(day));
  const cents = (rows) => rows.reduce((a, [, , y]) => a + Math.round(y * 100), 0);
  return {
    members: members.length,
    active_members_12m: new Set(recent.filter(([id]) => id).map(([id]) => id)).size,
    revenue_12m_cents: cents(recent),
    orders_12m: recent.length,
    walk_in_revenue_12m_cents: cents(recent.filter(([id]) => !id)),
  };
}
const KEYS = Object.keys(expectedKpis([]));
const pick = (kpis) => Object.fromEntries(KEYS.map((k) => [k, kpis[k]]));

const idle = (page) => page.waitForFunction(() => { const r = window.memberDashboard.report(); return r.ready && !r.busy; });
const report = async (page) => { await idle(page); return page.evaluate(() => window.memberDashboard.report()); };
const scopeIs = (page, scope) => page.waitForFunction((want) => {
  const r = window.memberDashboard.report();
  return !r.busy && JSON.stringify(r.scope) === JSON.stringify(want);
}, scope);

async function loadTwoStores(page) {
  await page.evaluate(async ([m, t]) => window.memberDashboard.load([new File([m], 'members.csv'), new File([t], 'sales.csv')]), [membersCsv(), salesCsv()]);
  await idle(page);
}

async function choose(page, what) {
  const button = page.getByTestId('store-scope-button');
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  await page.locator(what === 'all' ? '#store-scope-list input[data-store-all]' : `#store-scope-list input[data-store="${what}"]`).click();
}

test('the header selector scopes the figures to each store, and the stores add up to the whole', async () => {
  const { page, context, errors } = await app.open();
  await loadTwoStores(page);
  let r = await report(page);
  assert.deepEqual([...r.stores].sort(), [A, B].sort());
  assert.deepEqual(r.scope, []);
  const whole = expectedKpis([]);
  assert.deepEqual(pick(r.kpis), whole);
  const button = page.getByTestId('store-scope-button');
  assert.equal(await page.getByTestId('store-scope-value').textContent(), 'All stores');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');

  const byStore = {};
  for (const store of [A, B]) {
    await choose(page, 'all');
    await scopeIs(page, []);
    await choose(page, store);
    await scopeIs(page, [store]);
    r = await report(page);
    assert.deepEqual(r.settings.stores, [store]);
    assert.deepEqual(pick(r.kpis), expectedKpis([store]), store);
    // The KPI card shows the scoped member count.
    assert.equal(await page.locator('[data-kpi="members"] .kpi-value').textContent(), String(expectedKpis([store]).members));
    assert.equal(await page.getByTestId('store-scope-value').textContent(), store, 'the scope is on the button');
    byStore[store] = pick(r.kpis);
  }
  for (const k of KEYS) assert.equal(byStore[A][k] + byStore[B][k], whole[k], `${k}: the two stores add up to the whole`);

  // Ticking the other store too is every store: all stores again.
  await choose(page, A);
  await scopeIs(page, []);
  assert.equal(await page.getByTestId('store-scope-value').textContent(), 'All stores');

  // Keyboard: Escape closes the list and gives the focus back to the button.
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await page.locator(`#store-scope-list input[data-store="${B}"]`).focus();
  await page.keyboard.press('Escape');
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.locator('#store-scope-list').count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'store-scope-button');
  // Enter opens it; Space ticks a store.
  await page.keyboard.press('Enter');
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await page.locator(`#store-scope-list input[data-store="${B}"]`).focus();
  await page.keyboard.press('Space');
  await scopeIs(page, [B]);
  // A press outside closes it.
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  assert.equal(await button.getAttribute('aria-expanded'), 'false');
  assert.deepEqual(errors, []);
  await context.close();
});

test('setSettings({ stores }) scopes report(); an unknown store is said in the page language', async () => {
  const { page, context, errors } = await app.open();
  await loadTwoStores(page);
  await page.evaluate((s) => window.memberDashboard.setSettings({ stores: [s] }), B);
  let r = await report(page);
  assert.deepEqual([r.scope, r.scope_unknown], [[B], []]);
  assert.deepEqual(pick(r.kpis), expectedKpis([B]));
  assert.equal(await page.getByTestId('store-scope-value').textContent(), B);
  assert.equal(await page.getByTestId('scope-notice').count(), 0);

  await page.evaluate((s) => window.memberDashboard.setSettings({ stores: [s, '浦东店'] }), A);
  r = await report(page);
  assert.deepEqual([r.scope, r.scope_unknown], [[A], ['浦东店']]);
  assert.deepEqual(pick(r.kpis), expectedKpis([A]));
  assert.equal(await page.getByTestId('scope-notice').textContent(), `Not in this data: 浦东店. Showing: ${A}.`);
  await page.getByTestId('lang-switch').click();
  assert.equal(await page.getByTestId('scope-notice').textContent(), `本数据中没有这些门店：浦东店。现显示：${A}。`);

  await page.evaluate(() => window.memberDashboard.setSettings({ stores: [] }));
  r = await report(page);
  assert.deepEqual([r.scope, r.scope_unknown], [[], []]);
  assert.deepEqual(pick(r.kpis), expectedKpis([]));
  assert.equal(await page.getByTestId('store-scope-value').textContent(), '全部门店');
  assert.equal(await page.getByTestId('scope-notice').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the scope chosen is remembered across a reload', async () => {
  const { page, context, errors } = await app.open();
  // The demo has three stores.
  const stores = (await report(page)).stores;
  assert.ok(stores.length >= 2, `the demo has stores: ${stores}`);
  await choose(page, stores[1]);
  await scopeIs(page, [stores[1]]);
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  const r = await report(page);
  assert.deepEqual([r.settings.stores, r.scope], [[stores[1]], [stores[1]]]);
  assert.equal(await page.getByTestId('store-scope-value').textContent(), stores[1]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the stores= URL option scopes the figures from the start', async () => {
  const { page, context, errors } = await app.open({ at: `${app.base}?stores=${encodeURIComponent(B)}` });
  assert.deepEqual((await report(page)).settings.stores, [B]);
  await loadTwoStores(page);
  const r = await report(page);
  assert.deepEqual(r.scope, [B]);
  assert.deepEqual(pick(r.kpis), expectedKpis([B]));
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone every page of the navigation is reachable, and the store list fits', async () => {
  const width = 390;
  const { page, context, errors } = await app.open({ viewport: { width, height: 844 } });
  const slugs = await page.locator('.app-nav a').evaluateAll((links) => links.map((a) => a.dataset.page));
  assert.deepEqual(slugs, ['overview', 'segments', 'pyramid', 'churn', 'members', 'work-lists', 'data']);
  for (const slug of [...slugs].reverse()) {
    const link = page.locator(`.app-nav a[data-page="${slug}"]`);
    const box = await link.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= width, `${slug} is inside the window: ${JSON.stringify(box)}`);
    await link.click();
    await page.waitForFunction((s) => document.querySelector(`.app-nav a[data-page="${s}"]`)?.getAttribute('aria-current') === 'page', slug);
    assert.equal(await page.locator('.app-nav a[aria-current="page"]').count(), 1);
    assert.ok(page.url().endsWith(`#/${slug}`), page.url());
  }
  await page.getByTestId('store-scope-button').click();
  const list = await page.locator('#store-scope-list').boundingBox();
  assert.ok(list.x >= 0 && list.x + list.width <= width, `the store list fits: ${JSON.stringify(list)}`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
  assert.deepEqual(errors, []);
  await context.close();
});
