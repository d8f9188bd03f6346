// The member detail dialog as a keyboard user meets it, on the demo's Members page (a member
// with purchases, categories, work lists, a chart), in English and Chinese, wide and on a phone:
// Enter on a row opens it, the focus moves inside, Tab and Shift+Tab go round every control of
// the dialog and wrap at both ends without leaving it or landing on anything hidden, Escape closes
// it, and the focus is back on the row that opened it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './harness.mjs';

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

/// Where the focus is: inside the dialog or not, visible or not, and a name for the report.
const focusState = (page) => page.evaluate(() => {
  const d = document.querySelector('[data-testid=member-detail]');
  const a = document.activeElement;
  const name = a ? `${a.tagName.toLowerCase()}${a.dataset?.testid ? `[data-testid=${a.dataset.testid}]` : ''} "${(a.textContent ?? '').trim().slice(0, 30)}"` : 'none';
  return {
    inside: !!d && !!a && d.contains(a) && a !== d,
    onDialog: !!d && a === d,
    visible: !!a && a.getClientRects().length > 0,
    name,
    key: a ? [...(d?.querySelectorAll('*') ?? [])].indexOf(a) : -1,
  };
});

/// The controls Tab should reach in the dialog: focusable and shown.
const reachable = (page) => page.evaluate(() => {
  const d = document.querySelector('[data-testid=member-detail]');
  const sel = 'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
  const all = [...d.querySelectorAll('*')];
  return [...d.querySelectorAll(sel)].filter((e) => e.getClientRects().length > 0 && !e.closest('[inert]')).map((e) => all.indexOf(e));
});

const CASES = [
  ['en-US', 'wide', { width: 1280, height: 800 }],
  ['zh-CN', 'wide', { width: 1280, height: 800 }],
  ['en-US', 'phone', { width: 390, height: 844 }],
];

for (const [locale, size, viewport] of CASES) {
  test(`member detail keeps the keyboard focus and gives it back (${locale}, ${size})`, async () => {
    const { page, context, errors } = await app.open({ hash: '#/members', locale, viewport });
    const row = page.locator('[data-testid=member-row]').first();
    await row.waitFor();
    const id = await row.getAttribute('data-id');
    await row.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByTestId('member-detail');
    await dialog.waitFor();
    assert.equal(await dialog.getAttribute('role'), 'dialog');
    assert.equal(await dialog.getAttribute('aria-modal'), 'true');
    await page.waitForFunction(() => document.querySelector('[data-testid=member-detail]')?.contains(document.activeElement));
    // Let the detail's content (chart, categories) arrive before counting its controls.
    await page.waitForTimeout(500);

    const controls = await reachable(page);
    assert.ok(controls.length >= 2, `the dialog has controls to go round (${controls.length})`);

    // Forward: every press lands inside on something shown; after a full round every control
    // was reached and the first comes back (the trap wraps instead of sticking).
    for (const [key, label] of [['Tab', 'Tab'], ['Shift+Tab', 'Shift+Tab']]) {
      const visited = [];
      for (let i = 0; i < controls.length * 2 + 2; i++) {
        await page.keyboard.press(key);
        const f = await focusState(page);
        assert.ok(f.inside || f.onDialog, `${label} ${i + 1}: focus left the dialog, to ${f.name}`);
        assert.ok(f.visible, `${label} ${i + 1}: focus on something hidden: ${f.name}`);
        visited.push(f.key);
      }
      const missed = controls.filter((c) => !visited.includes(c));
      assert.deepEqual(missed, [], `${label} never reached ${missed.length} of the dialog's ${controls.length} controls`);
      const firstSeen = visited.indexOf(visited[0]);
      assert.ok(visited.indexOf(visited[0], firstSeen + 1) > 0, `${label} wrapped round (${visited.join(',')})`);
    }

    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const back = await page.evaluate(() => document.activeElement?.closest?.('[data-testid=member-row]')?.dataset.id ?? null);
    assert.equal(back, id, 'focus is back on the row that opened the dialog');
    assert.deepEqual(errors, []);
    await context.close();
  });
}
