// No English on the Chinese pages: every page in zh-CN with its folds and table views open; the
// visible text, the accessible names and tooltips (aria-label, title, placeholder, alt) and the
// text the charts draw on their canvas (read from ECharts' scene) hold no English word except
// model names, file formats, units and the data's own values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp } from './harness.mjs';

const PAGES = ['overview', 'segments', 'pyramid', 'churn', 'members', 'work-lists', 'data', 'report'];

// Words that stay as they are in Chinese: model names and the RFM letters (FM = the F and M
// scores), file formats and encodings, units, key names, and the HTTP terms of the API form
// (Bearer, Cookie), which Chinese software keeps too.
const ALLOWED = new Set([
  'BG', 'NBD', 'RFM', 'FM', 'RF', 'RM', 'Gamma', 'Pareto',
  'CSV', 'XLSX', 'xlsx', 'XLS', 'xls', 'Excel', 'JSON', 'PNG', 'PDF', 'GBK', 'UTF', 'YAML', 'yaml',
  'HTTP', 'HTTPS', 'Bearer', 'Cookie',
  'pp', 'Ctrl',
]);

/// The English words in `text`: runs of Latin letters of two or more (single letters are the
/// models' symbols: R, F, M, r, a, b) that are not in `allowed`; tokens with digits (IDs, dates,
/// UTF-8) are not words.
export function englishWords(text, allowed) {
  const words = [];
  // Addresses and file paths are not words: https://api.example.com/v1, /api, api/openapi.yaml.
  const prose = text.replace(/\b[a-z][a-z+.-]*:\/\/\S+/gi, ' ').replace(/(^|\s)\/[\w\/.-]+/g, ' ').replace(/[\w.-]+(\/[\w.-]+)*\/[\w-]+\.[a-z]{2,5}\b/gi, ' ');
  for (const token of prose.match(/[A-Za-z0-9][A-Za-z0-9_'’.-]*/g) ?? []) {
    if (/\d/.test(token)) continue;
    for (const w of token.split(/[-_.'’]/)) {
      if (w.length >= 2 && !allowed.has(w)) words.push(w);
    }
  }
  return words;
}

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());

async function openAllDetails(page) {
  for (let round = 0; round < 4; round++) {
    const opened = await page.evaluate(() => {
      const closed = [...document.querySelectorAll('details:not([open])')];
      closed.forEach((d) => { d.open = true; });
      return closed.length;
    });
    if (opened === 0) break;
    await page.waitForTimeout(150);
  }
}

/// [where, text] pairs: each visible text node with its element, the accessible names and
/// tooltips, and each chart's drawn texts. Code samples (<code>, <pre>, <kbd>, <samp>) and
/// elements marked as another language (lang="en", e.g. the switch to English) are left out.
function collectTexts() {
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      const id = e.dataset?.testid ? `[data-testid=${e.dataset.testid}]` : e.id ? `#${e.id}` : e.classList.length ? `.${[...e.classList].join('.')}` : '';
      parts.unshift(e.tagName.toLowerCase() + id);
    }
    return parts.join(' > ');
  };
  const excluded = (el) => !!el.closest('code, pre, kbd, samp, script, style, [lang]:not([lang^="zh"])');
  const visible = (el) => !!el.checkVisibility?.({ checkOpacity: false, checkVisibilityCSS: true }) || el.getClientRects().length > 0;
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    const text = n.textContent.trim();
    if (!text || !el || excluded(el)) continue;
    if (el.tagName === 'OPTION' ? !visible(el.closest('select')) : !visible(el)) continue;
    out.push([path(el), text]);
  }
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], input[type=button][value], input[type=submit][value]')) {
    if (excluded(el)) continue;
    for (const attr of ['aria-label', 'title', 'placeholder', 'alt', 'value']) {
      const v = attr === 'value' && !['button', 'submit'].includes(el.type) ? null : el.getAttribute(attr);
      if (v) out.push([`${path(el)} @${attr}`, v]);
    }
  }
  for (const el of document.querySelectorAll('.chart')) {
    const inst = window.echarts?.getInstanceByDom(el);
    if (!inst) continue;
    const label = el.getAttribute('aria-label') ?? '?';
    const walk = (node) => {
      if (node.type === 'text' && node.style?.text != null && !node.ignore && !node.invisible) {
        out.push([`chart "${label}" canvas text`, String(node.style.text)]);
      }
      for (const c of node.childrenRef?.() ?? []) walk(c);
      const inner = node.getTextContent?.();
      if (inner) walk(inner);
    };
    inst.getZr().storage.getRoots().forEach(walk);
    // Strings in the option that are shown on hover (series names in tooltips, formatters).
    const opt = inst.getOption();
    for (const s of opt.series ?? []) if (typeof s.name === 'string') out.push([`chart "${label}" series name`, s.name]);
    const formatters = [];
    const findFormatters = (o, key) => {
      if (typeof o === 'string' && key === 'formatter') formatters.push(o.replace(/\{[^}]*\}/g, ' '));
      else if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) findFormatters(v, k);
    };
    findFormatters(opt, '');
    for (const f of formatters) out.push([`chart "${label}" formatter`, f]);
  }
  return out;
}

