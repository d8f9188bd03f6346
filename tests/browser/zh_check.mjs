// The word check of the zh-CN browser tests (zh_words, zh_load_words): the words allowed in
// Chinese, the English-word finder, and the reader of a page's texts.

export { openAllDetails } from './harness.mjs';

// Words that stay as they are in Chinese: model names and the RFM letters (FM = the F and M
// scores), file formats and encodings, units, key names, and the HTTP terms of the API form
// (Bearer, Cookie), which Chinese software keeps too.
export const ALLOWED = new Set([
  'BG', 'NBD', 'RFM', 'FM', 'RF', 'RM', 'Gamma', 'Pareto',
  'CSV', 'Parquet', 'parquet', 'XLSX', 'xlsx', 'XLS', 'xls', 'Excel', 'JSON', 'PNG', 'PDF', 'GBK', 'UTF', 'YAML', 'yaml',
  'HTTP', 'HTTPS', 'Bearer', 'Cookie',
  'pp', 'Ctrl',
]);

/// The English words in `text`: runs of Latin letters of two or more (single letters are the
/// models' symbols: R, F, M, r, a, b) that are not in `allowed`; tokens with digits (IDs, dates,
/// UTF-8) are not words.
export function englishWords(text, allowed) {
  const words = [];
  // Addresses, file paths and file names are not words: https://api.example.com/v1, /api,
  // api/openapi.yaml, monthly_aggregates.csv.
  const prose = text.replace(/\b[a-z][a-z+.-]*:\/\/\S+/gi, ' ').replace(/(^|\s)\/[\w\/.-]+/g, ' ').replace(/[\w.-]+(\/[\w.-]+)*\/[\w-]+\.[a-z]{2,5}\b/gi, ' ')
    .replace(/\b[\w-]+\.(csv|parquet|xlsx|xls|json|sql|txt)\b/gi, ' ');
  for (const token of prose.match(/[A-Za-z0-9][A-Za-z0-9_'’.-]*/g) ?? []) {
    if (/\d/.test(token)) continue;
    for (const w of token.split(/[-_.'’]/)) {
      if (w.length >= 2 && !allowed.has(w)) words.push(w);
    }
  }
  return words;
}

/// [where, text] pairs: each visible text node with its element, the accessible names and
/// tooltips, and each chart's drawn texts. Code samples (<code>, <pre>, <kbd>, <samp>) and
/// elements marked as another language (lang="en", e.g. the switch to English) are left out.
export function collectTexts() {
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

