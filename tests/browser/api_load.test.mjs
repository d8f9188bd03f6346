// Loading from an HTTP API against the reference server (crates/api-server), started here on
// localhost: pages by cursor (body and Link header) and by number, a 401 and a token refresh,
// a malformed page, a time limit, Cancel, a CORS refusal and a CORS set-up that works, the
// Data page's form, the `api` URL option, and the page's Content-Security-Policy. Expected
// figures are computed here from the rows this test writes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp } from './harness.mjs';
import { startApiServer } from './api_server.mjs';
import { serve } from '../../scripts/serve.mjs';
import { configure } from '../../scripts/configure-csp.mjs';

const dir = fs.mkdtempSync(path.join(tmpdir(), 'md-api-'));
const members = [];
const sales = [];
// 9 members (M01…M09), 25 sales between 2025-01-03 and 2025-06-27, one refund.
for (let m = 1; m <= 9; m++) members.push({ id: `M0${m}`, name: `会员${m}`, joined: `2024-0${1 + (m % 9)}-1${m % 10}` });
for (let i = 0; i < 25; i++) {
  const m = members[(i * 4) % 9];
  const day = String(1 + ((i * 7) % 27)).padStart(2, '0');
  const month = String(1 + (i % 6)).padStart(2, '0');
  const cents = i === 11 ? -3050 : 1000 + i * 377;
  sales.push({ member: m.id, date: `2025-${month}-${day}`, cents, order: `O${100 + i}` });
}
const yuan = (c) => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
const membersCsv = path.join(dir, 'members.csv');
const salesCsv = path.join(dir, 'sales.csv');
fs.writeFileSync(membersCsv, 'member_id,name,join_date\n' + members.map((m) => `${m.id},${m.name},${m.joined}`).join('\n') + '\n');
fs.writeFileSync(salesCsv, 'member_id,date,amount,order_no\n' + sales.map((s) => `${s.member},${s.date},${yuan(s.cents)},${s.order}`).join('\n') + '\n');
const expected = {
  members: members.length,
  transactions: sales.length,
  // Every sale is within the 365 days that end with the last one: net sales are their sum.
  revenue: sales.reduce((a, s) => a + s.cents, 0),
};
const data = ['--members', membersCsv, '--transactions', salesCsv, '--page-size', '4'];

let app;
const servers = [];
before(async () => { app = await startApp(); });
after(async () => {
  for (const s of servers) await s.close();
  await app?.close();
});

async function apiServer(args) {
  const s = await startApiServer(args);
  servers.push(s);
  return s;
}

/// The app served by the reference server itself (one origin: the recommended deployment).
async function openAt(server, { hash = '', query = '' } = {}) {
  const opened = await app.open({ at: `${server.origin}/${query}`, hash });
  // Every request the page made, to check paging and that no token is in an address.
  opened.requests = [];
  opened.page.on('request', (r) => opened.requests.push(r.url()));
  return opened;
}

const loadApi = (page, options) => page.evaluate((o) => window.memberDashboard.loadApi(o).then((r) => ({ ok: r }), (e) => ({ error: e.message })), options);
const reportOf = (page) => page.evaluate(() => window.memberDashboard.report());

async function assertLoaded(page) {
  const report = await reportOf(page);
  assert.equal(report.members, expected.members);
  assert.equal(report.transactions, expected.transactions);
  assert.equal(report.kpis.revenue_12m_cents, expected.revenue);
  assert.equal(report.is_demo, false);
  assert.match(report.dataset, /^API /);
  return report;
}

