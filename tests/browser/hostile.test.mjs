// Files and calls that once broke the app (issue 8), through window.memberDashboard: each load
// either resolves with the right counts or rejects with a message naming the file; the page
// settles (not busy), the engine never dies with "unreachable", and the demo still loads after.
// Calls made together each get their own answer; settings the engine refuses are never saved; a
// bad saved setting does not stop the app from starting; a crashed engine comes back with the
// last data set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { startApp, hiddenFileInput } from './harness.mjs';

const HEADER = '会员卡号,消费时间,实收金额';
const csv = (...rows) => Buffer.from([HEADER, ...rows].join('\n'), 'utf8');
const SETTINGS_KEY = 'member-dashboard.settings';

// A small deterministic generator, so a failing file can be made again.
function randomBytes(n, seed = 12345) {
  const out = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

// A real PNG (random 64×64 RGB pixels): what a user gets by renaming a screenshot to .csv.
function png() {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const size = 64;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const pixels = randomBytes(size * (1 + size * 3), 777);
  for (let row = 0; row < size; row++) pixels[row * (1 + size * 3)] = 0; // filter byte
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Six months of history with 80 repeat buyers: the backtest once gave NaN for such a span and
// the predictions never arrived.
function sixMonths() {
  const rows = [];
  const start = Date.UTC(2025, 0, 1);
  for (let i = 0; i < 80; i++) {
    const visits = 2 + (i % 3);
    for (let j = 0; j < visits; j++) {
      // Distinct days per member: j·37 < 179, and the shift keeps them apart modulo 179.
      const offset = (i * 7 + j * 37) % 179;
      const day = new Date(start + offset * 86_400_000).toISOString().slice(0, 10);
      rows.push(`M${String(i).padStart(3, '0')},${day},${50 + ((i * 13 + j * 7) % 200)}`);
    }
  }
  return { bytes: csv(...rows), members: 80, transactions: rows.length };
}

let app;
let corners;
before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'md-hostile-'));
  // The workbook whose only cells are A1 and XFD1048576 (examples/write_fixtures.rs).
  execFileSync('cargo', ['run', '--quiet', '-p', 'member-engine', '--example', 'write_fixtures', '--', dir]);
  corners = readFileSync(path.join(dir, 'corners.xlsx'));
  app = await startApp();
});
after(async () => app?.close());

const reportOf = (page) => page.evaluate(() => window.memberDashboard.report());

/// Loads `bytes` as a file called `name`: `{ ok: true, outcome }` or `{ ok: false, message }`.
function loadFile(page, name, bytes) {
  return page.evaluate(async ([name, b64]) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    try {
      return { ok: true, outcome: await window.memberDashboard.load([new File([bytes], name)]) };
    } catch (e) {
      return { ok: false, message: e.message };
    }
  }, [name, Buffer.from(bytes).toString('base64')]);
}

const settled = (page, timeout = 60_000) =>
  page.waitForFunction(() => !window.memberDashboard.report().busy, null, { timeout });

async function demoStillLoads(page) {
  await page.evaluate(() => window.memberDashboard.loadDemo());
  await page.waitForFunction(() => {
    const r = window.memberDashboard.report();
    return r.is_demo && !r.busy && r.members === 2000;
  }, null, { timeout: 60_000 });
}

const crashes = (errors) => errors.filter((e) => /unreachable|RuntimeError|panicked/i.test(e));

