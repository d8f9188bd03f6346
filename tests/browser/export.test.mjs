// Exports from the Members page: CSV and Excel files saved by the Export button and read back
// by independent readers (Python's csv and openpyxl): the header is the table's, one row per
// member of the list, formula-looking names neutralised (CSV) or plain text (XLSX), phones
// masked unless asked, numbers as numbers and dates as dates, a frozen bold header. The XLSX
// writer's worker is not loaded until the first XLSX export.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from './harness.mjs';
import { runPython } from './python.mjs';

// [id, name, phone, purchases (yuan) on 2025-03-01, 03-02, …]
const MEMBERS = [
  ['A001', '=1+2', '13800000001', [120, 380]],
  ['A002', '-3+4', '13800000002', [1500]],
  ['A003', '@SUM(A1)', '13800000003', [40, 60, 55]],
  ['A004', '  +5', '13800000004', [999.5]],
  ['A005', '张三, "小张"', '13800000005', [1000]],
  ['A006', 'Plain Name', '13800000006', [250, -50]],
];
const csvField = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

let app;
let dir;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'md-export-'));
  app = await startApp();
});
after(async () => app?.close());

/** Opens the export popover, picks the format (and full phones), saves the download. */
async function exportFile(page, format, { fullPhones = false } = {}) {
  await page.getByTestId('export-button').click();
  await page.getByTestId(`export-format-${format}`).check();
  if (fullPhones) await page.getByTestId('export-full-phones').check();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-go').click()]);
  const file = path.join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return { file, name: download.suggestedFilename() };
}

test('CSV and XLSX of the member list read back with Python', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members' });
  const xlsxRequests = [];
  page.on('request', (r) => { if (/xlsx[-_]/.test(r.url())) xlsxRequests.push(r.url()); });
  page.on('worker', (w) => { if (/xlsx/.test(w.url())) xlsxRequests.push(w.url()); });

  const members = ['会员卡号,姓名,手机号', ...MEMBERS.map(([id, name, phone]) => [id, csvField(name), phone].join(','))];
  const sales = ['会员卡号,消费时间,实收金额'];
  let day = 1;
  for (const [id, , , amounts] of MEMBERS) for (const a of amounts) sales.push(`${id},2025-03-${String(day++).padStart(2, '0')},${a}`);
  await page.evaluate(async ([m, s]) => window.memberDashboard.load([new File([m], 'members.csv'), new File([s], 'sales.csv')]), [members.join('\n'), sales.join('\n')]);
  await page.waitForFunction((n) => document.querySelector('[data-testid=member-total]')?.getAttribute('data-total') === String(n), MEMBERS.length);
  const headers = (await page.locator('[role=columnheader]').allTextContents()).map((t) => t.trim());
  assert.ok(headers.length >= 3);

  // The popover: focus moves in, Escape closes it and gives focus back to the button.
  await page.getByTestId('export-button').click();
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'export-format-csv');
  assert.equal(await page.getByTestId('export-full-phones').isChecked(), false);
  await page.keyboard.press('Escape');
  assert.equal(await page.getByTestId('export-go').count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'export-button');

  const csv = await exportFile(page, 'csv');
  assert.match(csv.name, /^Members \d{4}-\d{2}-\d{2}\.csv$/);
  assert.deepEqual(xlsxRequests, [], 'the XLSX writer is not loaded for a CSV');
  const fromCsv = runPython(`
import csv, json, sys
raw = open(sys.argv[1], 'rb').read()
rows = list(csv.reader(open(sys.argv[1], encoding='utf-8-sig', newline='')))
print(json.dumps({'bom': raw[:3] == b'\\xef\\xbb\\xbf', 'crlf': raw.count(b'\\r\\n'), 'rows': rows}))
`, csv.file);
  assert.ok(fromCsv.bom);
  const [head, ...rows] = fromCsv.rows;
  assert.equal(rows.length, MEMBERS.length);
  assert.equal(fromCsv.crlf, MEMBERS.length + 1);
  assert.equal(head.length, headers.length);
  head.forEach((h, i) => assert.ok(headers[i].includes(h), `${h} heads column ${i} (${headers[i]})`));
  const col = (name) => head.indexOf(name);
  // The default columns: these at least.
  for (const name of ['Name', 'Member id', 'Phone', 'Lifetime spend', 'Visits', 'Last purchase']) assert.ok(col(name) >= 0, name);
  const byId = new Map(rows.map((r) => [r[col('Member id')], r]));
  // The import trims names (`  +5` is read as `+5`).
  const neutral = (s) => (/^\s*[=+\-@]/.test(s) ? `'${s}` : s);
  for (const [id, name, phone] of MEMBERS) {
    const r = byId.get(id);
    assert.equal(r[col('Name')], neutral(name.trim()));
    assert.equal(r[col('Phone')], `${phone.slice(0, 3)}****${phone.slice(-4)}`);
  }
  for (const [id, , , amounts] of MEMBERS) {
    const cents = amounts.reduce((s, a) => s + Math.round(a * 100), 0);
    assert.equal(byId.get(id)[col('Lifetime spend')], (cents / 100).toFixed(2));
    assert.match(byId.get(id)[col('Last purchase')], /^2025-03-\d\d$/);
  }

  const xlsx = await exportFile(page, 'xlsx', { fullPhones: true });
  assert.match(xlsx.name, /^Members \d{4}-\d{2}-\d{2}\.xlsx$/);
  assert.ok(xlsxRequests.length > 0, 'the XLSX writer loads on the first XLSX export');
  const fromXlsx = runPython(`
import json, sys, datetime, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.active
cells = [[{'v': (c.value.isoformat() if isinstance(c.value, datetime.datetime) else c.value), 't': c.data_type,
           'date': c.is_date, 'fmt': c.number_format} for c in row] for row in ws.iter_rows()]
print(json.dumps({'sheet': ws.title, 'freeze': ws.freeze_panes, 'filter': ws.auto_filter.ref,
                  'bold': all(c.font.bold for c in ws[1]), 'cells': cells}))
`, xlsx.file);
  assert.equal(fromXlsx.sheet, 'Members');
  assert.equal(fromXlsx.freeze, 'A2');
  assert.ok(fromXlsx.bold);
  assert.ok(fromXlsx.filter?.startsWith('A1:'));
  const [xhead, ...xrows] = fromXlsx.cells;
  assert.deepEqual(xhead.map((c) => c.v), head);
  assert.equal(xrows.length, MEMBERS.length);
  const xById = new Map(xrows.map((r) => [r[col('Member id')].v, r]));
  for (const [id, name, phone, amounts] of MEMBERS) {
    const r = xById.get(id);
    // Text is text: a formula-looking name is a string cell, never a formula.
    assert.deepEqual([r[col('Name')].v, r[col('Name')].t], [name.trim(), 's']);
    assert.equal(r[col('Phone')].v, phone);
    const cents = amounts.reduce((s, a) => s + Math.round(a * 100), 0);
    assert.equal(r[col('Lifetime spend')].t, 'n');
    assert.equal(Math.round(r[col('Lifetime spend')].v * 100), cents);
    assert.equal(r[col('Lifetime spend')].fmt, '#,##0.00');
    assert.deepEqual([r[col('Visits')].t, r[col('Visits')].v], ['n', amounts.filter((a) => a >= 0).length]);
    assert.ok(r[col('Last purchase')].date, `${id}: the last purchase is a date`);
    assert.match(r[col('Last purchase')].v, /^2025-03-\d\dT00:00:00$/);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