for (const [style, args, pages] of [
  ['by cursor in the body', ['--paging', 'cursor', '--next', 'body'], 'cursor'],
  ['by the Link header only', ['--paging', 'cursor', '--next', 'link'], 'cursor'],
  ['by page number', ['--paging', 'page'], 'page'],
]) {
  test(`a paged load ${style} gives every record once`, async () => {
    const server = await apiServer([...data, '--dist', 'dist', ...args]);
    const { page, context, errors, requests } = await openAt(server);
    const outcome = await loadApi(page, { base: '/api', pageSize: 4 });
    assert.deepEqual(Object.keys(outcome), ['ok'], JSON.stringify(outcome));
    await assertLoaded(page);
    const txPages = requests.filter((u) => u.includes('/api/transactions'));
    // 25 sales in pages of 4: 7 pages (the last short); 9 members: 3 pages.
    assert.equal(txPages.length, Math.ceil(sales.length / 4), txPages.join('\n'));
    assert.equal(requests.filter((u) => u.includes('/api/members')).length, Math.ceil(members.length / 4));
    if (pages === 'page') assert.ok(txPages.some((u) => /[?&]page=7/.test(u)), txPages.join('\n'));
    else assert.ok(txPages.slice(1).every((u) => !/[?&]page=/.test(u)), 'cursor pages follow the server’s next');
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the load report of API records is the file import’s, and money in cents reads as yuan', async () => {
  const server = await apiServer([...data, '--dist', 'dist', '--money', 'cents']);
  const { page, context, errors } = await openAt(server, { hash: '#/data' });
  await loadApi(page, { base: '/api' });
  await assertLoaded(page);
  await page.getByTestId('file-report').first().waitFor();
  assert.equal(await page.getByTestId('file-report').count(), 2, 'members and transactions tables');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a 401 asks for a fresh token once; the token stays out of addresses and storage', async () => {
  // Each token works for two requests, then the server says it expired: in pages of 20, the
  // members' page and the first transactions' page go with the first token, the second
  // transactions' page is refused and goes again with a fresh one.
  const server = await apiServer([...data, '--dist', 'dist', '--token', 'fresh-2', '--token', 'first-1', '--token-max-uses', '2']);
  const { page, context, errors, requests } = await openAt(server);
  const asked = await page.evaluate(async () => {
    const tokens = ['first-1', 'fresh-2'];
    let calls = 0;
    const r = await window.memberDashboard.loadApi({ base: '/api', pageSize: 20, fetchToken: async () => tokens[Math.min(calls++, 1)] });
    return { calls, members: r.members };
  });
  assert.equal(asked.calls, 2, 'one token at the start, one after the 401');
  await assertLoaded(page);
  assert.ok(requests.every((u) => !u.includes('first-1') && !u.includes('fresh-2')), 'no token in any address');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes('first-1') && !stored.includes('fresh-2'), stored);
  // Without a token: the API wants a sign-in, and the words say where to give one.
  await page.evaluate(() => window.memberDashboard.setToken(''));
  const refused = await loadApi(page, { base: '/api' });
  assert.match(refused.error, /^the API wants a sign-in \(401\) at .*: enter a token under Data → Load from an API/);
  // A token that is refused even after asking for a fresh one.
  const wrong = await page.evaluate(() => window.memberDashboard.loadApi({ base: '/api', token: 'nope', fetchToken: async () => 'still-wrong' }).then(() => ({}), (e) => ({ error: e.message })));
  assert.match(wrong.error, /refused the credentials \(401\) at .*, also with a fresh token/);
  assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
  await context.close();
});

