// Runs a Python snippet with the test venv's interpreter (openpyxl: an independent reader
// of the files the app writes; scripts/setup.sh installs them) and returns its JSON output.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const python = path.join(root, '.tools', 'test-venv', 'bin', 'python');

/** Runs `code` with `args` (sys.argv[1:]); the snippet prints one JSON value. */
export function runPython(code, ...args) {
  const out = execFileSync(python, ['-c', code, ...args], { encoding: 'utf8' });
  return JSON.parse(out);
}
