// The list interface for scripts: memberDashboard.members(filter, options), exportList(filter,
// format) and workLists(). Figures are checked against what the test works out from the rows it
// loads; exported files are read back with Python's csv and openpyxl; on the demo, every work
// list's count equals the number of rows of its exported list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp } from './harness.mjs';
import { runPython } from './python.mjs';

let app;
let dir;
before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'md-auto-'));
  app = await startApp();
});
after(async () => app?.close());

// Members: [id, name, phone, store, [[date, yuan] …]]. The last day (2025-06-30) is the analysis date.
const ROWS = [
  ['M01', '=cmd|calc', '13900000001', '徐汇店', [['2025-01-05', 300], ['2025-03-05', 200], ['2025-06-27', 150]]],
  ['M02', '王芳', '13900000002', '静安店', [['2025-06-27', 88.5]]],
  ['M03', 'Li Lei', '13900000003', '徐汇店', [['2024-11-02', 1200], ['2025-02-10', 800]]],
  ['M04', '  @SUM(1)', '13900000004', '静安店', [['2025-04-01', 45], ['2025-04-20', 55], ['2025-05-30', 60], ['2025-06-30', 40]]],
  ['M05', '赵敏', '13900000005', '徐汇店', [['2025-06-09', 500]]],
];

// A members file (name, phone, home store) and a transactions file, as a store's system exports them.
function membersCsv() {
  return ['会员卡号,姓名,手机号,所属门店', ...ROWS.map(([id, name, phone, store]) => [id, `"${name}"`, phone, store].join(','))].join('\n');
}
function salesCsv() {
  const lines = ['会员卡号,消费时间,实收金额'];
  for (const [id, , , , buys] of ROWS) {
    for (const [day, yuan] of buys) lines.push([id, day, yuan.toFixed(2)].join(','));
  }
  return lines.join('\n');
}

const spendCents = (r) => Math.round(r[4].reduce((a, [, y]) => a + y * 100, 0));
const visits = (r) => new Set(r[4].map(([d]) => d)).size;

async function loadRows(page) {
  await page.evaluate(async ([m, t]) => window.memberDashboard.load([new File([m], 'members.csv'), new File([t], 'sales.csv')]), [membersCsv(), salesCsv()]);
  await page.waitForFunction(() => !window.memberDashboard.report().busy);
}

