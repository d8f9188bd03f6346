// The member detail dialog: a proper modal (focus moves in and stays in, Escape, Back and the
// backdrop close it, focus returns to the row that opened it, the history stays clean), the
// phone masked until "Show", and the categories bought with their last date as the test
// computes them from the rows it loads.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

const MEMBERS = [
  '会员卡号,姓名,手机号,生日',
  'M1,王静,13800000001,1990-07-01',
  'M2,李强,13900000002,1985-01-02',
].join('\n');

// M1: two rows of 面膜 on one day, a refund of 面霜 after its purchase (not a purchase: 面霜's
// last date stays in January), a free 护理 (a purchase of zero).
const SALES = [
  ['M1', '2025-01-10', 120, '面霜', '消费'],
  ['M1', '2025-03-05', 80, '面膜', '消费'],
  ['M1', '2025-03-05', 40, '面膜', '消费'],
  ['M1', '2025-04-02', 0, '护理', '消费'],
  ['M1', '2025-05-20', -120, '面霜', '退货'],
  ['M1', '2025-06-01', 60, '面膜', '消费'],
  ['M2', '2025-02-01', 50, '洁面', '消费'],
  ['M2', '2025-06-30', 70, '面膜', '消费'],
];
const SALES_CSV = ['会员卡号,消费时间,实收金额,项目,类型', ...SALES.map((r) => r.join(','))].join('\n');

/// M1's categories as the dialog must list them: [category, days bought, last date], the most
/// recently bought first; only purchases (sales of zero or more) count.
function expectedCategories(id) {
  const by = new Map();
  for (const [m, date, amount, cat, kind] of SALES) {
    if (m !== id || kind !== '消费' || amount < 0) continue;
    const c = by.get(cat) ?? { days: new Set(), last: '' };
    c.days.add(date);
    if (date > c.last) c.last = date;
    by.set(cat, c);
  }
  return [...by].map(([cat, c]) => [cat, String(c.days.size), c.last]).sort((a, b) => b[2].localeCompare(a[2]));
}

const isInDialog = (page) => page.evaluate(() => {
  const d = document.querySelector('[data-testid=member-detail]');
  return !!d && d.contains(document.activeElement) && document.activeElement !== d;
});
const activeRowId = (page) => page.evaluate(() => document.activeElement?.closest?.('[data-testid=member-row]')?.dataset.id ?? null);

async function openLoaded(viewport) {
  const opened = await app.open({ hash: '#/members', viewport });
  const { page } = opened;
  await page.evaluate(async ([m, s]) => window.memberDashboard.load([new File([m], 'members.csv'), new File([s], 'sales.csv')]), [MEMBERS, SALES_CSV]);
  await page.waitForFunction(() => !window.memberDashboard.report().busy);
  await page.locator('[data-testid=member-row][data-id="M1"]').waitFor();
  return opened;
}

async function openMember(page, id) {
  await page.locator(`[data-testid=member-row][data-id="${id}"]`).click();
  await page.getByTestId('member-detail').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=member-detail]')?.contains(document.activeElement));
}

test('the dialog holds the focus, closes on Escape, Back and the backdrop, and gives the focus back', async () => {
  const { page, context, errors } = await openLoaded();
  await openMember(page, 'M1');
  const dialog = page.getByTestId('member-detail');
  assert.equal(await dialog.getAttribute('role'), 'dialog');
  assert.equal(await dialog.getAttribute('aria-modal'), 'true');
  const labelledBy = await dialog.getAttribute('aria-labelledby');
  assert.match(await page.locator(`#${labelledBy}`).textContent(), /王静/);
  assert.ok(await isInDialog(page), 'focus moved into the dialog');

  // Tab and Shift+Tab never leave it.
  for (let i = 0; i < 20; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await isInDialog(page), `Tab ${i + 1} left the dialog`);
  }
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Shift+Tab');
    assert.ok(await isInDialog(page), `Shift+Tab ${i + 1} left the dialog`);
  }

  // Escape closes; the focus is back on the row; the dialog's history entry is gone.
  await page.keyboard.press('Escape');
  assert.equal(await dialog.count(), 0);
  assert.equal(await activeRowId(page), 'M1');
  await page.waitForFunction(() => history.state?.memberDialog !== true);

  // Back closes it and stays on the Members page.
  await openMember(page, 'M1');
  assert.equal(await page.evaluate(() => history.state?.memberDialog), true);
  await page.goBack();
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => location.hash.split('?')[0]), '#/members');
  assert.ok(await page.getByTestId('member-list').isVisible(), 'still on the Members page');
  assert.equal(await activeRowId(page), 'M1');

  // The close button and the backdrop close it too.
  await openMember(page, 'M2');
  await page.getByTestId('close-detail').click();
  assert.equal(await dialog.count(), 0);
  assert.equal(await activeRowId(page), 'M2');
  await page.waitForFunction(() => history.state?.memberDialog !== true);
  await openMember(page, 'M2');
  await page.mouse.click(5, 5);
  assert.equal(await dialog.count(), 0);
  await page.waitForFunction(() => history.state?.memberDialog !== true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the phone is masked until Show; categories carry their last date', async () => {
  const { page, context, errors } = await openLoaded();
  await openMember(page, 'M1');
  const phone = page.getByTestId('detail-phone');
  const show = page.getByTestId('show-phone');
  assert.equal(await phone.textContent(), '138****0001');
  assert.equal(await show.getAttribute('aria-pressed'), 'false');
  await show.click();
  assert.equal(await phone.textContent(), '13800000001');
  assert.equal(await show.getAttribute('aria-pressed'), 'true');

  const rows = await page.locator('[data-testid=detail-categories] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.cells].map((td) => td.textContent.trim())));
  assert.deepEqual(rows.map((r) => [r[0], r[1], r[2]]), expectedCategories('M1'));
  assert.deepEqual(expectedCategories('M1')[0], ['面膜', '2', '2025-06-01']);
  // The timeline chart is drawn.
  await page.locator('[data-testid=member-detail] .chart canvas').first().waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('on a phone the dialog fills the screen and scrolls inside', async () => {
  const viewport = { width: 390, height: 844 };
  const { page, context, errors } = await openLoaded(viewport);
  await openMember(page, 'M1');
  const box = await page.getByTestId('member-detail').boundingBox();
  assert.deepEqual([box.x, box.y, Math.round(box.width), Math.round(box.height)], [0, 0, viewport.width, viewport.height]);
  const scroll = await page.getByTestId('member-detail').evaluate((d) => ({ inner: d.scrollHeight, outer: d.clientHeight }));
  assert.ok(scroll.inner > scroll.outer, `the dialog scrolls (${scroll.inner} > ${scroll.outer})`);
  await page.getByTestId('member-detail').evaluate((d) => { d.scrollTop = d.scrollHeight; });
  // The close button stays in view.
  assert.ok(await page.getByTestId('close-detail').isVisible());
  const closeBox = await page.getByTestId('close-detail').boundingBox();
  assert.ok(closeBox.y >= 0 && closeBox.y < 80, `close button at ${closeBox.y}`);
  assert.deepEqual(errors, []);
  await context.close();
});
