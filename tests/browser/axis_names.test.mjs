// No clipped axis names: on every page, wide and on a phone, with the folds open, each chart's
// axis names are drawn whole (not cut to "Vis…") and their boxes lie inside the chart's canvas;
// they do not sit on the legend; and the chart's PNG button covers none of the chart's text.
// The boxes are read from ECharts' own scene (zrender), in canvas pixels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, openAllDetails } from './harness.mjs';

const PAGES = ['overview', 'segments', 'pyramid', 'churn', 'members', 'work-lists', 'data', 'report'];
const VIEWPORTS = { wide: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } };

let app;
before(async () => { app = await startApp(); });
after(async () => app?.close());


/// Per drawn chart: its label, canvas size, the boxes of its axis names (with the full and the
/// drawn text), of its legend, of every text, and of its PNG button, all in canvas pixels.
function chartScenes() {
  const box = (el) => {
    const r = el.getBoundingRect().clone();
    const m = el.getComputedTransform();
    if (m) r.applyTransform(m);
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  };
  const drawnText = (el) => {
    const spans = el.childrenRef?.() ?? [];
    return spans.length ? spans.map((s) => s.style?.text ?? '').join('') : String(el.style?.text ?? '');
  };
  const scenes = [];
  for (const el of document.querySelectorAll('.chart')) {
    const inst = window.echarts?.getInstanceByDom(el);
    const label = el.getAttribute('aria-label') ?? '?';
    if (!inst) { scenes.push({ label, missing: true }); continue; }
    const names = [];
    const texts = [];
    const walk = (node) => {
      if (node.ignore || node.invisible) return;
      if (node.type === 'text' && node.style?.text) {
        const b = box(node);
        texts.push({ text: drawnText(node), ...b });
        if (node.anid === 'name' && node.__fullText != null) names.push({ name: String(node.__fullText), drawn: drawnText(node), ...b });
      }
      for (const c of node.childrenRef?.() ?? []) walk(c);
      const inner = node.getTextContent?.();
      if (inner) walk(inner);
    };
    inst.getZr().storage.getRoots().forEach(walk);
    const legends = [];
    for (const model of inst.getModel().findComponents({ mainType: 'legend' })) {
      const view = inst.getViewOfComponentModel(model);
      if (view?.group && !view.group.ignore && view.group.childCount() > 0) legends.push(box(view.group));
    }
    const canvas = el.getBoundingClientRect();
    const png = el.parentElement?.querySelector('[data-testid=chart-png]')?.getBoundingClientRect();
    scenes.push({
      label, width: inst.getWidth(), height: inst.getHeight(), names, texts, legends,
      png: png && png.width > 0 ? { x: png.x - canvas.x, y: png.y - canvas.y, width: png.width, height: png.height } : null,
    });
  }
  return scenes;
}

const fmtBox = (b) => `[x ${b.x.toFixed(1)}, y ${b.y.toFixed(1)}, w ${b.width.toFixed(1)}, h ${b.height.toFixed(1)}]`;
const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const SLACK = 0.5; // sub-pixel rounding of text metrics

async function scenesOf(slug, viewport) {
  const { page, context, errors } = await app.open({ hash: `#/${slug}`, locale: 'en-US', viewport });
  await page.waitForFunction(() => !window.memberDashboard.report().busy, null, { timeout: 60_000 });
  await openAllDetails(page);
  await page.waitForTimeout(1500); // charts in opened folds resize, animations end
  const scenes = await page.evaluate(chartScenes);
  await context.close();
  return { scenes, errors };
}

for (const slug of PAGES) {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    test(`axis names whole and inside the canvas, off the legend, clear of the PNG button: #/${slug} ${size}`, async () => {
      const { scenes, errors } = await scenesOf(slug, viewport);
      const problems = [];
      for (const s of scenes) {
        if (s.missing) { problems.push(`"${s.label}": no ECharts instance`); continue; }
        for (const n of s.names) {
          const where = `"${s.label}" axis name "${n.name}" ${fmtBox(n)} in canvas ${s.width}×${s.height}`;
          if (n.x < -SLACK || n.y < -SLACK || n.x + n.width > s.width + SLACK || n.y + n.height > s.height + SLACK) problems.push(`${where}: outside the canvas`);
          if (n.drawn.replace(/\s/g, '') !== n.name.replace(/\s/g, '')) problems.push(`${where}: drawn as "${n.drawn}"`);
          for (const l of s.legends) if (overlaps(n, l)) problems.push(`${where}: overlaps the legend ${fmtBox(l)}`);
        }
        if (s.png) {
          for (const t of s.texts) if (overlaps(t, s.png)) problems.push(`"${s.label}" text "${t.text}" ${fmtBox(t)} under the PNG button ${fmtBox(s.png)}`);
        }
      }
      assert.deepEqual(problems, [], `#/${slug} ${size}:\n  ${problems.join('\n  ')}`);
      assert.deepEqual(errors, []);
    });
  }
}

test('the scene reader finds the axis names the options give (the Pyramid page’s named axes)', async () => {
  const { scenes } = await scenesOf('pyramid', VIEWPORTS.wide);
  const names = scenes.flatMap((s) => s.names ?? []);
  // Every chart's drawn names are exactly its option's axis names (none missed by the reader).
  const { page, context } = await app.open({ hash: '#/pyramid', locale: 'en-US', viewport: VIEWPORTS.wide });
  const optionNames = await page.evaluate(() => [...document.querySelectorAll('.chart')].flatMap((el) => {
    const o = window.echarts.getInstanceByDom(el)?.getOption() ?? {};
    return [...(o.xAxis ?? []), ...(o.yAxis ?? [])].filter((a) => a.name && a.show !== false).map((a) => a.name);
  }));
  await context.close();
  assert.ok(optionNames.length >= 2, `the Pyramid page names its axes (${optionNames.join(', ')})`);
  assert.deepEqual(names.map((n) => n.name).sort(), optionNames.sort());
  assert.ok(names.every((n) => n.width > 0 && n.height > 0), 'name boxes have a size');
});