test('hostile files: each loads with the right counts or is refused by name, and the page settles', async (t) => {
  const { page, context, errors } = await app.open();
  const six = sixMonths();
  const refused = [
    ['photo.csv', png(), 'a PNG renamed .csv'],
    ['one.csv', Buffer.from('x'), 'a 1-byte file'],
    ['noise.csv', randomBytes(4096), 'random binary'],
    ['header.csv', csv(), 'a header with no rows'],
    ['corners.xlsx', corners, 'an xlsx whose only cells are A1 and XFD1048576'],
  ];
  for (const [name, bytes, what] of refused) {
    await t.test(`${what} is refused with a message naming ${name}`, async (st) => {
      const r = await loadFile(page, name, bytes);
      st.diagnostic(`${name}: ${r.message}`);
      assert.equal(r.ok, false, `${name} loaded: ${JSON.stringify(r.outcome?.files?.[0] ?? r.outcome)}`);
      assert.ok(r.message.includes(name), `the message names the file: ${r.message}`);
      await settled(page);
      assert.equal((await reportOf(page)).error, r.message, 'the page shows the same message');
      assert.deepEqual(crashes(errors), []);
      await demoStillLoads(page);
    });
  }

  await t.test('a refusal is said in the page\'s language', async () => {
    const r = await loadFile(page, 'photo.csv', png());
    assert.equal(r.ok, false);
    await settled(page);
    const box = page.getByTestId('error');
    assert.match(await box.textContent(), /photo\.csv: this is a PNG image, not a table of data/);
    await page.getByTestId('lang-switch').click();
    assert.match(await box.textContent(), /photo\.csv: 这是 PNG 图片，不是数据表/);
    await page.getByTestId('lang-switch').click();
    await demoStillLoads(page);
  });

  await t.test('a 50 MB single line is refused with a message naming it', async () => {
    const r = await page.evaluate(() =>
      window.memberDashboard.load([new File(['x'.repeat(50_000_000)], 'line.csv')]).then((o) => ({ ok: true, o }), (e) => ({ ok: false, message: e.message })));
    assert.equal(r.ok, false);
    assert.ok(r.message.includes('line.csv'), r.message);
    await settled(page);
    assert.deepEqual(crashes(errors), []);
    await demoStillLoads(page);
  });

  const loaded = [
    {
      what: 'six months of history (the backtest once gave NaN)',
      name: 'six-months.csv',
      bytes: six.bytes,
      expect: { members: six.members, transactions: six.transactions, rows_skipped: 0 },
    },
    {
      what: 'a row dated 9999-12-31 (once crashed the engine)',
      name: 'far-future.csv',
      bytes: csv('A001,2025-01-05,100', 'A002,2025-01-06,200', 'A001,9999-12-31,300'),
      expect: { members: 2, transactions: 2, rows_skipped: 1, revenue_12m_cents: 30000 },
    },
    {
      what: 'a row dated 0001-01-01 (once took 1.2 GB)',
      name: 'far-past.csv',
      bytes: csv('A001,2025-01-05,100', 'A002,2025-01-06,200', 'A001,0001-01-01,300'),
      expect: { members: 2, transactions: 2, rows_skipped: 1, revenue_12m_cents: 30000 },
    },
    {
      what: '100 rows of 999999999999999 for one member (once wrapped the totals negative)',
      name: 'huge.csv',
      bytes: csv('A001,2025-01-05,100', 'A002,2025-01-06,200', 'A003,2025-01-07,300', ...Array.from({ length: 100 }, () => 'A001,2025-01-08,999999999999999')),
      // Each huge amount is a row problem; the three ordinary rows add up to ¥600.
      expect: { members: 3, transactions: 3, rows_skipped: 100, revenue_12m_cents: 60000 },
    },
    {
      what: 'refunds with the sign after the currency mark',
      name: 'refunds.csv',
      bytes: csv('A001,2025-01-05,1000.00', 'A001,2025-02-05,￥-716.40', 'A002,2025-02-06,200', 'A002,2025-02-07,¥ -35', 'A002,2025-02-08,RMB-12.00', 'A002,2025-02-09,-￥35'),
      // 1000 − 716.40 + 200 − 35 − 12 − 35 = ¥401.60
      expect: { members: 2, rows_used: 6, rows_skipped: 0, revenue_12m_cents: 40160 },
    },
  ];
  for (const { what, name, bytes, expect } of loaded) {
    await t.test(`${what}: loads with the right counts`, async () => {
      const r = await loadFile(page, name, bytes);
      assert.equal(r.ok, true, `${name} was refused: ${r.message}`);
      await settled(page);
      const report = await reportOf(page);
      const file = r.outcome.files[0];
      const actual = {
        members: r.outcome.members,
        transactions: r.outcome.transactions,
        rows_used: file.rows_used,
        rows_skipped: file.rows_skipped,
        revenue_12m_cents: report.kpis?.revenue_12m_cents,
      };
      for (const [k, v] of Object.entries(expect)) assert.equal(actual[k], v, `${k} of ${name}: ${JSON.stringify(actual)}`);
      assert.equal(report.dataset, name);
      assert.equal(report.predictions.pending, false, 'the predictions arrived');
      // A NaN or an infinity would have become null (or broken the message) on the way.
      assert.ok(!/NaN|Infinity/.test(JSON.stringify(report)), 'no NaN or infinity in the report');
      assert.equal(report.error, null);
      assert.deepEqual(crashes(errors), []);
      await demoStillLoads(page);
    });
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a failure shown in English is said again in Chinese when the language is switched', async (t) => {
  const { page, context, errors } = await app.open({ locale: 'en-US' });
  const box = page.getByTestId('error');
  const switchLanguage = () => page.getByTestId('lang-switch').click();
  const dir = mkdtempSync(path.join(tmpdir(), 'md-hostile-lang-'));
  const loadInput = (id) => page.evaluate((id) =>
    window.memberDashboard.load(document.getElementById(id).files).then(() => 'resolved', (e) => e.message), id);

  await t.test('a file whose columns cannot be mapped', async () => {
    const wrong = path.join(dir, 'wrong.csv');
    writeFileSync(wrong, 'name,colour\nx,y\n');
    await hiddenFileInput(page, 'wrong-input', wrong);
    const message = await loadInput('wrong-input');
    assert.equal(message, 'wrong.csv: no column is mapped to member id', 'scripts get the engine\'s words');
    await settled(page);
    assert.equal((await reportOf(page)).error, message);
    assert.match(await box.textContent(), /wrong\.csv: no column is mapped to “Member id”/);
    await switchLanguage();
    assert.match(await box.textContent(), /wrong\.csv：没有列对应到“会员卡号”。/);
    assert.equal((await reportOf(page)).error, 'wrong.csv：没有列对应到“会员卡号”。', 'report() says it in the page\'s language');
    await switchLanguage();
    assert.match(await box.textContent(), /wrong\.csv: no column is mapped to “Member id”/);
  });

  await t.test('a refused file', async () => {
    const photo = path.join(dir, 'photo.csv');
    writeFileSync(photo, png());
    await hiddenFileInput(page, 'photo-input', photo);
    const message = await loadInput('photo-input');
    assert.equal(message, 'photo.csv: this is a PNG image, not a table of data');
    await settled(page);
    assert.match(await box.textContent(), /photo\.csv: this is a PNG image, not a table of data/);
    await switchLanguage();
    assert.match(await box.textContent(), /photo\.csv: 这是 PNG 图片，不是数据表/);
    assert.match((await reportOf(page)).error, /^photo\.csv: 这是 PNG 图片，不是数据表/);
    await switchLanguage();
    assert.equal((await reportOf(page)).error, message);
  });

  await t.test('a threshold refused in the settings panel', async () => {
    await page.evaluate(() => { location.hash = '#/segments'; });
    const input = page.locator('input[data-setting=sleeping_days]');
    await input.fill('0');
    await input.dispatchEvent('change');
    // Said next to its field (issue 12), in the page's language.
    const msg = page.locator('[data-testid=settings] [data-testid=setting-error-sleeping_days]');
    assert.match(await msg.textContent(), /“Sleeping after \(days without purchase\)” must be between 1 and 36,500/);
    await switchLanguage();
    assert.match(await msg.textContent(), /“睡眠（无消费天数）”须在 1 到 36,500 之间，设置未更改/);
    await switchLanguage();
    const r = await reportOf(page);
    assert.equal(r.settings.sleeping_days, 365, 'the setting in force is unchanged');
  });
  assert.deepEqual(errors, []);
  await context.close();
});

test('two loads started together each resolve with their own outcome', async () => {
  const { page, context, errors } = await app.open();
  const [a, b] = await page.evaluate(async () => {
    const a = new File(['会员卡号,消费时间,实收金额\nA1,2025-01-05,100\nA2,2025-01-06,200\n'], 'a.csv');
    const b = new File(['会员卡号,消费时间,实收金额\nB1,2025-01-05,100\nB2,2025-01-06,200\nB3,2025-01-07,300\nB3,2025-01-08,300\n'], 'b.csv');
    const settle = (p) => p.then((o) => ({ dataset: o.dataset, members: o.members, transactions: o.transactions }), (e) => ({ error: e.message }));
    return Promise.all([settle(window.memberDashboard.load([a])), settle(window.memberDashboard.load([b]))]);
  });
  assert.deepEqual(a, { dataset: 'a.csv', members: 2, transactions: 2 });
  assert.deepEqual(b, { dataset: 'b.csv', members: 3, transactions: 4 });
  await settled(page);
  const r = await reportOf(page);
  assert.equal(r.dataset, 'b.csv', 'the later load is shown');
  assert.equal(r.members, 3);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a load and a settings change made together: the load gets its files, the settings recompute them', async () => {
  const { page, context, errors } = await app.open();
  const [load, settings] = await page.evaluate(async () => {
    const f = new File(['会员卡号,消费时间,实收金额\nF1,2025-01-05,100\nF2,2025-01-06,200\nF3,2025-01-07,300\n'], 'f.csv');
    const l = window.memberDashboard.load([f]).then((o) => o.dataset, (e) => `rejected: ${e.message}`);
    const s = window.memberDashboard.setSettings({ sleeping_days: 300 }).then((o) => o?.dataset, (e) => `rejected: ${e.message}`);
    return Promise.all([l, s]);
  });
  assert.equal(load, 'f.csv');
  assert.equal(settings, 'f.csv', 'setSettings resolves with the recomputed f.csv');
  await settled(page);
  const r = await reportOf(page);
  assert.equal(r.dataset, 'f.csv');
  assert.equal(r.members, 3);
  assert.equal(r.settings.sleeping_days, 300);
  const saved = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), SETTINGS_KEY);
  assert.equal(saved.sleeping_days, 300, 'accepted settings are saved');
  assert.deepEqual(errors, []);
  await context.close();
});

