// An online-store order export through the mapping screen: one row per order line, the order
// total repeated on each line, an order-status column, members keyed by phone (the card column
// mostly empty) and a totals row. The figures are worked out here from the rows written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from './harness.mjs';

const HEADER = '订单号,下单时间,买家昵称,买家手机号,会员卡号,商品名称,商品实付金额,订单实付金额,订单状态';
// [order, time, nickname, phone, card, item, line paid, order paid, status]
const LINES = [
  ['O1', '2025-03-01 10:00', '小鹿', '+86 138-0013-8000', '', '面霜', '100.00', '150.00', '交易成功'],
  ['O1', '2025-03-01 10:00', '小鹿', '13800138000', '', '精华', '50.00', '150.00', '交易成功'],
  ['O2', '2025-03-05 09:12', '阿花', '13900139000', '', '面膜', '80.00', '80.00', '交易关闭'],
  ['O3', '2025-03-07 20:31', '小鹿', '138 0013 8000', '', '洁面', '60.00', '60.00', '交易成功'],
  ['O4', '2025-03-09 11:00', '糖糖', '13700137000', 'VIP001', '口红', '200.00', '200.00', '已退款'],
  ['O5', '2025-03-10 15:45', '大壮', '13600136000', '', '面霜', '120.00', '120.00', '待付款'],
  ['O6', '2025-03-12 18:20', '糖糖', '13700137000', '', '眼霜', '90.00', '300.00', '交易成功'],
  ['O6', '2025-03-12 18:20', '糖糖', '13700137000', '', '面霜', '210.00', '300.00', '交易成功'],
];
const TOTALS = ['合计', '', '', '', '', '', '910.00', '', ''];

/// What the file should give, from the rows above: closed and unpaid orders are not sales, an
/// order counts once with the sum of its lines, a refunded order nets to zero, phones are one
/// member however written.
function expected() {
  const phone = (p) => p.replace(/^\+86/, '').replace(/[\s-]/g, '');
  const sold = LINES.filter((l) => l[8] === '交易成功' || l[8] === '已退款');
  const orders = new Map();
  for (const l of sold) orders.set(l[0], (orders.get(l[0]) ?? 0) + Math.round(Number(l[6]) * 100));
  let revenue = 0;
  for (const l of sold) if (l[8] === '交易成功') revenue += Math.round(Number(l[6]) * 100);
  return {
    members: new Set(sold.map((l) => phone(l[3]))).size,
    orders: orders.size,
    revenue,
    notSales: LINES.length - sold.length,
    merged: sold.length - orders.size,
  };
}

let app;
let file;
before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'md-orders-'));
  file = path.join(dir, 'orders.csv');
  const rows = [HEADER, ...LINES.map((l) => l.join(',')), TOTALS.join(',')];
  writeFileSync(file, rows.join('\n') + '\n');
  app = await startApp();
});
after(async () => app?.close());

test('an order-line export: phone key, order total not summed, statuses, header switch, totals row', async () => {
  const { page, context, errors } = await app.open({ hash: '#/data' });
  await page.getByTestId('file-input').setInputFiles([file]);
  const mapping = page.getByTestId('mapping');
  await mapping.waitFor();
  // The phone is the member id (the card column is mostly empty), the line amount is paid, the
  // repeated order total is not, and the status column is the type.
  assert.equal(await page.getByTestId('map-0-3').inputValue(), 'member_id');
  assert.equal(await page.getByTestId('map-0-4').inputValue(), '');
  assert.equal(await page.getByTestId('map-0-2').inputValue(), '', 'a nickname is not a name');
  assert.equal(await page.getByTestId('map-0-6').inputValue(), 'paid');
  assert.equal(await page.getByTestId('map-0-7').inputValue(), '');
  assert.equal(await page.getByTestId('map-0-8').inputValue(), 'kind');
  const notes = (await page.getByTestId('table-note').allTextContents()).join('\n');
  assert.match(notes, /phone number in “买家手机号”/);
  assert.match(notes, /“订单实付金额” repeats the order total/);
  // Each status is listed with its meaning.
  const meaning = (value) => page.locator('.kind-value', { hasText: value }).locator('select').inputValue();
  assert.equal(await meaning('交易成功'), 'sale');
  assert.equal(await meaning('交易关闭'), 'not_sale');
  assert.equal(await meaning('待付款'), 'not_sale');
  assert.equal(await meaning('已退款'), 'refund');
  // Without a header the columns are numbered; with it again, the mapping comes back.
  await page.getByTestId('has-header-0').uncheck();
  assert.match(await mapping.locator('thead').textContent(), /Column 1/);
  assert.equal(await mapping.locator('tbody tr').first().locator('td').first().textContent(), '订单号');
  await page.getByTestId('has-header-0').check();
  assert.match(await mapping.locator('thead').textContent(), /订单号/);
  assert.equal(await page.getByTestId('map-0-3').inputValue(), 'member_id');
  assert.equal(await page.getByTestId('map-0-6').inputValue(), 'paid');

  await page.getByTestId('mapping-load').click();
  await page.waitForFunction(() => { const r = window.memberDashboard.report(); return r.dataset === 'orders.csv' && !r.busy; });
  const want = expected();
  const report = await page.evaluate(() => window.memberDashboard.report());
  assert.equal(report.members, want.members);
  assert.equal(report.kpis.revenue_12m_cents, want.revenue);
  assert.equal(report.kpis.orders_12m, want.orders, 'an order counts once, a refunded one too');
  assert.equal(report.analysis_date, '2025-03-12', 'the day of the last transaction');
  const f = report.files[0];
  assert.equal(f.not_sale_rows, want.notSales);
  assert.equal(f.order_lines_merged, want.merged);
  assert.equal(f.totals_rows, 1);
  assert.equal(f.rows_skipped, 0, 'the totals row is not a bad row');
  // The Data page says it in words, in English and in Chinese.
  const said = (await page.getByTestId('table-note').allTextContents()).join('\n');
  assert.match(said, /Totals rows recognised and not counted as data: row 10/);
  assert.match(said, /Rows with status “交易关闭”: 1\. These are not sales/);
  await page.getByTestId('lang-switch').click();
  const zh = (await page.getByTestId('table-note').allTextContents()).join('\n');
  assert.match(zh, /已识别合计行，不计入数据：第 10 行/);
  assert.match(zh, /合为 \d+ 笔订单/);
  assert.match(await page.getByTestId('file-report').textContent(), /读取方式：UTF-8，逗号分隔，表头在第 1 行/);
  assert.deepEqual(errors, []);
  await context.close();
});
