// Embedding: the example host page (examples/host.html) on one origin embeds the dashboard
// (dist/) served on another, both ways — with embed.js's mountMemberDashboard and as an iframe
// with URL options. Rows are handed in, events come back, the frame follows the content's
// height; commands from an origin not on the allow-list are ignored, malformed ones answered
// with an error; a token in the URL is ignored.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { launchOptions } from './browser.mjs';

let dashboardServer;
let hostServer;
let browser;
let dir;
let dashboard; // http://127.0.0.1:<port>/
let host; // http://127.0.0.1:<other port>: another origin

// Six members; twenty purchases, some by members of the list, two by a buyer not on it.
const members = ['E01', 'E02', 'E03', 'E04', 'E05', 'E06'].map((id, i) => ({
  member_id: id,
  name: `Member ${i + 1}`,
  join_date: `2023-0${i + 1}-10`,
}));
const transactions = Array.from({ length: 20 }, (_, i) => ({
  member_id: i < 18 ? members[i % 5].member_id : 'E99',
  date: `2024-${String(1 + (i % 6)).padStart(2, '0')}-${String(3 + i).padStart(2, '0')}`,
  amount: 50 + 7 * i,
}));
const rows = { members, transactions };
// Expected figures, from the rows written above: everyone named in either table is a member.
const expectedMembers = new Set([...members, ...transactions].map((r) => r.member_id)).size;
const expectedTransactions = transactions.length;

// A page of the host's origin that frames `src` (in its markup: the frame never shows
// about:blank first) and records every message it receives.
let framePages = 0;
function framePage(src) {
  const name = `frame-${++framePages}.html`;
  const attr = src.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
  fs.writeFileSync(path.join(dir, name), `<!doctype html><meta charset="utf-8"><title>frame host</title><link rel="icon" href="data:,">
<script>
  window.received = [];
  addEventListener('message', (ev) => window.received.push({ origin: ev.origin, data: ev.data }));
</script>
<iframe id="f" src="${attr}" style="width:1000px;height:700px"></iframe>`);
  return `${host}/${name}`;
}

before(async () => {
  dashboardServer = await serve('dist');
  dashboard = `http://127.0.0.1:${dashboardServer.address().port}/`;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'embed-host-'));
  fs.copyFileSync('examples/host.html', path.join(dir, 'host.html'));
  fs.writeFileSync(path.join(dir, 'rows.json'), JSON.stringify(rows));
  hostServer = await serve(dir);
  host = `http://127.0.0.1:${hostServer.address().port}`;
  browser = await chromium.launch(launchOptions());
});

after(async () => {
  await browser?.close();
  dashboardServer?.close();
  hostServer?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function open(url) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  // Console messages and errors of the page and of its frames.
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()} ${JSON.stringify(m.location())}`); });
  page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
  page.on('request', (r) => requests.push(r));
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`status ${r.status()}: ${r.url()}`); });
  await page.goto(url);
  return { page, context, errors, requests };
}

/// The frame in `iframeSelector`, once the dashboard in it has figures.
async function dashboardFrame(page, iframeSelector) {
  const handle = await page.waitForSelector(iframeSelector);
  const frame = await handle.contentFrame();
  await frame.waitForFunction(() => window.memberDashboard?.report().ready, null, { timeout: 30_000 });
  return frame;
}

const events = (page, via) => page.evaluate((via) => window.exampleEvents.filter((e) => e.via === via), via);

function waitForEvent(page, via, predicate, arg) {
  return page.waitForFunction(
    ([via, source, arg]) => window.exampleEvents.some((e) => e.via === via && new Function('e', 'arg', `return (${source})(e, arg)`)(e, arg)),
    [via, predicate.toString(), arg],
    { timeout: 30_000 },
  );
}

/// Waits until the mounted frame's height is the height reported last, and that is the
/// content's own height; returns it.
async function frameFollowsHeight(page, frame) {
  let last;
  for (let i = 0; i < 100; i++) {
    last = await page.evaluate(() => ({
      reported: window.exampleEvents.filter((e) => e.via === 'script' && e.type === 'heightChanged').at(-1)?.height,
      frame: document.querySelector('#dashboard-mount iframe').getBoundingClientRect().height,
    }));
    const content = await frame.evaluate(() => document.documentElement.offsetHeight);
    if (last.reported === last.frame && content === last.reported) return last.reported;
    await page.waitForTimeout(100);
  }
  assert.fail(`the frame's height did not follow the content: ${JSON.stringify(last)}`);
}

