// Real server processes for the process-level tests (crash safety, shutdown, slow clients),
// started with test/helpers/process.ts and always cleaned up, even when a test fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { startServer, type ServerProcess } from '../../helpers/process.js';

const running: ServerProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const s of running.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'kapso-mock-robustness-'));
  dirs.push(d);
  return d;
}

/** Starts `node --import tsx src/cli.ts` on 127.0.0.1 with a free port (log level info unless `env` says otherwise); killed after the test. */
export async function spawnServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  // The start-up line (level info) is how the helper learns the port.
  const s = await startServer(env);
  running.push(s);
  return s;
}
