// The Overview's period cards and store comparison on a two-store CSV the test writes: every
// figure expected here is worked out from the test's own rows, never taken from report().
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, fmt } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

const DAY = 86_400_000;
const dayNo = (iso) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY);
const iso = (n) => new Date(n * DAY).toISOString().slice(0, 10);
const FIRST = dayNo('2023-09-01');
const D = dayNo('2025-06-30'); // the last row's day: the analysis date
const STORES = ['徐汇店', '静安店'];

// A seeded generator, so the rows are the same on every run.
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

// Rows: { id ('' = walk-in), day, cents, store }. Members buy at their own store only.
function makeRows() {
  const r = rng(12);
  const rows = [];
  for (let m = 0; m < 60; m++) {
    const id = `M${String(m).padStart(3, '0')}`;
    const store = STORES[m % 2];
    let day = FIRST + Math.floor(r() * (D - FIRST));
    const visits = 1 + Math.floor(r() * 8);
    for (let v = 0; v < visits && day <= D; v++) {
      rows.push({ id, day, cents: (50 + Math.floor(r() * 900)) * 100 + Math.floor(r() * 100), store });
      day += 1 + Math.floor(r() * 120);
    }
  }
  for (let w = 0; w < 40; w++) {
    rows.push({ id: '', day: FIRST + Math.floor(r() * (D - FIRST)), cents: (20 + Math.floor(r() * 300)) * 100, store: STORES[w % 2] });
  }
  rows.push({ id: 'M000', day: FIRST, cents: 10_000, store: STORES[0] });
  rows.push({ id: 'M001', day: D, cents: 12_345, store: STORES[1] });
  return rows;
}
const ROWS = makeRows();
const csv = () => ['会员卡号,消费时间,实收金额,门店', ...ROWS.map((x) => [x.id, iso(x.day), (x.cents / 100).toFixed(2), x.store].join(','))].join('\n');

// The figures of the days start..end (both included), as the Overview defines them.
function figures(start, end) {
  const inP = ROWS.filter((x) => x.day >= start && x.day <= end);
  const revenue = inP.reduce((a, x) => a + x.cents, 0);
  const orders = inP.length; // every row is a paid sale
  const firstDay = new Map();
  for (const x of ROWS) if (x.id && !(firstDay.get(x.id) <= x.day)) firstDay.set(x.id, x.day);
  const days = new Map();
  for (const x of inP) if (x.id) (days.get(x.id) ?? days.set(x.id, new Set()).get(x.id)).add(x.day);
  const active = days.size;
  const repeaters = [...days.values()].filter((s) => s.size >= 2).length;
  const newMembers = [...firstDay.values()].filter((d) => d >= start && d <= end).length;
  return {
    covered: FIRST <= start,
    revenue, orders, active, newMembers,
    avgTicket: orders ? Math.floor(revenue / orders) : 0,
    repeat: active ? repeaters / active : 0,
  };
}

function comparison(days) {
  const start = D - days + 1;
  return {
    current: figures(start, D),
    previous: figures(start - days, start - 1),
    year: figures(start - 365, D - 365),
  };
}

// A change line as the page writes it (src/charts/overview.rs, worked again here).
function changeText(now, before, unit) {
  const d = now - before;
  const sign = Math.sign(d);
  const shown = unit === 'cents' ? sign * Math.round(Math.abs(d) / 100) : unit === 'share' ? sign * Math.round(Math.abs(d) * 1000) / 10 : d;
  const arrow = shown > 0 ? '▲' : shown < 0 ? '▼' : '=';
  const plus = shown > 0 ? '+' : '';
  const abs = unit === 'cents' ? (shown < 0 ? `-¥${fmt.thousands(-shown)}` : `${plus}¥${fmt.thousands(shown)}`) : unit === 'share' ? `${plus}${shown.toFixed(1)}` : `${plus}${fmt.thousands(shown)}`;
  if (unit === 'share') return `${arrow} ${abs} pp`;
  if (before === 0 || shown === 0) return `${arrow} ${abs}`;
  return `${arrow} ${(Math.round(Math.abs(d / before) * 1000) / 10).toFixed(1)}% (${abs})`;
}

const KPIS = [
  ['revenue', 'revenue_%_cents', 'cents', (f) => f.revenue],
  ['orders', 'orders_%', 'count', (f) => f.orders],
  ['avgTicket', 'avg_ticket_%_cents', 'cents', (f) => f.avgTicket],
  ['active', 'active_members_%', 'count', (f) => f.active],
  ['new', 'new_members_%', 'count', (f) => f.newMembers],
  ['repeat', 'repeat_rate_%', 'share', (f) => f.repeat],
];

async function loadRows(page) {
  await page.evaluate(async (text) => window.memberDashboard.load([new File([text], 'two-stores.csv')]), csv());
  await page.waitForFunction(() => !window.memberDashboard.report().busy && window.memberDashboard.report().dataset === 'two-stores.csv');
}

