// Language: the default follows the browser, the switch changes every label, the choice is kept.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

const navText = (page) => page.locator('.app-nav a[data-page="overview"]').textContent();
const kpiLabel = (page) => page.locator('[data-kpi="members"] .kpi-label').textContent();

test('English browser: English labels; the switch turns them Chinese and back', async () => {
  const { page, context, errors } = await app.open({ locale: 'en-US' });
  assert.equal(await navText(page), 'Overview');
  assert.equal(await kpiLabel(page), 'Members');
  await page.getByTestId('lang-switch').click();
  assert.equal(await navText(page), '总览');
  assert.equal(await kpiLabel(page), '会员数');
  assert.match(await page.locator('.chart').first().getAttribute('aria-label'), /每月营业额/);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  // Kept across a reload.
  await page.reload();
  await page.waitForFunction(() => window.memberDashboard?.report().ready);
  assert.equal(await navText(page), '总览');
  await page.getByTestId('lang-switch').click();
  assert.equal(await navText(page), 'Overview');
  assert.deepEqual(errors, []);
  await context.close();
});

test('Chinese browser: opens in Chinese', async () => {
  const { page, context, errors } = await app.open({ locale: 'zh-CN' });
  assert.equal(await navText(page), '总览');
  assert.match(await page.getByTestId('demo-banner').textContent(), /演示数据/);
  assert.deepEqual(errors, []);
  await context.close();
});