test('members(filter) answers with the totals and rows the test works out itself', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members' });
  await loadRows(page);
  const all = await page.evaluate(() => window.memberDashboard.members({}, { limit: 10 }));
  assert.equal(all.total, ROWS.length);
  assert.equal(all.revenue_cents, ROWS.reduce((a, r) => a + spendCents(r), 0));
  // Highest spend first by default.
  const bySpend = [...ROWS].sort((a, b) => spendCents(b) - spendCents(a)).map((r) => r[0]);
  assert.deepEqual(all.rows.map((r) => r.id), bySpend);
  assert.ok(all.rows.every((r) => /\*\*\*\*/.test(r.phone_masked)));

  // A compound filter: one store, at least 2 visits, spend at least ¥300.
  const filter = { all: [{ by: 'store', any: ['徐汇店'] }, { by: 'visits', min: 2 }, { by: 'spend', min: 300 }] };
  const expected = ROWS.filter((r) => r[3] === '徐汇店' && visits(r) >= 2 && spendCents(r) >= 30000);
  const page1 = await page.evaluate((f) => window.memberDashboard.members(f, { sort: { column: 'id' } }), filter);
  assert.equal(page1.total, expected.length);
  assert.deepEqual(page1.rows.map((r) => r.id), expected.map((r) => r[0]).sort());
  assert.equal(page1.revenue_cents, expected.reduce((a, r) => a + spendCents(r), 0));

  // Search by phone digits and by name; paging.
  const byPhone = await page.evaluate(() => window.memberDashboard.members({ search: '0000004' }));
  assert.deepEqual(byPhone.rows.map((r) => r.id), ['M04']);
  const paged = await page.evaluate(() => window.memberDashboard.members({}, { offset: 2, limit: 2, sort: { column: 'id' } }));
  assert.deepEqual(paged.rows.map((r) => r.id), ['M03', 'M04']);

  // Calls made together each get their own answer (a refused one among them too).
  const together = await page.evaluate(() => Promise.allSettled([
    window.memberDashboard.members({ all: [{ by: 'store', any: ['静安店'] }] }),
    window.memberDashboard.members({ all: [{ by: 'last_purchase', from: 'not a date' }] }),
    window.memberDashboard.members({ search: 'M05' }),
    window.memberDashboard.exportList({ all: [{ by: 'store', any: ['徐汇店'] }] }, 'csv').then((b) => b.text()),
  ]));
  assert.equal(together[0].value.total, ROWS.filter((r) => r[3] === '静安店').length);
  assert.equal(together[1].status, 'rejected');
  assert.deepEqual(together[2].value.rows.map((r) => r.id), ['M05']);
  assert.equal(together[3].value.split('\r\n').filter((l) => l).length - 1, ROWS.filter((r) => r[3] === '徐汇店').length);

  // A filter it cannot run is refused with its place.
  const refused = await page.evaluate(() => window.memberDashboard.members({ all: [{ by: 'visits', min: 1 }, { by: 'joined', from: '2025-13-01' }] }).then(() => 'resolved', (e) => e.message));
  assert.match(refused, /filter condition 2: "from" is not a date/);
  const unreadable = await page.evaluate(() => window.memberDashboard.members({ all: [{ by: 'no_such' }] }).then(() => 'resolved', (e) => e.message));
  assert.match(unreadable, /the filter cannot be read/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('exportList(filter, format) gives the download\'s file: CSV and XLSX read back independently', async () => {
  const { page, context, errors } = await app.open({ hash: '#/members' });
  await loadRows(page);
  const save = async (format, options) => {
    const b64 = await page.evaluate(async ({ format, options }) => {
      const blob = await window.memberDashboard.exportList({}, format, options);
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (const b of bytes) s += String.fromCharCode(b);
      return btoa(s);
    }, { format, options });
    const file = path.join(dir, `list.${format}`);
    fs.writeFileSync(file, Buffer.from(b64, 'base64'));
    return file;
  };
  const columns = ['id', 'name', 'phone', 'store', 'visits', 'spend', 'last_purchase'];
  const csvFile = await save('csv', { columns, sort: { column: 'id' } });
  const csv = runPython(
    'import csv, json, sys\n' +
    'raw = open(sys.argv[1], "rb").read()\n' +
    'text = raw.decode("utf-8")\n' +
    'print(json.dumps({"bom": text.startswith("\\ufeff"), "rows": list(csv.reader(text.lstrip("\\ufeff").splitlines()))}))',
    csvFile,
  );
  assert.equal(csv.bom, true);
  assert.equal(csv.rows.length, ROWS.length + 1);
  const en = JSON.parse(fs.readFileSync(new URL('../../locales/en.json', import.meta.url), 'utf8'));
  assert.deepEqual(csv.rows[0], columns.map((c) => en[`col_${c}`]), 'headers in the page\'s language');
  const byId = Object.fromEntries(csv.rows.slice(1).map((r) => [r[0], r]));
  assert.equal(byId.M01[1], "'=cmd|calc", 'a formula-looking name is neutralised');
  assert.equal(byId.M04[1], "'@SUM(1)", 'names are trimmed when read, then neutralised');
  assert.equal(byId.M02[1], '王芳');
  assert.match(byId.M01[2], /^139\*\*\*\*0001$/, 'phones masked by default');
  assert.equal(Number(byId.M01[5]), spendCents(ROWS[0]) / 100);
  assert.equal(byId.M04[6], '2025-06-30');

  const xlsxFile = await save('xlsx', { columns, sort: { column: 'id' }, full_phones: true });
  const x = runPython(
    'import json, sys, datetime, openpyxl\n' +
    'ws = openpyxl.load_workbook(sys.argv[1]).active\n' +
    'rows = [[c.value.isoformat()[:10] if isinstance(c.value, datetime.datetime) else c.value for c in r] for r in ws.iter_rows()]\n' +
    'types = [type(c.value).__name__ for c in next(ws.iter_rows(min_row=2, max_row=2))]\n' +
    'print(json.dumps({"rows": rows, "types": types, "freeze": ws.freeze_panes}))',
    xlsxFile,
  );
  assert.equal(x.freeze, 'A2');
  assert.equal(x.rows.length, ROWS.length + 1);
  // Visits an integer, spend a number (a whole amount reads back as int), the date a date.
  assert.equal(x.types[4], 'int');
  assert.ok(['int', 'float'].includes(x.types[5]), x.types[5]);
  assert.equal(x.types[6], 'datetime');
  const xById = Object.fromEntries(x.rows.slice(1).map((r) => [r[0], r]));
  assert.equal(xById.M01[1], '=cmd|calc', 'text, never a formula, in XLSX');
  assert.equal(xById.M01[2], '13900000001', 'full phones when asked');
  assert.equal(xById.M03[5], spendCents(ROWS[2]) / 100);
  assert.deepEqual(errors, []);
  await context.close();
});

test('every work list exports exactly as many rows as its count, and workLists() words each rule', async () => {
  const { page, context, errors } = await app.open({ hash: '#/work-lists' });
  await page.waitForFunction(() => !window.memberDashboard.report().busy);
  const lists = await page.evaluate(() => window.memberDashboard.workLists());
  assert.equal(lists.lists.length, 16);
  assert.ok(lists.lists.filter((l) => l.available && l.members > 0).length >= 10, 'the demo fills most lists');
  for (const l of lists.lists) {
    assert.ok(l.name && l.rule, `${l.key} has a name and a rule`);
    const rows = await page.evaluate(async (key) => {
      const blob = await window.memberDashboard.exportList({ all: [{ by: 'work_list', list: key }] }, 'csv');
      return (await blob.text()).split('\r\n').filter((line) => line.length > 0).length - 1;
    }, l.key);
    assert.equal(rows, l.members, `${l.key}: exported rows = count`);
    const listed = await page.evaluate((key) => window.memberDashboard.members({ all: [{ by: 'work_list', list: key }] }, { limit: 1 }), l.key);
    assert.equal(listed.total, l.members, `${l.key}: members() total = count`);
    if (l.members > 0) assert.ok(listed.rows[0].reasons.length > 0, `${l.key}: a reason for each member`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
