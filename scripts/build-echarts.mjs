// Bundles scripts/echarts/entry.js (the chart types and components the dashboard uses) into
// target/echarts/echarts.min.js, which index.html copies into dist/. Run by scripts/build.sh.
import { build } from 'esbuild';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(path.join(root, 'target/echarts'), { recursive: true });
await build({
  entryPoints: [path.join(root, 'scripts/echarts/entry.js')],
  outfile: path.join(root, 'target/echarts/echarts.min.js'),
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  legalComments: 'eof',
  logLevel: 'warning',
});
