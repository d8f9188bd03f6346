// Starts the reference API server (crates/api-server) for a browser test: built once per node
// process, spawned on a free port, stopped on close() and when node exits.
//   const api = await startApiServer(['--token', 't', '--allow-origin', origin]);
//   fetch(`${api.base}/transactions?page=1&size=100`) … ; await api.close();
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const binary = path.join(root, 'target', 'debug', process.platform === 'win32' ? 'api-server.exe' : 'api-server');
let built = false;
const running = new Set();

function build() {
  if (built) return;
  execFileSync('cargo', ['build', '-q', '-p', 'member-api-server'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  built = true;
}

// A child left running would keep the port and the test run alive.
process.on('exit', () => { for (const child of running) child.kill('SIGKILL'); });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => { for (const child of running) child.kill('SIGKILL'); process.exit(130); });
}

/// Starts `api-server --port 0 ...args`; resolves once it listens. `log()` is what it wrote to
/// stderr (one line per request, never a token).
export async function startApiServer(args = [], { timeoutMs = 60_000 } = {}) {
  build();
  const child = spawn(binary, ['--port', '0', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => { stderr += d; });
  const origin = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => fail(new Error(`api-server did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    function fail(e) { clearTimeout(timer); lines.close(); child.kill('SIGKILL'); running.delete(child); reject(e); }
    lines.on('line', (line) => {
      const m = /^listening on (http:\/\/\S+)$/.exec(line.trim());
      // Later output (none is expected) keeps draining, so the pipe never fills.
      if (m) { clearTimeout(timer); lines.close(); child.stdout.resume(); resolve(m[1]); }
    });
    child.once('exit', (code) => fail(new Error(`api-server exited (${code}): ${stderr}`)));
    child.once('error', fail);
  });
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', resolve);
  });
  return {
    origin,
    base: `${origin}/api`,
    process: child,
    log: () => stderr,
    async close() {
      if (!running.has(child)) return;
      running.delete(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
