// The member summary made in a warehouse (issue 13): DuckDB runs sql/member_summary.sql and
// sql/monthly_aggregates.sql on the CDNOW log (scripts/warehouse_duckdb.py), the page loads the
// result, and shows the same segments, pyramid and BG/NBD / Gamma-Gamma parameters as when it
// loads the raw log itself; the monthly aggregates give the same churn series and cohorts; the
// parts that need transactions say so; a DuckDB-made Parquet file loads the same way.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, hiddenFileInput, settledReport, assertClose } from './harness.mjs';
import { python } from './python.mjs';
import { englishWords, collectTexts, ALLOWED } from './zh_check.mjs';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const LOG = path.join(ROOT, 'tests', 'data', 'CDNOW_master.txt');
const D = '1998-06-30';
let app;
let dir;

function warehouse(args) {
  execFileSync(python, [path.join(ROOT, 'scripts', 'warehouse_duckdb.py'), LOG, '--cdnow', '--analysis-date', D, ...args], { encoding: 'utf8' });
}

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warehouse-'));
  warehouse(['--summary', path.join(dir, 'member_summary.csv'), '--monthly', path.join(dir, 'monthly_aggregates.csv')]);
  warehouse(['--summary', path.join(dir, 'member_summary.parquet'), '--parquet']);
  app = await startApp();
});

