// No English on the Chinese pages after a user's own file (the demo's pages are zh_words'):
// the mapping screen, the Data page's load report with every kind of table note and problem,
// the banner of each refused file, a failed API load and the report of a good one, a refused
// setting, the notices (saved settings reset, store not in the data) and the export dialog.
// The files are made here: Chinese headers in GBK and UTF-8, problems of every kind, a workbook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from './harness.mjs';
import { startApiServer } from './api_server.mjs';
import { ALLOWED, englishWords, openAllDetails, collectTexts } from './zh_check.mjs';

const SETTINGS_KEY = 'member-dashboard.settings';
// The files' own English values, which the page may show as they are (the fixtures' "not a
// date" expiry and "abc" amount; the bad values written below).
const DATA_VALUES = ['not a date', 'abc', 'xyz'];

// GBK for the few characters used here (Node can decode GBK but not encode it).
const GBK_CODES = {
  会: [0xbb, 0xe1], 员: [0xd4, 0xb1], 卡: [0xbf, 0xa8], 号: [0xba, 0xc5], 消: [0xcf, 0xfb], 费: [0xb7, 0xd1],
  时: [0xca, 0xb1], 间: [0xbc, 0xe4], 实: [0xca, 0xb5], 收: [0xca, 0xd5], 金: [0xbd, 0xf0], 额: [0xb6, 0xee],
  项: [0xcf, 0xee], 目: [0xc4, 0xbf], 面: [0xc3, 0xe6], 霜: [0xcb, 0xaa],
};
let app;
let dir;
let files;
before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'md-zh-load-'));
  // The native import tests' fixtures (a GBK sales export, a members workbook), under Chinese
  // names so the file names hold no English.
  const fx = path.join(dir, 'fx');
  execFileSync('cargo', ['run', '--quiet', '-p', 'member-engine', '--example', 'write_fixtures', '--', fx]);
  files = { gbk: path.join(dir, '销售流水.csv'), xlsx: path.join(dir, '会员资料.xlsx') };
  copyFileSync(path.join(fx, 'sales-gbk.csv'), files.gbk);
  copyFileSync(path.join(fx, 'members.xlsx'), files.xlsx);
  files.orders = write('网店订单.csv', Buffer.from(ordersCsv(), 'utf8'));
  files.mixed = write('混合编码.csv', mixedEncoding());
  files.badBytes = write('坏字节.csv', Buffer.concat([Buffer.from('会员卡号,消费时间,实收金额\nA01,2025-01-02,10\n', 'utf8'), Buffer.from([0xff, 0xfe, 0x2c]), Buffer.from('2025-01-03,20\nA02,2025-01-04,30\n', 'utf8')]));
  files.quote = write('引号.csv', Buffer.from('会员卡号,消费时间,实收金额,备注\nA01,2025-01-02,10,好\nA02,2025-01-03,20,"没有结束\nA03,2025-01-04,30,好\n', 'utf8'));
  // 60 unreadable amounts: more than a page of one problem group (50 rows).
  const xyz = Array.from({ length: 60 }, (_, i) => `B${i},2025-02-03,xyz,xyz`).join('\n');
  files.dupHeader = write('重复列.csv', Buffer.from(`会员卡号,消费时间,实收金额,实收金额\nA01,2025-01-02,10,10\n${xyz}\n`, 'utf8'));
  files.png = write('截图.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 600 }, (_, i) => (i * 37) & 0xff)]));
  files.pdf = write('报表.pdf', Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 600 }, (_, i) => (i * 91) & 0xff))]));
  files.empty = write('空文件.csv', Buffer.alloc(0));
  files.headerOnly = write('只有表头.csv', Buffer.from('会员卡号,消费时间,实收金额\n', 'utf8'));
  files.noColumns = write('无对应列.csv', Buffer.from('甲,乙,丙\n1,2,3\n4,5,6\n', 'utf8'));
  app = await startApp();
});
after(async () => app?.close());