test('member() asked during a load that is cancelled settles instead of hanging', async () => {
  const lines = [HEADER];
  for (let i = 0; i < 1_000_000; i++) lines.push(`${880000 + (i % 50000)},2025-${String(1 + (i % 12)).padStart(2, '0')}-15,${(i % 900) + 10}.50`);
  const big = path.join(mkdtempSync(path.join(tmpdir(), 'md-hostile-big-')), 'big.csv');
  writeFileSync(big, lines.join('\n'));
  const { page, context, errors } = await app.open();
  await hiddenFileInput(page, 'big-input', big);
  await page.evaluate(() => {
    const settle = (p) => p.then((v) => ({ resolved: v }), (e) => ({ rejected: e.message }));
    window.__load = settle(window.memberDashboard.load(document.getElementById('big-input').files));
    window.__member = settle(window.memberDashboard.member('880001'));
  });
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=progress] progress')?.value) > 0.02);
  await page.getByTestId('cancel').click();
  assert.deepEqual(await page.evaluate(() => window.__load), { rejected: 'cancelled' });
  const member = await page.evaluate(() => Promise.race([window.__member, new Promise((r) => setTimeout(() => r('still waiting'), 10_000))]));
  assert.notEqual(member, 'still waiting');
  assert.ok(member.rejected === 'cancelled' || member.resolved === null, JSON.stringify(member));
  await page.waitForFunction(() => window.memberDashboard.report().is_demo && !window.memberDashboard.report().busy);
  assert.deepEqual(errors, []);
  await context.close();
});

