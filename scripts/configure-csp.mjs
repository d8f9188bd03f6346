// The built page's Content-Security-Policy. Run by scripts/build.sh after `trunk build`, and by
// whoever deploys the app when its API lives on another origin or a portal frames it:
//
//   node scripts/configure-csp.mjs [dist] [--connect-src "https://api.example.com"]
//                                         [--frame-ancestors "https://portal.example.com"]
//
// It (1) moves the start-up script Trunk writes inline into dist/boot.js, so scripts come only
// from the page's origin (no 'unsafe-inline'); (2) writes the policy as a <meta> into
// dist/index.html: scripts from 'self' plus 'wasm-unsafe-eval' (WebAssembly needs it),
// connect-src 'self' plus the origins given; (3) writes dist/csp-header.txt, the same policy
// with frame-ancestors, for the web server's `Content-Security-Policy` header (browsers ignore
// frame-ancestors in a <meta>). Running it again replaces the policy.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/// The policy's directives; `connect` and `frameAncestors` are lists of sources.
export function policy({ connect = [], frameAncestors = [] } = {}, { header = false } = {}) {
  const directives = [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    // Leptos and ECharts set style attributes; no script can come through a style.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ];
  if (header) directives.push(`frame-ancestors ${frameAncestors.length ? frameAncestors.join(' ') : "'self'"}`);
  return directives.join('; ');
}

const META = /<meta http-equiv="Content-Security-Policy"[^>]*>\n?/;
const INLINE_BOOT = /<script type="module">([\s\S]*?)<\/script>/;

/// Applies the policy to the built app in `dist`.
export function configure(dist, options = {}) {
  const index = path.join(dist, 'index.html');
  let html = fs.readFileSync(index, 'utf8');
  const boot = html.match(INLINE_BOOT);
  if (boot) {
    fs.writeFileSync(path.join(dist, 'boot.js'), boot[1].trim() + '\n');
    html = html.replace(INLINE_BOOT, '<script type="module" src="./boot.js"></script>');
  }
  if (/<script(?![^>]*\bsrc=)[^>]*>/.test(html)) throw new Error(`${index}: an inline script is left; the policy would block it`);
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy(options)}" />\n`;
  html = META.test(html) ? html.replace(META, meta) : html.replace(/(<meta charset[^>]*>\n)/, `$1    ${meta}`);
  fs.writeFileSync(index, html);
  fs.writeFileSync(path.join(dist, 'csp-header.txt'), `Content-Security-Policy: ${policy(options, { header: true })}\n`);
}

/// Sources from command-line words: origins only (a path is cut off, as CSP matches origins).
function sources(value) {
  return value.split(/[\s,]+/).filter(Boolean).map((s) => {
    if (s.startsWith("'")) return s;
    try { return new URL(s).origin; } catch { throw new Error(`"${s}" is not an origin like https://api.example.com`); }
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  let dist = 'dist';
  const options = { connect: [], frameAncestors: [] };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--connect-src') options.connect.push(...sources(args[++i] ?? ''));
    else if (args[i] === '--frame-ancestors') options.frameAncestors.push(...sources(args[++i] ?? ''));
    else dist = args[i];
  }
  configure(dist, options);
  console.log(fs.readFileSync(path.join(dist, 'csp-header.txt'), 'utf8').trim());
}
