// The real process: start-up line, configuration from the environment, persistence of a
// file database across restarts, graceful shutdown on SIGTERM/SIGINT.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from './helpers/process.js';

const running: ServerProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of running.splice(0)) s.child.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'kapso-mock-'));
  dirs.push(d);
  return d;
};
const start = async (env: Record<string, string> = {}) => {
  const s = await startServer(env);
  running.push(s);
  return s;
};

describe('npm start', () => {
  it('logs one line with the URL and the seeded keys, and serves the API', async () => {
    const s = await start();
    expect(s.output()).toMatch(/kapso-mock listening on http:\/\/127\.0\.0\.1:\d+\/api\/v1 .*Demo Project: kapso-demo-key, Other Project: kapso-other-key/);
    const health = await fetch(`${s.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    const agents = await fetch(`${s.url}/api/v1/agents`, { headers: { 'X-API-Key': 'kapso-demo-key' } });
    expect(agents.status).toBe(200);
    expect(((await agents.json()) as { data: unknown[] }).data).toHaveLength(2);
  });

  it('KAPSO_MOCK_API_KEY replaces the Demo Project key and is not printed', async () => {
    const s = await start({ KAPSO_MOCK_API_KEY: 'my-secret-key-123' });
    expect(s.output()).not.toContain('my-secret-key-123');
    const ok = await fetch(`${s.url}/api/v1/agents`, { headers: { 'X-API-Key': 'my-secret-key-123' } });
    expect(ok.status).toBe(200);
    const old = await fetch(`${s.url}/api/v1/agents`, { headers: { 'X-API-Key': 'kapso-demo-key' } });
    expect(old.status).toBe(401);
  });

  it('refuses a bad setting with a message naming it', async () => {
    await expect(startServer({ PORT: 'eighty' }, 10_000)).rejects.toThrow(/PORT/);
  });

  it('refuses bad fixtures with a message naming the record', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ projects: [{ id: '33333333-3333-4333-8333-333333333333', name: 'P', api_key: 'k', customers: [{ id: 'nope', name: 'X', external_customer_id: 'E' }] }] }));
    await expect(startServer({ KAPSO_MOCK_FIXTURES: file }, 10_000)).rejects.toThrow(/bad\.json[\s\S]*customers\[0\] "X" \(nope\) > id: must be a lowercase UUID v4/);
  });
});

describe('file database (KAPSO_MOCK_DB)', () => {
  it('is seeded when new and kept across restarts', async () => {
    const db = join(tempDir(), 'state.db');
    const first = await start({ KAPSO_MOCK_DB: db });
    const created = await fetch(`${first.url}/api/v1/customers`, {
      method: 'POST',
      headers: { 'X-API-Key': 'kapso-demo-key', 'Content-Type': 'application/json' },
      body: JSON.stringify({ customer: { name: 'Survivor Inc', external_customer_id: 'SURV-1' } }),
    });
    expect(created.status).toBe(201);
    const { data } = (await created.json()) as { data: { id: string } };
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const second = await start({ KAPSO_MOCK_DB: db });
    const res = await fetch(`${second.url}/api/v1/customers/${data.id}`, { headers: { 'X-API-Key': 'kapso-demo-key' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: { name: string } }).data.name).toBe('Survivor Inc');
    // Not seeded twice: the fixtures' three customers plus the new one.
    const list = await fetch(`${second.url}/api/v1/customers`, { headers: { 'X-API-Key': 'kapso-demo-key' } });
    expect(((await list.json()) as { meta: { total_count: number } }).meta.total_count).toBe(4);
  });
});

describe('shutdown', () => {
  // The bound only tells "exits by itself" from "hangs until killed"; the time it takes is a
  // benchmark figure (npm run bench, docker-check), not something a unit test pins.
  it.each(['SIGTERM', 'SIGINT'] as const)('%s closes the server and exits 0 by itself', async (signal) => {
    const s = await start();
    const sent = Date.now();
    s.child.kill(signal);
    const { code, at } = await s.exited;
    expect(code).toBe(0);
    expect(at - sent).toBeLessThan(5000);
    expect(s.output()).toContain(`${signal}: finishing in-flight requests and closing`);
  });
});

describe('start-up failures', () => {
  it('a port in use ends with a clear message and exit 1', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await startServer({ PORT: String(port) }, 15_000).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/exited with 1 before listening[\s\S]*cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\): the port is in use/);
      expect((err as Error).message).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      blocker.close();
    }
  });
});