after(async () => {
  await app?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/// Loads `files` (paths) through memberDashboard.load and returns the settled report.
async function loaded(files) {
  const { page, context, errors } = await app.open();
  for (const [i, f] of files.entries()) await hiddenFileInput(page, `in-${i}`, f);
  const outcome = await page.evaluate(async (n) => {
    const files = [];
    for (let i = 0; i < n; i++) files.push(...document.getElementById(`in-${i}`).files);
    return window.memberDashboard.load(files);
  }, files.length);
  const report = await settledReport(page);
  return { page, context, errors, outcome, report };
}

/// The figures a summary must reproduce: everything but what says where they came from.
function comparable(r) {
  return { analysis_date: r.analysis_date, members: r.members, segments: r.segments, pyramid: r.pyramid, quadrants: r.quadrants, tiers: r.tiers };
}

let raw;

test('the raw CDNOW log, for comparison', async () => {
  raw = await loaded([LOG]);
  assert.equal(raw.report.analysis_date, D);
  assert.equal(raw.report.from_summary, null);
  assert.equal(raw.report.members, 23570);
  assert.ok(raw.report.predictions.bgnbd, 'a BG/NBD fit from the raw log');
});

test('the DuckDB-made summary + monthly aggregates show the same segments, models and churn as the raw log', async () => {
  const s = await loaded([path.join(dir, 'member_summary.csv'), path.join(dir, 'monthly_aggregates.csv')]);
  const r = s.report;
  assert.deepEqual(r.from_summary, { analysis_date: D, monthly: true, monthly_sleeping_days_differ: null });
  assert.equal(r.transactions, 0);
  assert.deepEqual(comparable(r), comparable(raw.report));
  // The models fit the same (x, t_x, T) and repeat spends: the same parameters and predictions.
  const models = (p) => ({ bgnbd: p.bgnbd, gamma_gamma: p.gamma_gamma, risk_bands: p.risk_bands, p_alive_histogram: p.p_alive_histogram, expected_purchases: p.expected_purchases, predicted_value_12m_cents: p.predicted_value_12m_cents, high_value_high_risk: p.high_value_high_risk });
  assertClose(models(r.predictions), models(raw.report.predictions), 1e-9, 'predictions');
  assert.equal(r.predictions.no_backtest, 'needs_transactions');
  // The warehouse's monthly aggregates: the same churn series, cohorts and second-year renewal.
  assert.deepEqual(r.churn.months, raw.report.churn.months);
  assertClose(r.churn.cohorts, raw.report.churn.cohorts, 1e-12, 'cohorts');
  assert.deepEqual(r.churn.second_year, raw.report.churn.second_year);
  assert.deepEqual(r.months, raw.report.months);
  // The Overview's 12-month store figures come from the aggregates too (no walk-ins in CDNOW).
  for (const k of ['members', 'buyers', 'active_members_12m', 'revenue_12m_cents', 'orders_12m', 'avg_ticket_12m_cents', 'repeat_purchase_rate']) {
    assert.equal(r.kpis[k], raw.report.kpis[k], `kpis.${k}`);
  }
  // The page says what it is working from and what needs the transactions.
  const banner = await s.page.getByTestId('summary-banner').innerText();
  assert.match(banner, /member summary made in your warehouse, as of the end of 1998-06-30/);
  assert.match(banner, /the 30- and 90-day figures and the changes against earlier periods/);
  assert.doesNotMatch(banner, /monthly chart/, 'the monthly aggregates were loaded');
  assert.equal(await s.page.getByTestId('analysis-date-input').isDisabled(), true);
  // The header counts members "from a member summary", not "0 transactions".
  assert.match(await s.page.getByTestId('dataset').innerText(), /23,570 members · from a member summary/);
  // With the aggregates loaded, the cards are of the 12 months to D and count walk-ins.
  assert.equal(await s.page.getByTestId('period-range').innerText(), 'The 12 months to 1998-06-30');
  assert.equal(await s.page.getByTestId('members-only-note').count(), 0);
  // Work lists: replenishment says it needs the transactions.
  await s.page.evaluate(() => { location.hash = '#/work-lists'; });
  const replenish = s.page.locator('[data-list="replenish"]');
  await replenish.waitFor();
  assert.equal(await replenish.getAttribute('data-available'), 'false');
  assert.match(await replenish.innerText(), /Needs the transactions/);
  // No usage cycles to set without categories: the card says why instead.
  assert.equal(await s.page.getByTestId('wl-cycles').count(), 0);
  // The member list works from the summaries: the same totals as from the raw log.
  const query = (page) => page.evaluate(() => window.memberDashboard.members({ all: [{ by: 'visits', min: 3 }] }, { sort: { column: 'spend', descending: true }, limit: 5 }));
  const [fromSummary, fromLog] = [await query(s.page), await query(raw.page)];
  assert.equal(fromSummary.total, fromLog.total);
  assert.equal(fromSummary.revenue_cents, fromLog.revenue_cents);
  assert.deepEqual(fromSummary.rows.map((m) => m.id), fromLog.rows.map((m) => m.id));
  assert.deepEqual(s.errors, []);
  await s.context.close();
});

test('a DuckDB-made Parquet summary alone: the same segments; churn by month says it needs the monthly aggregates', async () => {
  const s = await loaded([path.join(dir, 'member_summary.parquet')]);
  const r = s.report;
  assert.deepEqual(r.from_summary, { analysis_date: D, monthly: false, monthly_sleeping_days_differ: null });
  assert.deepEqual(comparable(r), comparable(raw.report));
  assertClose(r.predictions.bgnbd, raw.report.predictions.bgnbd, 1e-9, 'bgnbd');
  assert.deepEqual(r.churn.months, []);
  assert.equal(r.kpis.members_only, true);
  // The revenue card says it is the members' alone, as the note under the cards does.
  await s.page.getByTestId('members-only-note').waitFor();
  const revenueHint = await s.page.locator('[data-kpi^="revenue"] .kpi-hint').innerText();
  assert.equal(revenueHint, "members' purchases net of refunds (no walk-ins)");
  assert.match(await s.page.getByTestId('summary-banner').innerText(), /monthly chart/);
  await s.page.evaluate(() => { location.hash = '#/churn'; });
  await s.page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const notes = await s.page.getByTestId('needs-transactions').allInnerTexts();
  assert.ok(notes.some((t) => /needs the monthly aggregates/.test(t)), notes.join(' | '));
  // The backtest is a card that says it needs the transactions, not an empty chart.
  assert.equal(await s.page.getByTestId('backtest-chart').count(), 0);
  assert.ok(notes.some((t) => /check of predictions|backtest|Backtest/i.test(t)), notes.join(' | '));
  assert.deepEqual(s.errors, []);
  await s.context.close();
  await raw.context.close();
});

// A summary nobody checked: each bad row breaks one rule (written here, row by row), and the
// Chinese page lists each with its row, column and reason, keeps the good rows, and says nothing
// in English.
const HEADER = 'member_id,analysis_date,first_purchase,last_purchase,purchase_days,orders,orders_12m,orders_6m,gross_spend,net_spend,promo_spend,spend_12m,first_day_spend,longest_gap_days';
const BAD_ROWS = [
  // [row text, the column it is wrong in, the reason code]
  ['B1,2024-03-31,2023-01-05,2024-02-01,2.5,4,2,1,500.00,450.00,0.00,200.00,100.00,200', 'purchase_days', 'not_a_whole_number'],
  ['B2,2024-04-01,2023-01-05,2024-02-01,3,4,2,1,500.00,450.00,0.00,200.00,100.00,200', 'analysis_date', 'analysis_date_differs'],
  ['B3,2024-03-31,2024-02-01,2023-01-05,3,4,2,1,500.00,450.00,0.00,200.00,100.00,200', 'last_purchase', 'last_before_first'],
  ['B4,2024-03-31,2023-01-05,2024-02-01,3,4,9,1,500.00,450.00,0.00,200.00,100.00,200', 'orders_12m', 'count_above_total'],
  ['B5,2024-03-31,2023-01-05,2024-05-01,3,4,2,1,500.00,450.00,0.00,200.00,100.00,200', 'last_purchase', 'after_analysis_date'],
  ['B6,2024-03-31,2023-01-05,2024-02-01,3,abc,2,1,500.00,450.00,0.00,200.00,100.00,200', 'orders', 'not_a_whole_number'],
  ['B7,2024-03-31,2023-01-05,2024-02-01,3,4,2,1,lots,450.00,0.00,200.00,100.00,200', 'gross_spend', 'not_an_amount'],
];

test('a summary with bad rows: each listed with its row, column and reason in Chinese, the good rows kept', async () => {
  const good = ['A1,2024-03-31,2023-01-05,2024-02-01,3,4,2,1,500.00,450.00,0.00,200.00,100.00,200', 'A2,2024-03-31,2023-05-01,2023-05-01,1,1,0,0,80.00,80.00,0.00,0.00,80.00,'];
  const csv = [HEADER, good[0], ...BAD_ROWS.map((b) => b[0]), good[1]].join('\n') + '\n';
  const { page, context, errors } = await app.open({ locale: 'zh-CN' });
  const outcome = await page.evaluate(async (text) => window.memberDashboard.load([new File([text], 'member_summary.csv')]), csv);
  assert.equal(outcome.members, 2, 'the two good rows');
  const r = await settledReport(page);
  assert.equal(r.from_summary.analysis_date, '2024-03-31');
  const problems = r.files[0].problems.map((p) => [p.row, p.column, p.code]);
  // Rows: 1 is the header, 2 is A1, the bad rows are 3 .. 9.
  assert.deepEqual(problems, BAD_ROWS.map((b, i) => [i + 3, b[1], b[2]]));
  await page.evaluate(() => { location.hash = '#/data'; });
  await page.getByTestId('problem-group').first().waitFor();
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const cells = await page.locator('table.problems tbody tr').evaluateAll((rows) => rows.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  assert.equal(cells.length, BAD_ROWS.length);
  for (const [i, b] of BAD_ROWS.entries()) {
    const row = cells.find((c) => c[0] === String(i + 3));
    assert.ok(row, `row ${i + 3} listed`);
    assert.equal(row[1], b[1], `row ${i + 3}: the column`);
    assert.ok(/[\u4e00-\u9fff]/.test(row[3]), `row ${i + 3}: the reason in Chinese: ${row[3]}`);
  }
  const english = (await page.evaluate(collectTexts)).flatMap(([where, text]) => englishWords(text, ALLOWED).map((w) => `${where}: ${w}`));
  // The file's own column names and ids are the file's words, not the page's.
  const fileWords = new Set(HEADER.split(/[,_]/).concat(['member', 'summary', 'csv', 'abc', 'lots']));
  assert.deepEqual(english.filter((e) => !fileWords.has(e.split(': ').pop())), []);
  assert.deepEqual(errors, []);
  await context.close();
});