test('a malformed page names the page and the record; Retry goes on from it', async () => {
  const server = await apiServer([...data, '--dist', 'dist', '--malformed', 'transactions:2:record']);
  const { page, context, errors } = await openAt(server, { hash: '#/data' });
  const outcome = await loadApi(page, { base: '/api', pageSize: 4 });
  assert.match(outcome.error, /^page 2 of transactions \(.*\/api\/transactions.*\) cannot be read: record 3 is not an object$/);
  await page.getByTestId('error').waitFor();
  assert.match(await page.getByTestId('error').textContent(), /page 2 of transactions/);
  // The demo is still shown: nothing was loaded.
  assert.equal((await reportOf(page)).is_demo, true);
  // Retry asks for page 2 again (the server breaks it every time).
  const before = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/transactions')).length);
  await page.getByTestId('retry').click();
  await page.waitForFunction((n) => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/transactions')).length > n, before);
  await page.getByTestId('error').waitFor();
  const after = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/transactions')).length);
  assert.equal(after - before, 1, 'only the failed page is asked again');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a server that does not answer in time, and Cancel while pages arrive', async () => {
  const server = await apiServer([...data, '--dist', 'dist', '--delay-ms', '1500']);
  const { page, context } = await openAt(server);
  const late = await loadApi(page, { base: '/api', timeoutMs: 300 });
  assert.match(late.error, /did not answer within 1 seconds/);
  const pending = page.evaluate(() => window.memberDashboard.loadApi({ base: '/api', pageSize: 4 }).then(() => 'loaded', (e) => e.message));
  await page.getByTestId('progress').waitFor();
  assert.match(await page.getByTestId('progress').textContent(), /Fetching from the API/);
  await page.getByTestId('cancel').click();
  assert.equal(await pending, 'cancelled');
  await page.getByTestId('progress').waitFor({ state: 'hidden' });
  assert.equal((await reportOf(page)).is_demo, true);
  await context.close();
});

test('another origin: a CORS refusal says which headers to send; allowed, it loads', async () => {
  // The app on one origin with a policy that lets it connect to the API's origin.
  const refusing = await apiServer([...data]);
  const copy = fs.mkdtempSync(path.join(tmpdir(), 'md-dist-'));
  fs.cpSync('dist', copy, { recursive: true });
  configure(copy, { connect: [refusing.origin] });
  const appServer = await serve(copy);
  servers.push({ close: async () => appServer.close() });
  const appOrigin = `http://127.0.0.1:${appServer.address().port}`;
  // The allowing server must name the app's origin: restart it knowing it.
  const allowed = await apiServer([...data, '--token', 'tok', '--allow-origin', appOrigin]);
  const { page, context, errors } = await app.open({ at: `${appOrigin}/` });
  const refused = await loadApi(page, { base: `${refusing.origin}/api` });
  assert.match(refused.error, new RegExp(`did not let this page \\(${appOrigin.replace(/[.:/]/g, '\\$&')}\\)`));
  assert.match(refused.error, /Access-Control-Allow-Origin: http:\/\/127\.0\.0\.1:\d+/);
  assert.match(refused.error, /Access-Control-Expose-Headers: Link/);
  // Not allowed by the page's own policy: said so.
  const blocked = await loadApi(page, { base: `${allowed.origin}/api`, token: 'tok' });
  assert.match(blocked.error, /Content-Security-Policy does not allow connecting/);
  await context.close();
  configure(copy, { connect: [refusing.origin, allowed.origin] });
  const second = await app.open({ at: `${appOrigin}/` });
  const ok = await loadApi(second.page, { base: `${allowed.origin}/api`, token: 'tok', pageSize: 4 });
  assert.deepEqual(Object.keys(ok), ['ok'], JSON.stringify(ok));
  await assertLoaded(second.page);
  // Console errors are the browser's own words about the refused requests only.
  assert.deepEqual([...errors, ...second.errors].filter((e) => !/CORS|Content Security Policy|Failed to load resource|ERR_FAILED/.test(e)), []);
  await second.context.close();
});

test('the Data page form loads from an address typed in; the `api` URL option loads at start', async () => {
  const server = await apiServer([...data, '--dist', 'dist']);
  const { page, context, errors } = await openAt(server, { hash: '#/data' });
  // The same origin's API by its path, as the reference deployment has it.
  await page.getByTestId('api-base').fill('/api');
  await page.getByTestId('api-load').click();
  await page.waitForFunction(() => !window.memberDashboard.report().is_demo && !window.memberDashboard.report().busy);
  await assertLoaded(page);
  assert.deepEqual(errors, []);
  await context.close();
  const started = await app.open({ at: `${server.origin}/?api=/api`, ready: false });
  await started.page.waitForFunction(() => window.memberDashboard?.report().ready && !window.memberDashboard.report().busy, null, { timeout: 30_000 });
  await assertLoaded(started.page);
  await started.context.close();
});

test('the built page carries a Content-Security-Policy and works under it', async () => {
  const { page, context, errors } = await app.open({ ready: false });
  await page.evaluate(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.waitForFunction(() => window.memberDashboard?.report().ready && !window.memberDashboard.report().busy, null, { timeout: 30_000 });
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  const directive = (name) => csp.split(';').map((d) => d.trim()).find((d) => d.startsWith(`${name} `));
  assert.equal(directive('script-src'), "script-src 'self' 'wasm-unsafe-eval'");
  assert.equal(directive('connect-src'), "connect-src 'self'");
  assert.equal(directive('worker-src'), "worker-src 'self'");
  // (Leptos leaves an empty <script> as a marker in the body; it holds no code.)
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('script:not([src])')].map((s) => s.textContent.replace(/<!---->/g, '').trim()).filter(Boolean)), [], 'no inline script code');
  for (const hash of ['#/segments', '#/pyramid', '#/churn', '#/members', '#/work-lists', '#/data', '#/report']) {
    await page.evaluate((h) => { location.hash = h; }, hash);
    await page.waitForTimeout(400);
  }
  // An Excel export loads its own worker under the policy too.
  const blob = await page.evaluate(() => window.memberDashboard.exportList({ all: [] }, 'xlsx').then((b) => b.size));
  assert.ok(blob > 1000);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('403 and 404 are said in words; the portal’s cookie signs in', async () => {
  const server = await apiServer([...data, '--dist', 'dist', '--cookie', 'portal_session=s3cr3t', '--fail', 'transactions:1:403']);
  const { page, context, errors } = await openAt(server);
  const missing = await loadApi(page, { base: '/nothing-here', credentials: 'cookie' });
  assert.match(missing.error, /^there is nothing at .*\/nothing-here\/members\?page=1&size=1000 \(404\): check the API address$/);
  const noCookie = await loadApi(page, { base: '/api', credentials: 'cookie' });
  assert.match(noCookie.error, /refused the credentials \(401\)/);
  await context.addCookies([{ name: 'portal_session', value: 's3cr3t', url: server.origin }]);
  const forbidden = await loadApi(page, { base: '/api', credentials: 'cookie' });
  assert.match(forbidden.error, /does not allow this account to read .*\/api\/transactions.* \(403\)/);
  const failing = await apiServer([...data, '--dist', 'dist', '--fail', 'members:1:503']);
  const down = await app.open({ at: `${failing.origin}/` });
  const unavailable = await loadApi(down.page, { base: '/api' });
  assert.match(unavailable.error, /^the API had a problem \(503\) at .*: try again later \(the server says: “.+”\)$/);
  await down.context.close();
  assert.deepEqual(errors.filter((e) => !/40[134]/.test(e)), []);
  await context.close();
  const open = await apiServer([...data, '--dist', 'dist', '--cookie', 'portal_session=s3cr3t']);
  const second = await openAt(open);
  await second.context.addCookies([{ name: 'portal_session', value: 's3cr3t', url: open.origin }]);
  const ok = await loadApi(second.page, { base: '/api', credentials: 'cookie', pageSize: 4 });
  assert.deepEqual(Object.keys(ok), ['ok'], JSON.stringify(ok));
  await assertLoaded(second.page);
  await second.context.close();
});

test('whenIdle() waits for the pages, the analyses and the predictions', async () => {
  const server = await apiServer([...data, '--dist', 'dist', '--delay-ms', '150']);
  const { page, context, errors } = await openAt(server);
  const seen = await page.evaluate(async () => {
    const md = window.memberDashboard;
    md.loadApi({ base: '/api', pageSize: 4 });
    const busyAtStart = md.report().busy;
    await md.whenIdle();
    const r = md.report();
    return { busyAtStart, busy: r.busy, isDemo: r.is_demo, pending: r.predictions.pending, transactions: r.transactions };
  });
  assert.deepEqual(seen, { busyAtStart: true, busy: false, isDemo: false, pending: false, transactions: expected.transactions });
  assert.deepEqual(errors, []);
  await context.close();
});

test('embedded with api=: the host hands in the token by message when asked, and again after a 401', async () => {
  // The app and its API on one origin; each token works for one request.
  const server = await apiServer([...data, '--dist', 'dist', '--token', 'host-1', '--token', 'host-2', '--token-max-uses', '1']);
  const hostDir = fs.mkdtempSync(path.join(tmpdir(), 'md-host-'));
  fs.writeFileSync(path.join(hostDir, 'index.html'), `<!doctype html><meta charset="utf-8"><title>host</title><link rel="icon" href="data:,">
<iframe id="md" style="width:100%;height:600px;border:0"></iframe>
<script>
  window.asked = 0; window.seen = [];
  const dashboard = ${JSON.stringify(server.origin)};
  const frame = document.getElementById('md');
  window.addEventListener('message', (e) => {
    if (e.origin !== dashboard || e.data?.source !== 'member-dashboard') return;
    window.seen.push(e.data.type);
    if (e.data.type === 'tokenRequested') {
      window.asked += 1;
      frame.contentWindow.postMessage({ source: 'member-dashboard', command: 'setToken', token: 'host-' + Math.min(window.asked, 2) }, dashboard);
    }
  });
  frame.src = dashboard + '/?api=/api&origins=' + encodeURIComponent(location.origin);
</script>`);
  const hostServer = await serve(hostDir);
  servers.push({ close: async () => hostServer.close() });
  const { page, context, errors } = await app.open({ at: `http://localhost:${hostServer.address().port}/`, ready: false });
  await page.waitForFunction(() => window.seen.includes('dataLoaded') && window.seen.includes('predictionsFinished'), null, { timeout: 30_000 });
  const frame = page.frames().find((f) => f.url().startsWith(server.origin));
  const report = await frame.evaluate(() => window.memberDashboard.report());
  assert.equal(report.transactions, expected.transactions);
  assert.equal(report.members, expected.members);
  assert.equal(report.kpis.revenue_12m_cents, expected.revenue);
  // Asked at the start, and once more when the first token expired.
  assert.equal(await page.evaluate(() => window.asked), 2);
  assert.ok(frame.url().indexOf('host-') < 0, 'no token in the frame’s address');
  assert.deepEqual(errors.filter((e) => !/401/.test(e)), []);
  await context.close();
});

test('a next that leads back to a page already read stops with a clear message', async () => {
  // The app and a looping "API" as static files on one origin.
  const copy = fs.mkdtempSync(path.join(tmpdir(), 'md-loop-'));
  fs.cpSync('dist', copy, { recursive: true });
  fs.mkdirSync(path.join(copy, 'loop'));
  fs.writeFileSync(path.join(copy, 'loop', 'members'), JSON.stringify({ data: [{ member_id: 'A1' }], next: '/loop/members?page=1&size=1000' }));
  const looping = await serve(copy);
  servers.push({ close: async () => looping.close() });
  const { page, context, errors } = await app.open({ at: `http://127.0.0.1:${looping.address().port}/` });
  const outcome = await loadApi(page, { base: '/loop' });
  assert.match(outcome.error, /^the API's members lead back to a page already read \(http:\/\/127\.0\.0\.1:\d+\/loop\/members\?page=1&size=1000\): its paging never ends$/);
  assert.deepEqual(errors, []);
  await context.close();
});