test('the period cards show the test\'s figures and their changes against before', async () => {
  const { page, context, errors } = await app.open();
  await loadRows(page);
  for (const days of [30, 90, 365]) {
    await page.locator(`[data-testid=period-switch] button[data-period="${days}"]`).click();
    await page.waitForFunction((d) => document.querySelector('[data-testid=period-cards]')?.dataset.days === String(d), days);
    const c = comparison(days);
    const span = days === 365 ? '12m' : `${days}d`;
    for (const [name, idTemplate, unit, get] of KPIS) {
      const card = page.locator(`[data-kpi="${idTemplate.replace('%', span)}"]`);
      const value = Number(await card.getAttribute('data-value'));
      if (unit === 'share') assert.ok(Math.abs(value - get(c.current)) < 1e-12, `${days} ${name}: ${value} vs ${get(c.current)}`);
      else assert.equal(value, get(c.current), `${days} days ${name}`);
      const lines = async (which) => (await card.locator(`[data-compare="${which}"]`).allTextContents()).map((t) => t.trim());
      const expectLine = (before, against) => (before.covered ? `${changeText(get(c.current), get(before), unit)} ${against}` : 'not comparable: the data starts later');
      if (days === 365) {
        // The period before 12 months is the year earlier: one line; the data starts too late for it.
        assert.equal(c.previous.covered, false);
        assert.deepEqual(await lines('previous'), [expectLine(c.previous, 'vs previous 12 months')], `${name} 12m`);
        assert.deepEqual(await lines('year'), []);
      } else {
        assert.equal(c.previous.covered && c.year.covered, true, 'the data covers both');
        assert.deepEqual(await lines('previous'), [expectLine(c.previous, `vs previous ${days} days`)], `${days} ${name} previous`);
        assert.deepEqual(await lines('year'), [expectLine(c.year, 'vs the same days a year earlier')], `${days} ${name} year`);
      }
    }
  }
  // report().periods gives the same figures to scripts.
  const periods = await page.evaluate(() => window.memberDashboard.report().periods);
  assert.deepEqual(periods.map((p) => p.days), [30, 90, 365]);
  for (const p of periods) {
    const c = comparison(p.days);
    for (const [got, want] of [[p.current, c.current], [p.previous, c.previous], [p.year_earlier, c.year]]) {
      assert.deepEqual([got.revenue_cents, got.orders, got.active_members, got.new_members, got.covered],
        [want.revenue, want.orders, want.active, want.newMembers, want.covered], `report().periods ${p.days}`);
    }
  }
  // The choice is remembered.
  await page.locator('[data-testid=period-switch] button[data-period="90"]').click();
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  await page.locator('[data-testid=period-cards][data-days="90"]').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the stores compared: each store\'s figures as the test works them out', async () => {
  const { page, context, errors } = await app.open();
  await loadRows(page);
  const table = page.getByTestId('store-table');
  await table.waitFor();
  const inYear = (d) => d > D - 365 && d <= D;
  for (const store of STORES) {
    const rows = ROWS.filter((x) => x.store === store);
    const last = new Map();
    const days = new Map();
    for (const x of rows) {
      if (!x.id) continue;
      last.set(x.id, Math.max(last.get(x.id) ?? -Infinity, x.day));
      (days.get(x.id) ?? days.set(x.id, new Set()).get(x.id)).add(x.day);
    }
    const members = last.size;
    const active = [...last.values()].filter(inYear).length;
    const year = rows.filter((x) => inYear(x.day));
    const revenue = year.reduce((a, x) => a + x.cents, 0);
    const repeat = [...days.values()].filter((s) => s.size >= 2).length / members;
    const cells = {
      members: fmt.thousands(members),
      active: fmt.thousands(active),
      revenue: fmt.yuan(revenue),
      avg_ticket: fmt.yuan(Math.floor(revenue / year.length)),
      repeat_rate: fmt.percent(repeat),
      churn_rate: fmt.percent((members - active) / members),
    };
    const row = table.locator(`tr[data-store="${store}"]`);
    for (const [col, text] of Object.entries(cells)) {
      assert.equal((await row.locator(`td[data-col="${col}"]`).textContent()).trim(), text, `${store} ${col}`);
    }
  }
  // All stores in scope: none is marked. The chart's table view lists both stores.
  assert.equal(await table.locator('tr.in-scope').count(), 0);
  const chartTable = page.getByTestId('store-chart').locator('.table-view tbody tr');
  assert.equal(await chartTable.count(), 2);
  // In Chinese the headers are Chinese.
  await page.getByTestId('lang-switch').click();
  assert.match(await table.locator('thead').textContent(), /^门店会员数活跃会员营业额客单价复购会员占比（全部时间）已流失占比$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the monthly chart overlays last year and its table view gains the column', async () => {
  const { page, context, errors } = await app.open();
  await loadRows(page);
  const card = page.getByTestId('monthly-chart');
  await card.locator('.table-view summary').click();
  assert.equal(await card.locator('.table-view thead th').count(), 3);
  await card.getByTestId('compare-last-year').check();
  assert.deepEqual(await card.locator('.table-view thead th').allTextContents(), ['Month', 'Revenue (¥)', 'Active members', 'Revenue a year earlier (¥)']);
  // 2025-06's row carries 2024-06's revenue.
  const june = ROWS.filter((x) => iso(x.day).startsWith('2024-06')).reduce((a, x) => a + x.cents, 0);
  const row = card.locator('.table-view tbody tr', { hasText: '2025-06' });
  assert.equal((await row.locator('td').nth(3).textContent()).trim(), fmt.yuan(june));
  assert.deepEqual(errors, []);
  await context.close();
});