test('settings the engine refuses are rejected and never saved', async () => {
  const { page, context, errors } = await app.open();
  const message = await page.evaluate(() =>
    window.memberDashboard.setSettings({ sleeping_days: 2147483647, lost_days: 2147483647 }).then(() => 'resolved', (e) => e.message));
  assert.notEqual(message, 'resolved');
  assert.match(message, /sleeping_days|lost_days/);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), SETTINGS_KEY), null, 'nothing saved');
  await settled(page);
  const r = await reportOf(page);
  assert.equal(r.settings.sleeping_days, 365);
  assert.equal(r.settings.lost_days, 730);
  assert.equal(r.members, 2000, 'the demo is still shown');
  assert.deepEqual(crashes(errors), []);
  // And after a reload the app starts as before.
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready && !window.memberDashboard.report().busy, null, { timeout: 30_000 });
  assert.equal((await reportOf(page)).notice, null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a bad setting saved by an older version: the app starts with the default and says so', async () => {
  const { page, context, errors } = await app.open();
  await page.evaluate((k) => localStorage.setItem(k, JSON.stringify({ sleeping_days: 2147483647, lost_days: 2147483647, new_days: 60 })), SETTINGS_KEY);
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready && !window.memberDashboard.report().busy, null, { timeout: 30_000 });
  const r = await reportOf(page);
  assert.equal(r.members, 2000, 'the app started and loaded the demo');
  assert.equal(r.settings.sleeping_days, 365);
  assert.equal(r.settings.lost_days, 730);
  assert.equal(r.settings.new_days, 60, 'the good saved value is kept');
  assert.match(r.notice ?? '', /sleeping_days.*365/, 'report().notice says what was reset');
  // The page says it with the setting's name, in its language.
  const notice = page.getByTestId('notice');
  assert.match(await notice.textContent(), /“Sleeping after \(days without purchase\)”: 2147483647 → 365/);
  await page.getByTestId('lang-switch').click();
  assert.match(await notice.textContent(), /部分已保存的设置无效.*2147483647 → 365/);
  await page.getByTestId('lang-switch').click();
  // The reset is saved, so the next start is clean.
  const saved = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), SETTINGS_KEY));
  assert.deepEqual([saved.sleeping_days, saved.lost_days, saved.new_days], [365, 730, 60]);
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready && !window.memberDashboard.report().busy, null, { timeout: 30_000 });
  assert.equal((await reportOf(page)).notice, null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a crashed engine restarts with the last data set, settles what was pending and says what failed', async () => {
  const { page, context, errors } = await app.open();
  const f = '会员卡号,消费时间,实收金额\nF1,2025-01-05,100\nF2,2025-01-06,200\nF2,2025-02-06,50\n';
  const loaded = await page.evaluate((text) => window.memberDashboard.load([new File([text], 'kept.csv')]).then((o) => o.dataset), f);
  assert.equal(loaded, 'kept.csv');
  await settled(page);
  await page.evaluate(() => window.memberDashboard.setSettings({ sleeping_days: 300, analysis_date: '2025-01-31' }));
  await settled(page);
  const [crash, member] = await page.evaluate(() => {
    const settle = (p) => p.then((v) => ({ resolved: v }), (e) => ({ rejected: e.message }));
    return Promise.all([settle(window.memberDashboard._crashWorker()), settle(window.memberDashboard.member('F1'))]);
  });
  assert.match(crash.rejected ?? '', /^the analysis engine stopped while stopping on request \(a test\): .*; the last data set was restored$/, JSON.stringify(crash));
  assert.equal(member.rejected, crash.rejected, 'a request made meanwhile settles with the same message');
  // The files last loaded come back in a fresh worker, with the settings accepted before.
  await page.waitForFunction(() => {
    const r = window.memberDashboard.report();
    return r.dataset === 'kept.csv' && !r.busy && r.analysis_date === '2025-01-31';
  }, null, { timeout: 30_000 });
  const r = await reportOf(page);
  assert.equal(r.members, 2);
  assert.equal(r.transactions, 3);
  assert.equal(r.settings.sleeping_days, 300);
  assert.equal(r.settings.analysis_date, '2025-01-31', 'the analysis date chosen comes back too');
  assert.equal(r.error, crash.rejected, 'the page shows what failed');
  assert.ok(await page.getByTestId('error').isVisible());
  // Said again in the language chosen afterwards.
  await page.getByTestId('lang-switch').click();
  assert.match(await page.getByTestId('error').textContent(), /分析引擎在按请求停止（测试）时停止：.*；已恢复上次的数据集/);
  assert.match((await reportOf(page)).error, /^分析引擎在按请求停止（测试）时停止：/);
  await page.getByTestId('lang-switch').click();
  assert.equal((await reportOf(page)).error, crash.rejected);
  // Everything works again without a reload.
  const detail = await page.evaluate(() => window.memberDashboard.member('F2'));
  assert.equal(detail?.id, 'F2');
  await demoStillLoads(page);
  // The only errors are the worker's own report of the panic asked for.
  assert.deepEqual(errors.filter((e) => !/asked the engine to stop|unreachable/.test(e)), []);
  await context.close();
});

