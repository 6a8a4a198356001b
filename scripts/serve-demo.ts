/**
 * `npm run demo`: builds the demo page (demo/ plus the library) into demo-dist/ and serves it on
 * 127.0.0.1. `--port N` or PORT picks the port (default 4173, or any free one if that is taken).
 * `--host 0.0.0.0` opens it to the local network, to try it on a phone (browsers grant the wake
 * lock only on https or localhost, so the phone flashes without it).
 */
import { join } from 'node:path';
import { buildDemo, ROOT } from './browser-bundle.js';
import { serveStatic, type StaticServer } from './static-server.js';

const DEFAULT_PORT = 4173;

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function requestedPort(): number | undefined {
  const value = flag('--port') ?? process.env.PORT;
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`demo: invalid port "${value}"`);
    process.exit(2);
  }
  return port;
}

const outDir = join(ROOT, 'demo-dist');
await buildDemo(outDir);
const port = requestedPort();
const host = flag('--host') ?? '127.0.0.1';
let server: StaticServer;
try {
  server = await serveStatic(outDir, port ?? DEFAULT_PORT, host);
} catch (err) {
  if (port !== undefined || (err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
  server = await serveStatic(outDir, 0, host);
}
console.log(`BlinkUp demo: ${server.url}`);
console.log(host === '127.0.0.1' ? '(this machine only; Ctrl+C stops it)' : `(listening on ${host}; Ctrl+C stops it)`);
process.on('SIGINT', () => {
  void server.close().then(() => process.exit(0));
});
