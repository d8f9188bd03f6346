// A long load shows its progress and can be cancelled: the page goes back to what it showed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startApp, hiddenFileInput } from './harness.mjs';

let app;
let big;
before(async () => {
  // About 80 MB: long enough to see the progress bar and press Cancel.
  const lines = ['会员卡号,消费时间,实收金额,项目'];
  for (let i = 0; i < 2_000_000; i++) lines.push(`${880000 + (i % 50000)},2025-${String(1 + (i % 12)).padStart(2, '0')}-15,${(i % 900) + 10}.50,面膜`);
  big = path.join(mkdtempSync(path.join(tmpdir(), 'md-cancel-')), 'big.csv');
  writeFileSync(big, lines.join('\n'));
  app = await startApp();
});
after(async () => app?.close());

test('Cancel stops a load and keeps the data shown before', async () => {
  const { page, context, errors } = await app.open({ hash: '#/data' });
  await hiddenFileInput(page, 'cancel-input', big);
  const outcome = page.evaluate(() => window.memberDashboard.load(document.getElementById('cancel-input').files).then(() => 'resolved', (e) => e.message));
  // The progress bar moves while the worker reads.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=progress] progress')?.value) > 0.02);
  await page.getByTestId('cancel').click();
  assert.equal(await outcome, 'cancelled');
  // The demo comes back in a fresh worker, and the page still works.
  await page.waitForFunction(() => window.memberDashboard.report().is_demo && !window.memberDashboard.report().busy);
  assert.equal(await page.getByTestId('progress').count(), 0);
  assert.equal((await page.evaluate(() => window.memberDashboard.report())).members, 2000);
  assert.deepEqual(errors, []);
  await context.close();
});
