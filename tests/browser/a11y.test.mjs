// Accessibility: axe-core's WCAG 2.1 A and AA rules pass on every page, in English and Chinese,
// light and dark, with every fold and table view open (what a user can reach is checked, not
// only what shows first).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startApp, openAllDetails } from './harness.mjs';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const PAGES = ['overview', 'segments', 'pyramid', 'churn', 'members', 'work-lists', 'data', 'report'];
const LOCALES = ['en-US', 'zh-CN'];
const THEMES = ['light', 'dark'];

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

async function setTheme(page, theme) {
  const current = await page.evaluate(() => document.documentElement.dataset.theme);
  if (current !== theme) await page.getByTestId('theme-switch').click();
  await page.waitForFunction((t) => document.documentElement.dataset.theme === t, theme);
}


/// One line per failing element: rule, impact, selector, what axe says (for contrast: the colours
/// and the ratio), the element's text.
function describe(violations) {
  return violations.flatMap((v) => v.nodes.map((n) => {
    const contrast = n.any.find((c) => c.id === 'color-contrast')?.data;
    const detail = contrast
      ? `fg ${contrast.fgColor} on bg ${contrast.bgColor}, ratio ${contrast.contrastRatio} < ${contrast.expectedContrastRatio}`
      : (n.failureSummary ?? '').replace(/\s+/g, ' ').trim();
    return `${v.id} [${v.impact}] ${n.target.join(' ')} — ${detail} — ${n.html.slice(0, 140)}`;
  }));
}

for (const slug of PAGES) {
  for (const locale of LOCALES) {
    for (const theme of THEMES) {
      test(`axe WCAG 2.1 A/AA: #/${slug} ${locale} ${theme}`, async () => {
        const { page, context, errors } = await app.open({ hash: `#/${slug}`, locale, viewport: { width: 1440, height: 900 } });
        await page.waitForFunction(() => !window.memberDashboard.report().busy, null, { timeout: 60_000 });
        await setTheme(page, theme);
        await openAllDetails(page);
        await page.waitForTimeout(600); // chart and fold transitions settle
        // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') refuses inline script tags.
        await page.evaluate(AXE);
        const result = await page.evaluate(() => window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
        }));
        // axe really ran its rules on this page (an empty result would pass vacuously).
        assert.ok(result.passes.length > 10, `axe passed only ${result.passes.length} rules`);
        const lines = describe(result.violations);
        assert.deepEqual(lines, [], `#/${slug} ${locale} ${theme}:\n  ${lines.join('\n  ')}`);
        assert.deepEqual(errors, []);
        await context.close();
      });
    }
  }
}
