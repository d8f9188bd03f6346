// The settings panel's shares are shown and typed as percentages (the engine keeps 0–1), and a
// value the engine refuses is said next to its field in the page's language, not in the banner:
// the field keeps what was typed and the figures stay at the settings last accepted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, settledReport } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

const report = settledReport;
const field = (page, key) => page.locator(`[data-testid=settings] input[data-setting=${key}]`);
const type = async (page, key, text) => {
  // Typed once the figures of the last change are in: a recompute re-renders the panel, and a
  // value typed into the field it replaces would be lost.
  await page.evaluate(() => window.memberDashboard.whenIdle());
  await field(page, key).fill(text);
  await field(page, key).dispatchEvent('change');
};
// The message of a refused value, once the field points to it.
const refusalOf = async (page, key) => {
  await page.waitForFunction((k) => document.querySelector(`[data-testid=settings] input[data-setting=${k}]`)?.getAttribute('aria-describedby'), key);
  return messageOf(page, key);
};
// The message the field points to (aria-describedby), or null when the field has none.
const messageOf = async (page, key) => {
  const id = await field(page, key).getAttribute('aria-describedby');
  if (!id) return null;
  const message = page.locator(`#${id}`);
  assert.equal(await message.getAttribute('role'), 'alert');
  return message.textContent();
};

test('a share is shown and typed as a percentage; a refused one is said next to its field', async () => {
  const { page, context, errors } = await app.open({ hash: '#/segments' });
  assert.equal((await report(page)).settings.high_spend_share, 0.2, 'the default of DOMAIN.md');
  assert.equal(await field(page, 'high_spend_share').inputValue(), '20');
  assert.equal(await page.locator('.setting-input:has(input[data-setting=high_spend_share]) .unit').textContent(), '%');
  assert.equal(await field(page, 'silent_ratio').inputValue(), '50');
  assert.equal(await field(page, 'monthly_discount_rate').inputValue(), '1');

  await type(page, 'high_spend_share', '15');
  await page.waitForFunction(() => window.memberDashboard.report().settings.high_spend_share === 0.15);
  assert.equal(await field(page, 'high_spend_share').inputValue(), '15');
  assert.equal(await messageOf(page, 'high_spend_share'), null);

  await type(page, 'high_spend_share', '150');
  assert.match(await refusalOf(page, 'high_spend_share'), /^“High spend: top share” must be between 0% and 100%\./);
  assert.equal(await field(page, 'high_spend_share').getAttribute('aria-invalid'), 'true');
  assert.equal(await field(page, 'high_spend_share').inputValue(), '150', 'the field keeps what was typed');
  let r = await report(page);
  assert.equal(r.settings.high_spend_share, 0.15, 'the settings in force are unchanged');
  assert.equal(r.error, null);
  assert.equal(await page.getByTestId('error').count(), 0, 'no banner at the top');

  // Fixing the value clears the message; decimals are taken.
  await type(page, 'high_spend_share', '12.5');
  await page.waitForFunction(() => window.memberDashboard.report().settings.high_spend_share === 0.125);
  assert.equal(await messageOf(page, 'high_spend_share'), null);
  assert.equal(await field(page, 'high_spend_share').getAttribute('aria-invalid'), null);
  assert.equal(await page.locator('[data-testid=settings] [role=alert]').count(), 0);

  // A rule between two fields: lost must be longer than sleeping (365 days).
  await type(page, 'lost_days', '300');
  assert.match(await refusalOf(page, 'lost_days'), /^“Lost after.*” must be longer than “Sleeping after.*”/);
  r = await report(page);
  assert.equal(r.settings.lost_days, 730);
  assert.equal(r.error, null);
  assert.equal(await page.getByTestId('error').count(), 0);
  await type(page, 'lost_days', '800');
  await page.waitForFunction(() => window.memberDashboard.report().settings.lost_days === 800);
  assert.equal(await messageOf(page, 'lost_days'), null);
  assert.deepEqual(errors, []);
  await context.close();
});

test('in Chinese the message next to the field is Chinese', async () => {
  const { page, context, errors } = await app.open({ hash: '#/segments', locale: 'zh-CN' });
  await type(page, 'high_spend_share', '150');
  assert.match(await refusalOf(page, 'high_spend_share'), /^“高消费：前百分比”须在 0% 到 100% 之间，设置未更改。$/);
  // Not a number (a number field reads "abc" as empty).
  await type(page, 'silent_ratio', '');
  assert.match(await refusalOf(page, 'silent_ratio'), /^“沉默：低于平时频率的比例”不是有效数字，设置未更改。$/);
  const r = await report(page);
  assert.equal(r.settings.high_spend_share, 0.2);
  assert.equal(r.settings.silent_ratio, 0.5);
  assert.equal(await page.getByTestId('error').count(), 0);
  // Switching the language says it again in English.
  await page.getByTestId('lang-switch').click();
  assert.match(await refusalOf(page, 'high_spend_share'), /^“High spend: top share” must be between 0% and 100%\./);
  assert.deepEqual(errors, []);
  await context.close();
});