function write(name, bytes) {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/// An online store's order lines: orders of several lines, closed orders, a totals row, the
/// buyer's phone as the only member id, an order total column, a bad amount and a bad date.
function ordersCsv() {
  const rows = ['订单号,下单时间,买家手机号,商品名称,商品实付金额,订单实付金额,订单状态,门店'];
  for (let i = 0; i < 40; i++) {
    const order = `DD${1000 + Math.floor(i / 2)}`;
    const phone = `1380000${String(100 + (i % 15)).padStart(4, '0')}`;
    const day = `2025-0${1 + (i % 6)}-${String(1 + (i % 27)).padStart(2, '0')} 10:00`;
    const status = i % 9 === 4 ? '交易关闭' : '交易成功';
    rows.push(`${order},${day},${phone},面霜,${50 + i},${2 * (50 + i)},${status},${i % 2 ? '静安店' : '徐汇店'}`);
  }
  rows.push('DD2000,2025-03-01 10:00,13800000999,面膜,abc,abc,交易成功,静安店');
  rows.push('DD2001,不是日期,13800000998,面膜,30,30,交易成功,静安店');
  rows.push('合计,,,,3000,6000,,');
  return rows.join('\n') + '\n';
}

/// 300 KB in GBK, then lines in UTF-8: the reader notes where the encoding changed.
function mixedEncoding() {
  const out = [];
  out.push(gbk('会员卡号,消费时间,实收金额,项目\n'));
  let size = out[0].length;
  for (let i = 0; size < 300 * 1024; i++) {
    const line = Buffer.concat([Buffer.from(`M${i % 500},2024-03-05,10.00,`), gbk('面霜'), Buffer.from('\n')]);
    out.push(line);
    size += line.length;
  }
  for (let i = 0; i < 50; i++) out.push(Buffer.from(`U${i},2024-04-05,20.00,面膜\n`, 'utf8'));
  return Buffer.concat(out);
}

function gbk(text) {
  const bytes = [];
  for (const ch of text) bytes.push(...(GBK_CODES[ch] ?? [ch.charCodeAt(0)]));
  const buf = Buffer.from(bytes);
  // The table above is checked against Node's own GBK decoder.
  assert.equal(new TextDecoder('gbk').decode(buf), text);
  return buf;
}

/// The English words on the page now, as "where: text → words" lines (none = passes).
/// The files' names and the data set's name (the demo's is bilingual) are the user's own too.
async function englishOnPage(page, what) {
  await openAllDetails(page);
  const texts = await page.evaluate(collectTexts);
  assert.ok(texts.some(([, t]) => /[\u4e00-\u9fff]/.test(t)), `${what}: the page shows Chinese text`);
  const dataset = await page.evaluate(() => String(window.memberDashboard.report().dataset ?? ''));
  const own = [...DATA_VALUES, ...Object.values(files).map((f) => path.basename(f)), ...dataset.split(/, | · /).filter(Boolean)]
    .sort((a, b) => b.length - a.length);
  const out = new Set();
  for (const [where, text] of texts) {
    // An address with its query (`/nothing-here/members?page=1&size=1000`) is the user's own.
    const prose = own.reduce((s, v) => s.split(v).join(' '), text).replace(/\S*\/\S*\?\S*/g, ' ');
    const words = englishWords(prose, ALLOWED);
    if (words.length) out.add(`${what} · ${where}: "${text.replace(/\s+/g, ' ').slice(0, 200)}" → ${[...new Set(words)].join(', ')}`);
  }
  return [...out];
}

const settle = (page) => page.waitForFunction(() => !window.memberDashboard.report().busy, null, { timeout: 60_000 });

async function openZh(hash = '#/data') {
  const opened = await app.open({ hash, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  assert.equal(await opened.page.evaluate(() => document.documentElement.lang), 'zh-CN');
  return opened;
}

/// Last of each walk: the export dialog (Members page) is read too, then nothing English may
/// have been found and the page has logged no error.
async function endWithExportDialog(page, context, errors, found) {
  await page.evaluate(() => { location.hash = '#/members'; });
  await page.getByTestId('export-button').first().click();
  await page.getByTestId('export-go').waitFor();
  found.push(...await englishOnPage(page, 'export dialog'));
  assert.deepEqual(found, [], `${found.length} texts with English:\n  ${found.join('\n  ')}`);
  assert.deepEqual(errors, []);
  await context.close();
}

test('zh-CN: the mapping screen and the load report of files with every kind of note and problem', async () => {
  const { page, context, errors } = await openZh();
  const found = [];
  await page.getByTestId('file-input').setInputFiles([files.xlsx, files.gbk, files.orders, files.mixed, files.badBytes, files.quote, files.dupHeader]);
  const mapping = page.getByTestId('mapping');
  await mapping.waitFor({ timeout: 60_000 });
  found.push(...await englishOnPage(page, 'mapping screen'));
  // A date left unmapped: the problem that stops the load.
  await page.getByTestId('map-2-1').selectOption('');
  await page.getByTestId('mapping-problems').waitFor();
  found.push(...await englishOnPage(page, 'mapping screen with a problem'));
  await page.getByTestId('map-2-1').selectOption('date');
  await page.getByTestId('mapping-load').click();
  await page.waitForFunction(() => !window.memberDashboard.report().is_demo && window.memberDashboard.report().ready, null, { timeout: 60_000 });
  await settle(page);
  await page.getByTestId('file-report').first().waitFor();
  // Every kind of note is in the report (a reader that showed none would pass).
  const report = await page.locator('[data-testid=file-report]').allTextContents();
  assert.ok(report.length >= 7, `a report per file: ${report.length}`);
  assert.ok((await page.getByTestId('table-note').count()) >= 6, 'table notes are shown');
  assert.ok((await page.getByTestId('problem-group').count()) >= 2, 'problem groups are shown');
  found.push(...await englishOnPage(page, 'Data page after the load'));
  // The pager of a group of more than 50 problems goes to the next page (its range in Chinese).
  const pager = page.locator('[data-testid=problem-pager]').first();
  const range = await pager.locator('span').textContent();
  assert.match(range, /^第 ?1/, range);
  await pager.getByTestId('problems-next').click();
  await page.waitForFunction((r) => document.querySelector('[data-testid=problem-pager] span')?.textContent !== r, range);
  found.push(...await englishOnPage(page, 'second page of problems'));
  // The export dialog of the user's data (on the Members page).
  await endWithExportDialog(page, context, errors, found);
});

test('zh-CN: the banner of each refused file', async () => {
  const { page, context, errors } = await openZh();
  const found = [];
  const banners = [];
  for (const file of [files.png, files.pdf, files.empty, files.headerOnly, files.noColumns]) {
    await page.getByTestId('file-input').setInputFiles([file]);
    const name = path.basename(file);
    // Refused outright (banner), or on the mapping screen (nothing to map: load refused).
    await page.waitForFunction(() => document.querySelector('[data-testid=error], [data-testid=mapping]'), null, { timeout: 60_000 });
    if (await page.getByTestId('mapping').count()) {
      found.push(...await englishOnPage(page, `mapping of ${name}`));
      const load = page.getByTestId('mapping-load');
      if (await load.isEnabled()) await load.click();
      else await page.getByTestId('mapping-cancel').click();
    }
    await settle(page);
    if (await page.getByTestId('error').count()) {
      assert.match(await page.getByTestId('error').textContent(), new RegExp(name.replace('.', '\\.')));
      found.push(...await englishOnPage(page, `banner of ${name}`));
      banners.push(name);
    }
  }
  // The binary, empty and header-only files are refused with a banner (a check that saw none would pass).
  for (const f of [files.png, files.pdf, files.empty, files.headerOnly]) assert.ok(banners.includes(path.basename(f)), `a banner for ${path.basename(f)}: ${banners}`);
  assert.deepEqual(found, [], `${found.length} texts with English:\n  ${found.join('\n  ')}`);
  assert.deepEqual(errors.filter((e) => !/Failed to load resource/.test(e)), []);
  await context.close();
});

test('zh-CN: a failed API load, and the report of a good one', async () => {
  const found = [];
  {
    const { page, context } = await openZh();
    await page.getByTestId('api-base').fill('/nothing-here');
    await page.getByTestId('api-load').click();
    await page.getByTestId('error').waitFor({ timeout: 60_000 });
    await settle(page);
    found.push(...await englishOnPage(page, 'failed API load'));
    await context.close();
  }
  const members = Array.from({ length: 6 }, (_, i) => `M0${i + 1},会员${i + 1},2024-0${i + 1}-10`);
  const sales = Array.from({ length: 14 }, (_, i) => `M0${1 + (i % 6)},2025-0${1 + (i % 6)}-1${i % 10},${100 + i}.00,O${100 + i}`);
  const m = write('接口会员.csv', 'member_id,name,join_date\n' + members.join('\n') + '\n');
  const s = write('接口消费.csv', 'member_id,date,amount,order_no\n' + sales.join('\n') + '\n');
  const server = await startApiServer(['--members', m, '--transactions', s, '--dist', 'dist']);
  try {
    const { page, context, errors } = await app.open({ at: `${server.origin}/`, hash: '#/data', locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    await page.getByTestId('api-base').fill('/api');
    await page.getByTestId('api-load').click();
    await page.waitForFunction(() => /^API /.test(window.memberDashboard.report().dataset ?? ''), null, { timeout: 60_000 });
    await settle(page);
    await page.getByTestId('file-report').first().waitFor();
    // The data set's name holds the API's address, which is the user's own.
    found.push(...await englishOnPage(page, 'API load report'));
    const reading = await page.locator('[data-testid=file-report]').first().textContent();
    assert.match(reading, /接口/, `the report says the data came from the API: ${reading}`);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await server.close();
  }
  assert.deepEqual(found, [], `${found.length} texts with English:\n  ${found.join('\n  ')}`);
});

test('zh-CN: a refused setting next to its field, the notices, and the export dialog', async () => {
  const found = [];
  // Saved settings that are reset at start, and a store the data does not have.
  const { page, context, errors } = await app.open({ hash: '#/segments', locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  await page.evaluate((k) => localStorage.setItem(k, JSON.stringify({ sleeping_days: 2147483647, lost_days: 2147483647, new_days: 60 })), SETTINGS_KEY);
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready, null, { timeout: 60_000 });
  await settle(page);
  await page.getByTestId('notice').waitFor();
  const store = await page.evaluate(() => window.memberDashboard.report().stores[0]);
  await page.evaluate((s) => window.memberDashboard.setSettings({ stores: [s, '虹口店'] }), store);
  await page.getByTestId('scope-notice').waitFor();
  await openAllDetails(page);
  const field = (key) => page.locator(`[data-testid=settings] input[data-setting=${key}]`);
  for (const [key, value] of [['high_spend_share', '150'], ['sleeping_days', '-5'], ['new_days', '99999']]) {
    await field(key).fill(value);
    await field(key).dispatchEvent('change');
    await page.waitForFunction((k) => document.querySelector(`[data-testid=settings] input[data-setting=${k}]`)?.getAttribute('aria-describedby'), key, { timeout: 30_000 });
  }
  await settle(page);
  found.push(...await englishOnPage(page, 'notices and refused settings'));
  await endWithExportDialog(page, context, errors, found);
});