test('the example host mounts the dashboard with embed.js, sends rows and gets the events; the frame follows the height', async () => {
  const { page, context, errors } = await open(`${host}/host.html?dashboard=${encodeURIComponent(dashboard)}&rows=rows.json`);
  // The demo loads first in the frame; then the rows, whose predictions follow.
  await page.waitForFunction(() => {
    const got = window.exampleEvents.filter((e) => e.via === 'script');
    const loadedAt = got.findIndex((e) => e.type === 'dataLoaded' && !e.isDemo);
    return loadedAt >= 0 && got.some((e, i) => i > loadedAt && e.type === 'predictionsFinished');
  }, null, { timeout: 60_000 });
  const got = await events(page, 'script');
  const types = got.map((e) => e.type);
  assert.equal(types[0], 'ready', 'ready comes first');
  assert.ok(got.every((e) => e.source === 'member-dashboard'));
  const loaded = got.find((e) => e.type === 'dataLoaded' && !e.isDemo);
  assert.deepEqual(
    { dataset: loaded.dataset, members: loaded.members, transactions: loaded.transactions },
    { dataset: 'rows.json', members: expectedMembers, transactions: expectedTransactions },
  );
  const loadedAt = got.indexOf(loaded);
  assert.ok(types.indexOf('analysesFinished', loadedAt) > loadedAt, 'analyses finished after the rows were loaded');
  const predictedAt = got.findIndex((e, i) => i > loadedAt && e.type === 'predictionsFinished');
  assert.ok(predictedAt > loadedAt, `predictions after the rows: ${types.join(', ')}`);
  assert.ok(got.some((e) => e.type === 'commandDone' && e.command === 'load'), 'the load command answered');

  const frame = await dashboardFrame(page, '#dashboard-mount iframe');
  const reported = await frameFollowsHeight(page, frame);
  assert.ok(reported > 300, `a plausible height: ${reported}`);
  assert.equal(await frame.evaluate(() => document.documentElement.classList.contains('embedded')), true);
  // Inside the frame, the same data set.
  const report = await frame.evaluate(() => window.memberDashboard.report());
  assert.deepEqual([report.dataset, report.members, report.transactions], ['rows.json', expectedMembers, expectedTransactions]);

  // handle.load(rows) resolves with the dataLoaded event of those rows, and rejects when they
  // cannot be loaded.
  const three = transactions.filter((t) => ['E01', 'E02', 'E03'].includes(t.member_id));
  const again = await page.evaluate((transactions) => window.exampleDashboard.load({ transactions }, 'three.json'), three);
  assert.deepEqual([again.type, again.dataset, again.members, again.transactions], ['dataLoaded', 'three.json', 3, three.length]);
  const refused = await page.evaluate(() => window.exampleDashboard.load({ orders: [] }).then(() => 'resolved', (e) => e.message));
  assert.equal(refused, '`rows.orders` is not members or transactions');
  const unreadable = await page.evaluate(() => window.exampleDashboard.load({ transactions: [{ member_id: 'A' }] }).then(() => 'resolved', (e) => e.message));
  assert.notEqual(unreadable, 'resolved');
  // Commands answer with the command's event; the page changed.
  const done = await page.evaluate(() => window.exampleDashboard.navigate('churn'));
  assert.deepEqual([done.type, done.command], ['commandDone', 'navigate']);
  await waitForEvent(page, 'script', (e) => e.type === 'pageChanged' && e.page === 'churn');
  await frameFollowsHeight(page, frame);

  // A member's dialog opens in the part of the frame the host shows, not at the frame's top
  // out of sight (the host page is scrolled 300 px into the frame).
  await page.evaluate(() => window.exampleDashboard.setFilter({ search: 'E0' }));
  await frame.getByTestId('members-page').waitFor();
  await frame.locator('.vt-row:not(.loading)').first().waitFor();
  const frameTop = await page.evaluate(() => document.querySelector('#dashboard-mount iframe').getBoundingClientRect().top + scrollY);
  await page.evaluate((y) => scrollTo(0, y), frameTop + 300);
  await frame.waitForFunction(() => Math.abs(parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--embed-visible-top')) - 300) < 20);
  await frame.evaluate(() => document.querySelector('.vt-row:not(.loading)').click());
  await frame.locator('.member-dialog').waitFor();
  const dialog = await frame.evaluate(() => document.querySelector('.member-dialog').getBoundingClientRect().toJSON());
  assert.ok(dialog.top >= 290 && dialog.top <= 340, `the dialog's top in the frame: ${dialog.top}`);
  assert.ok(dialog.bottom <= 300 + 900 + 10, `the dialog's bottom in the frame: ${dialog.bottom}`);
  assert.ok(await page.evaluate(() => window.exampleEvents.some((e) => e.via === 'script' && e.type === 'memberOpened' && /^E0/.test(e.id))));
  assert.deepEqual(errors, []);
  await context.close();
});

test('as an iframe: header and navigation hidden, Chinese; navigate and setFilter change the page; a malformed command gets an error', async () => {
  const { page, context, errors } = await open(`${host}/host.html?dashboard=${encodeURIComponent(dashboard)}&rows=rows.json`);
  const frame = await dashboardFrame(page, '#dashboard-frame');
  assert.equal(await frame.locator('.app-header').count(), 0);
  assert.equal(await frame.locator('.app-nav').count(), 0);
  assert.equal(await frame.locator('.app-footer').count(), 1, 'the rest of the frame is there');
  assert.equal(await frame.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.equal(await frame.locator('[data-kpi="members"] .kpi-label').textContent(), '会员数');
  // Nothing of the URL's options was saved as the user's preference.
  assert.equal(await frame.evaluate(() => localStorage.getItem('member-dashboard.language')), null);
  await waitForEvent(page, 'iframe', (e) => e.type === 'heightChanged');

  const origin = new URL(dashboard).origin;
  const send = (message) => page.evaluate(([message, origin]) => {
    document.getElementById('dashboard-frame').contentWindow.postMessage(message, origin);
  }, [message, origin]);
  const historyBefore = await page.evaluate(() => history.length);

  await send({ source: 'member-dashboard', command: 'navigate', page: 'churn', id: 'n1' });
  await waitForEvent(page, 'iframe', (e) => e.type === 'commandDone' && e.id === 'n1' && e.command === 'navigate');
  await waitForEvent(page, 'iframe', (e) => e.type === 'pageChanged' && e.page === 'churn');
  assert.equal(await frame.evaluate(() => location.hash), '#/churn');

  const filter = { all: [{ by: 'rfm', any: ['champions'] }], search: 'E0' };
  await send({ command: 'setFilter', filter, id: 7 });
  await waitForEvent(page, 'iframe', (e) => e.type === 'commandDone' && e.id === 7);
  await waitForEvent(page, 'iframe', (e, f) => e.type === 'filterChanged' && JSON.stringify(e.filter) === JSON.stringify(f), filter);
  await waitForEvent(page, 'iframe', (e) => e.type === 'pageChanged' && e.page === 'members');
  assert.match(await frame.evaluate(() => location.hash), /^#\/members\?filter=/);
  await frame.getByTestId('members-page').waitFor();
  // Commands replace the frame's location: the host's back button is not filled with them.
  assert.equal(await page.evaluate(() => history.length), historyBefore);

  // Malformed commands from the allowed origin: an error naming what was wrong, with the id.
  await send({ command: 'navigate', page: 'nowhere', id: 'bad1' });
  await send({ command: 'setTheme', id: 'bad2' });
  await send({ command: 'fly', id: 'bad3' });
  await send('load');
  await waitForEvent(page, 'iframe', (e) => e.type === 'error' && e.id === 'bad3');
  await waitForEvent(page, 'iframe', (e) => e.type === 'error' && e.detail.startsWith('a message must be an object'));
  const bad = (await events(page, 'iframe')).filter((e) => e.type === 'error');
  assert.match(bad.find((e) => e.id === 'bad1').detail, /^`page` must be one of/);
  assert.equal(bad.find((e) => e.id === 'bad2').detail, '`theme` is missing');
  assert.match(bad.find((e) => e.id === 'bad3').detail, /^`command` must be one of load, setFilter/);
  assert.equal(await frame.evaluate(() => location.hash.startsWith('#/members')), true, 'nothing changed');

  // setLocale and setTheme apply without being saved.
  await send({ command: 'setLocale', locale: 'en', id: 'l' });
  await send({ command: 'setTheme', theme: 'dark', id: 't' });
  await waitForEvent(page, 'iframe', (e) => e.type === 'commandDone' && e.id === 't');
  assert.equal(await frame.evaluate(() => document.documentElement.lang), 'en');
  assert.equal(await frame.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.deepEqual(await frame.evaluate(() => [localStorage.getItem('member-dashboard.language'), localStorage.getItem('member-dashboard.theme')]), [null, null]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an origin not on the allow-list: its commands are ignored, nothing is answered or sent to it', async () => {
  const src = `${dashboard}?origins=${encodeURIComponent('https://portal.example')}`;
  const { page, context, errors } = await open(framePage(src));
  const frame = await dashboardFrame(page, '#f');
  // What the dashboard tells scripts inside the frame, to see that it answered nothing.
  await frame.evaluate(() => {
    window.seen = [];
    window.addEventListener('member-dashboard', (e) => window.seen.push(e.detail));
  });
  const hashBefore = await frame.evaluate(() => location.hash);
  await page.evaluate(() => {
    const target = document.getElementById('f').contentWindow;
    target.postMessage({ source: 'member-dashboard', command: 'navigate', page: 'churn', id: 1 }, '*');
    target.postMessage({ command: 'setFilter', filter: { search: 'x' }, id: 2 }, '*');
    target.postMessage({ command: 'load', rows: { transactions: [] }, id: 3 }, '*');
    target.postMessage({ command: 'nonsense', id: 4 }, '*');
  });
  // A command the page takes is answered within a frame or two; give it far longer.
  await page.waitForTimeout(1500);
  assert.deepEqual(await frame.evaluate(() => window.seen.map((e) => e.type)), []);
  assert.equal(await frame.evaluate(() => location.hash), hashBefore);
  assert.equal(await frame.evaluate(() => window.memberDashboard.report().is_demo), true, 'the demo is still loaded');
  assert.deepEqual(await page.evaluate(() => window.received), [], 'nothing at all goes to a parent not allowed');
  // The frame's own events do reach its scripts: the silence above is the allow-list's.
  await frame.evaluate(() => { location.hash = '#/churn'; });
  await frame.waitForFunction(() => window.seen.some((e) => e.type === 'pageChanged' && e.page === 'churn'));
  assert.deepEqual(await page.evaluate(() => window.received), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a token in the URL is ignored, reported and taken out of the address', async () => {
  const secret = 's3cret-token-in-url';
  const src = `${dashboard}?origins=${encodeURIComponent(host)}&token=${secret}&theme=pink`;
  const { page, context, errors, requests } = await open(framePage(src));
  const frame = await dashboardFrame(page, '#f');
  await page.waitForFunction(() => window.received.filter((m) => m.data?.type === 'error').length >= 2, null, { timeout: 10_000 });
  const received = await page.evaluate(() => window.received);
  assert.ok(received.every((m) => m.origin === new URL(src).origin && m.data.source === 'member-dashboard'));
  assert.equal(received[0].data.type, 'ready');
  const details = received.filter((m) => m.data.type === 'error').map((m) => m.data.detail);
  assert.ok(details.some((d) => /`token` was ignored/.test(d)), details.join(' | '));
  assert.ok(details.some((d) => /`theme=pink` was ignored: expected dark or light/.test(d)), details.join(' | '));
  assert.ok(!JSON.stringify(received).includes(secret), 'the token is not repeated');
  // Out of the frame's address (the other options stay), so what the page loads from then on
  // does not carry it in its Referer.
  assert.equal(await frame.evaluate(() => location.search), `?origins=${encodeURIComponent(host)}&theme=pink`);
  const later = requests.filter((r) => /worker/.test(r.url()));
  assert.ok(later.length > 0, 'the worker was loaded');
  assert.deepEqual(later.filter((r) => JSON.stringify(r.headers()).includes(secret)).map((r) => r.url()), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('embed.js passes a store scope: the frame shows only those stores\' members', async () => {
  // A host page of its own: embed.js mounts the demo scoped to one store.
  const name = 'stores.html';
  fs.writeFileSync(path.join(dir, name), `<!doctype html><meta charset="utf-8"><title>stores</title><link rel="icon" href="data:,">
<div id="mount"></div>
<script src="${new URL('embed.js', dashboard).href}"></script>
<script>mountMemberDashboard(document.getElementById('mount'), { url: '${dashboard}', stores: ['静安店'] });</script>`);
  const { page, context, errors } = await open(`${host}/${name}`);
  const frame = await dashboardFrame(page, '#mount iframe');
  assert.match(await page.locator('#mount iframe').getAttribute('src'), /[?&]stores=%E9%9D%99%E5%AE%89%E5%BA%97(&|$)/);
  await frame.waitForFunction(() => window.memberDashboard.report().scope?.length === 1);
  const r = await frame.evaluate(() => window.memberDashboard.report());
  assert.deepEqual(r.scope, ['静安店']);
  // Every store is still offered; the figures are the one store's row of the comparison.
  assert.ok(r.stores.includes('静安店') && r.stores.length >= 2, JSON.stringify(r.stores));
  const row = r.store_rows.find((s) => s.store === '静安店');
  assert.equal(r.kpis.members, row.members);
  assert.equal(r.kpis.revenue_12m_cents, row.revenue_12m_cents);
  assert.ok(row.members < r.store_rows.reduce((n, s) => n + s.members, 0));
  assert.deepEqual(errors, []);
  await context.close();
});