for (const slug of PAGES) {
  test(`no English words on #/${slug} in zh-CN (folds and table views open, charts included)`, async () => {
    const { page, context, errors } = await app.open({ hash: `#/${slug}`, locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
    await page.waitForFunction(() => !window.memberDashboard.report().busy, null, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await openAllDetails(page);
    await page.waitForTimeout(1000); // charts in opened folds draw
    // The data's own values may be English: the data set's name (the demo's is bilingual).
    const dataset = await page.evaluate(() => String(window.memberDashboard.report().dataset ?? ''));
    const allowed = new Set([...ALLOWED, ...(dataset.match(/[A-Za-z]+/g) ?? [])]);
    const texts = await page.evaluate(collectTexts);
    assert.ok(texts.some(([, t]) => /[\u4e00-\u9fff]/.test(t)), 'the page shows Chinese text');
    // The charts' canvas text was read where the page draws charts (a reader that finds none would pass).
    const charts = await page.locator('.chart').count();
    if (charts > 0) assert.ok(texts.some(([w]) => w.endsWith('canvas text')), `read no canvas text from ${charts} charts`);
    const seen = new Set();
    const offending = [];
    for (const [where, text] of texts) {
      const words = englishWords(text, allowed);
      const line = `${where}: "${text.replace(/\s+/g, ' ').slice(0, 160)}" → ${[...new Set(words)].join(', ')}`;
      if (words.length && !seen.has(line)) { seen.add(line); offending.push(line); }
    }
    assert.deepEqual(offending, [], `#/${slug} zh-CN, ${offending.length} texts with English:\n  ${offending.join('\n  ')}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the word finder itself: finds English, passes model names, formats, units, IDs and dates', () => {
  const allowed = new Set([...ALLOWED, 'Liyan', 'Beauty']);
  assert.deepEqual(englishWords('每月营业额 Revenue by month', allowed), ['Revenue', 'by', 'month']);
  assert.deepEqual(englishWords('BG/NBD 参数 r 0.77, α 32.8; Gamma-Gamma; 导出 CSV、XLSX、PNG; UTF-8, GBK', allowed), []);
  assert.deepEqual(englishWords('M0001 · 2025-06-01 · ¥2,407 · 20% · +3.1 pp · 丽颜美容 · Liyan Beauty', allowed), []);
  assert.deepEqual(englishWords('R: 274 · F: 12.9 · At risk', allowed), ['At', 'risk']);
  assert.deepEqual(englishWords('见 api/openapi.yaml · https://api.example.com/v1 · /api · P(alive)', allowed), ['alive']);
});