test('the analysis date chosen stays through settings changes and goes back to the default with a new data set', async () => {
  const { page, context, errors } = await app.open();
  const load = (name, text) => page.evaluate(([n, t]) => window.memberDashboard.load([new File([t], n)]).then((o) => o.dataset), [name, text]);
  assert.equal(await load('f.csv', `${HEADER}\nF1,2025-01-05,100\nF2,2025-01-06,200\nF2,2025-01-09,50\n`), 'f.csv');
  await settled(page);
  assert.equal((await reportOf(page)).analysis_date, '2025-01-09', 'by default, the day of the last transaction');
  await page.evaluate(() => window.memberDashboard.setSettings({ analysis_date: '2025-01-06' }));
  await page.evaluate(() => window.memberDashboard.setSettings({ sleeping_days: 300 }));
  await settled(page);
  let r = await reportOf(page);
  assert.equal(r.analysis_date, '2025-01-06', 'kept through another settings change');
  assert.equal(r.settings.analysis_date, '2025-01-06');
  assert.equal(await load('g.csv', `${HEADER}\nG1,2025-03-01,100\nG2,2025-03-04,200\n`), 'g.csv');
  await settled(page);
  r = await reportOf(page);
  assert.equal(r.analysis_date, '2025-03-04', 'a new data set starts at its own last day');
  assert.equal(r.settings.analysis_date, null);
  assert.equal(r.settings.sleeping_days, 300, 'the other settings stay');
  assert.deepEqual(errors, []);
  await context.close();
});
