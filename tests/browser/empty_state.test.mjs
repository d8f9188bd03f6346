// Nothing loaded: after a failed API load at start (`?api=/nope`, which the static server
// answers 404), the analysis pages say that no data is loaded and lead to the Data page instead
// of showing a page of zeros; once data arrives, they show figures again. In both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startApp } from './harness.mjs';

const words = {
  'en-US': JSON.parse(fs.readFileSync('locales/en.json', 'utf8')),
  'zh-CN': JSON.parse(fs.readFileSync('locales/zh-CN.json', 'utf8')),
};

let app;
before(async () => {
  app = await startApp();
});
after(async () => app?.close());

/// The browser's own line for the API's 404 is expected; nothing else may be.
const unexpected = (errors) => errors.filter((e) => !/Failed to load resource: .*404/.test(e));

async function openAfterFailedLoad(locale) {
  const opened = await app.open({ at: `${app.base}?api=/nope`, locale, ready: false });
  await opened.page.getByTestId('error').waitFor();
  return opened;
}

async function goTo(page, slug) {
  await page.evaluate((slug) => { location.hash = `#/${slug}`; }, slug);
  await page.waitForFunction((slug) => document.querySelector(`.app-nav a[data-page="${slug}"]`)?.getAttribute('aria-current') === 'page', slug);
}

for (const locale of ['en-US', 'zh-CN']) {
  const w = words[locale];
  test(`${locale}: the analysis pages say nothing is loaded and lead to the Data page`, async () => {
    const { page, context, errors } = await openAfterFailedLoad(locale);
    // The banner says why; it names the address that failed.
    assert.match(await page.getByTestId('error').textContent(), /\/nope\/members/);
    assert.equal(await page.evaluate(() => window.memberDashboard.report().ready), false);

    for (const slug of ['overview', 'segments', 'churn']) {
      await goTo(page, slug);
      const empty = page.getByTestId('empty-state');
      await empty.waitFor();
      assert.equal((await empty.locator('h2').textContent()).trim(), w.no_data, `${slug}: the sentence`);
      assert.equal(await page.locator('.kpi').count(), 0, `${slug}: no KPI cards`);
      assert.equal(await page.locator('.chart').count(), 0, `${slug}: no charts`);
      // The failure is said in the banner above: nothing more here.
      assert.equal(await empty.getByText(w.empty_hint).count(), 0, `${slug}: no hint beside a failure`);
      const link = empty.getByTestId('empty-load-data');
      assert.equal((await link.textContent()).trim(), w.empty_load_data);
      assert.equal(await link.getAttribute('href'), '#/data');
    }

    // Without a failure in the banner, the card says where data comes from.
    await page.getByTestId('error').getByRole('button', { name: w.dismiss }).click();
    await page.getByTestId('error').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('empty-state').getByText(w.empty_hint).count(), 1);

    // The link opens the Data page, which keeps its own content.
    await page.getByTestId('empty-load-data').click();
    await page.waitForFunction(() => location.hash === '#/data');
    await page.getByTestId('api-panel').waitFor();
    assert.equal(await page.getByTestId('empty-state').count(), 0, 'the Data page is not replaced');

    // Data arrives: the Overview shows figures again.
    await page.evaluate(() => window.memberDashboard.loadDemo());
    await page.waitForFunction(() => window.memberDashboard.report().ready, null, { timeout: 30_000 });
    await goTo(page, 'overview');
    const members = page.locator('[data-kpi="members"]');
    await members.waitFor();
    const shown = Number(await members.getAttribute('data-value'));
    assert.ok(shown > 0, `members shown: ${shown}`);
    assert.equal(shown, await page.evaluate(() => window.memberDashboard.report().members));
    assert.equal(await page.getByTestId('empty-state').count(), 0);

    assert.deepEqual(unexpected(errors), []);
    assert.ok(errors.length <= 2, `only the 404 lines: ${errors.join(' | ')}`);
    await context.close();
  });
}

test('demo=off: the page starts with nothing loaded, then shows the rows it is given', async () => {
  const { page, context, errors } = await app.open({ at: `${app.base}?demo=off`, ready: false });
  await page.getByTestId('empty-state').waitFor();
  await page.evaluate(() => window.memberDashboard.whenIdle());
  assert.equal(await page.evaluate(() => window.memberDashboard.report().ready), false);
  // Three members, four sales: what a host would send.
  const counts = await page.evaluate(async () => {
    const doc = {
      members: [{ member_id: 'A1', name: 'Ann' }, { member_id: 'A2', name: 'Bo' }, { member_id: 'A3', name: 'Cy' }],
      transactions: [
        { member_id: 'A1', date: '2025-03-01', amount: '10.00' },
        { member_id: 'A1', date: '2025-04-01', amount: '12.50' },
        { member_id: 'A2', date: '2025-04-02', amount: '8.00' },
        { member_id: 'A3', date: '2025-05-09', amount: '30.00' },
      ],
    };
    const file = new File([JSON.stringify(doc)], 'rows.json', { type: 'application/json' });
    const r = await window.memberDashboard.load([file]);
    return { members: r.members, transactions: r.transactions, demo: window.memberDashboard.report().is_demo };
  });
  assert.deepEqual(counts, { members: 3, transactions: 4, demo: false });
  await page.getByTestId('empty-state').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
  await context.close();
});
