// Embedding: startKapsoMock() and its admin client, as a test suite in another project uses
// them, over real sockets; and the kapso-mock command line.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AdminError, EMPTY_PROJECT_ID, startKapsoMock, type KapsoMock } from '../../src/index.js';
import { ids } from '../helpers/app.js';
import { ROOT, startServer, type ServerProcess } from '../helpers/process.js';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const NEW_PROJECT = '33333333-3333-4333-8333-333333333333';

const mocks: KapsoMock[] = [];
const processes: ServerProcess[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close().catch(() => undefined)));
  for (const p of processes.splice(0)) p.child.kill('SIGKILL');
});

async function start(options?: Parameters<typeof startKapsoMock>[0]) {
  const mock = await startKapsoMock(options);
  mocks.push(mock);
  return mock;
}

async function get(mock: KapsoMock, path: string, key = mock.apiKey) {
  const res = await fetch(`${mock.url}${path}`, { headers: key === undefined ? {} : { 'x-api-key': key } });
  return { status: res.status, body: (await res.json()) as any };
}

async function post(mock: KapsoMock, path: string, body: unknown, key = mock.apiKey) {
  const res = await fetch(`${mock.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key !== undefined && { 'x-api-key': key }) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Listening servers in this process, once closing handles have gone. */
async function listeningServers() {
  await new Promise((resolve) => setTimeout(resolve, 50));
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
}

describe('startKapsoMock()', () => {
  it('listens on 127.0.0.1 on a free port, with the bundled fixtures and the demo key', async () => {
    const mock = await start();
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(mock.origin).toBe(mock.url.slice(0, -'/api/v1'.length));
    expect(Number(new URL(mock.url).port)).toBeGreaterThan(0);
    expect(mock.apiKey).toBe('kapso-demo-key');

    const agents = await get(mock, '/agents');
    expect(agents.status).toBe(200);
    expect(agents.body.data.map((a: any) => a.id)).toEqual([ids.orderAgent, ids.supportAgent]);
    const health = await fetch(`${mock.origin}/health`);
    expect(health.status).toBe(200);
  });

  it('admin.reset() restores the fixtures', async () => {
    const mock = await start();
    const created = await post(mock, '/customers', { customer: { name: 'Temp', external_customer_id: 'TMP-1' } });
    expect(created.status).toBe(201);
    expect(await mock.admin.reset()).toEqual({ data: { scope: 'all', took_ms: expect.any(Number) } });
    expect((await get(mock, `/customers/${created.body.data.id}`)).status).toBe(404);
    expect((await get(mock, '/customers')).body.meta.total_count).toBe(3);
  });

  it('admin.reset(projectId) resets one project', async () => {
    const mock = await start();
    await post(mock, '/customers', { customer: { name: 'Temp', external_customer_id: 'TMP-1' } });
    await post(mock, '/customers', { customer: { name: 'Other Temp', external_customer_id: 'TMP-2' } }, 'kapso-other-key');
    expect(await mock.admin.reset(ids.demoProject)).toMatchObject({ data: { scope: 'project', project_id: ids.demoProject } });
    expect((await get(mock, '/customers')).body.meta.total_count).toBe(3);
    expect((await get(mock, '/customers', 'kapso-other-key')).body.meta.total_count).toBe(2);
  });

  it('admin.snapshot(), restore() and deleteSnapshot() round-trip', async () => {
    const mock = await start();
    await post(mock, '/customers', { customer: { name: 'Saved', external_customer_id: 'SAVED-1' } });
    expect(await mock.admin.snapshot('saved')).toEqual({ data: { name: 'saved', created_at: expect.any(String) } });
    await mock.admin.reset();
    expect((await get(mock, '/customers')).body.meta.total_count).toBe(3);
    await mock.admin.restore('saved');
    expect((await get(mock, '/customers')).body.data[0].name).toBe('Saved');
    await mock.admin.deleteSnapshot('saved');
    const err = await mock.admin.restore('saved').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdminError);
    expect(err).toMatchObject({ status: 404, body: { error: 'Snapshot not found' } });
  });

  it('admin.loadFixtures() merges or replaces', async () => {
    const mock = await start();
    const doc = { projects: [{ id: NEW_PROJECT, name: 'Loaded', api_key: 'loaded-key' }] };
    expect(await mock.admin.loadFixtures(doc)).toEqual({ data: { mode: 'merge', project_ids: [NEW_PROJECT] } });
    expect((await get(mock, '/customers', 'loaded-key')).status).toBe(200);
    expect((await get(mock, '/customers')).status).toBe(200);
    await mock.admin.loadFixtures(doc, 'replace');
    expect((await get(mock, '/customers')).status).toBe(401);
  });

  it('admin.createProject() gives an isolated sandbox; deleteProject() removes it', async () => {
    const mock = await start();
    const a = await mock.admin.createProject({ seed: true });
    const b = await mock.admin.createProject({ seed: true, name: 'Job B' });
    expect(a).toMatchObject({ origin: 'sandbox', seeded_from: ids.demoProject, api_key: expect.any(String) });
    expect(b.name).toBe('Job B');
    await post(mock, '/customers', { customer: { name: 'Only A', external_customer_id: 'A-1' } }, a.api_key);
    expect((await get(mock, '/customers', a.api_key)).body.meta.total_count).toBe(4);
    expect((await get(mock, '/customers', b.api_key)).body.meta.total_count).toBe(3);
    expect((await get(mock, '/customers')).body.meta.total_count).toBe(3);
    await mock.admin.deleteProject(a.id);
    expect((await get(mock, '/customers', a.api_key)).status).toBe(401);
  });

  it('admin.requests(), countRequests() and clearRequests() read the journal', async () => {
    const mock = await start();
    await get(mock, '/agents');
    await post(mock, '/customers', { customer: { name: 'J', external_customer_id: 'J-1' } });
    const all = await mock.admin.requests();
    expect(all.map((r) => [r.method, r.path, r.status])).toEqual([['POST', '/api/v1/customers', 201], ['GET', '/api/v1/agents', 200]]);
    expect(all[0]!.headers['x-api-key']).toBe('[redacted]');
    expect((await mock.admin.requests({ method: 'GET' })).map((r) => r.path)).toEqual(['/api/v1/agents']);
    expect(await mock.admin.countRequests({ path: '/api/v1/*' })).toBe(2);
    await mock.admin.clearRequests();
    expect(await mock.admin.countRequests()).toBe(0);
  });

  it('admin.waitForRequests() resolves once the requests arrive', async () => {
    const mock = await start();
    const waiting = mock.admin.waitForRequests({ method: 'POST', path: '/api/v1/customers', count: 2, timeout_ms: 20_000 });
    await post(mock, '/customers', { customer: { name: 'W1', external_customer_id: 'W-1' } });
    await post(mock, '/customers', { customer: { name: 'W2', external_customer_id: 'W-2' } });
    const seen = await waiting;
    expect(seen.map((r) => (r.body as any).customer.name)).toEqual(['W2', 'W1']);
  });

  it('admin.waitForRequests() rejects on timeout with a clear message', async () => {
    const mock = await start();
    await post(mock, '/customers', { customer: { name: 'W1', external_customer_id: 'W-1' } });
    await expect(mock.admin.waitForRequests({ path: '/api/v1/customers', count: 3, timeout_ms: 50 })).rejects.toThrow(
      'kapso-mock: saw 1 of 3 matching requests within 50 ms',
    );
  });

  it('admin.addFault(), faults(), removeFault() and clearFaults()', async () => {
    const mock = await start();
    const rule = await mock.admin.addFault({ path: '/api/v1/agents', status: 503, times: 1 });
    expect(rule).toMatchObject({ path: '/api/v1/agents', status: 503, remaining: 1, hits: 0 });
    const failed = await get(mock, '/agents');
    expect(failed.status).toBe(503);
    expect(failed.body).toEqual({ error: 'Service unavailable' });
    expect((await get(mock, '/agents')).status).toBe(200);
    expect((await mock.admin.faults()).map((r) => [r.hits, r.remaining])).toEqual([[1, 0]]);

    const always = await mock.admin.addFault({ path: '/api/v1/customers', status: 500 });
    await mock.admin.removeFault(always.id);
    expect((await get(mock, '/customers')).status).toBe(200);
    await mock.admin.addFault({ path: '/api/v1/customers', status: 500 });
    await mock.admin.clearFaults();
    expect(await mock.admin.faults()).toEqual([]);
    expect((await get(mock, '/customers')).status).toBe(200);
  });

  it('admin.setClock() and resetClock()', async () => {
    const mock = await start();
    expect(await mock.admin.setClock({ now: '2026-04-01T08:00:00.000Z' })).toMatchObject({ mode: 'frozen', now: '2026-04-01T08:00:00.000Z' });
    expect((await mock.admin.setClock({ advance_ms: 60_000 })).now).toBe('2026-04-01T08:01:00.000Z');
    const created = await post(mock, '/customers', { customer: { name: 'Timed', external_customer_id: 'T-1' } });
    expect(created.body.data.created_at).toBe('2026-04-01T08:01:00.000Z');
    expect(await mock.admin.resetClock()).toMatchObject({ mode: 'real', offset_ms: 0 });
  });

  it('admin.settings() reads and changes the settings', async () => {
    const mock = await start();
    expect(await mock.admin.settings()).toEqual({ rate_limit: 0, auto_provision: false, journal_size: 1000, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, webhook_retry_delays_ms: [10_000, 40_000, 90_000], webhook_timeout_ms: 10_000, webhook_history: 1000, webhook_hosts: [], webhook_delay_ms: 0, webhook_duplicate_rate: 0 });
    expect(await mock.admin.settings({ rate_limit: 1 })).toEqual({ rate_limit: 1, auto_provision: false, journal_size: 1000, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, webhook_retry_delays_ms: [10_000, 40_000, 90_000], webhook_timeout_ms: 10_000, webhook_history: 1000, webhook_hosts: [], webhook_delay_ms: 0, webhook_duplicate_rate: 0 });
    expect((await get(mock, '/agents')).status).toBe(200);
    const limited = await get(mock, '/agents');
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('Rate limit exceeded');
  });

  it('admin.simulateInbound(), setMessageStatus() and endConversation() drive the inbox', async () => {
    const mock = await start({ messagingWindow: true });
    const { message, conversation, is_new_conversation } = await mock.admin.simulateInbound({ phone_number: '+1 555 019 8000', content: 'Hello from the client', contact_name: 'Client Test' });
    expect(is_new_conversation).toBe(true);
    expect(message).toMatchObject({ direction: 'inbound', status: 'received', content: 'Hello from the client' });
    const reply = await post(mock, `/whatsapp_conversations/${conversation.id}/whatsapp_messages`, { message: { content: 'Hi! How can we help?' } });
    expect(reply.status).toBe(201);
    expect(await mock.admin.setMessageStatus(reply.body.data.id, { status: 'read' })).toMatchObject({ status: 'read', conversation_id: conversation.id });
    expect(await mock.admin.endConversation(conversation.id)).toMatchObject({ id: conversation.id, status: 'ended' });
    const err = await mock.admin.setMessageStatus(message.id, { status: 'read' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 422, body: { error: 'Validation failed', message: 'Only outbound messages have a delivery status' } });
  });

  it('admin errors reject with AdminError carrying the status and body', async () => {
    const mock = await start();
    const err = await mock.admin.addFault({ path: '/api/v1/agents' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdminError);
    expect(err).toMatchObject({ status: 422, body: { error: 'Validation failed', message: 'a fault needs status, latency_ms or drop' } });
  });

  it('fixtures: false starts with no records: one empty project, whose generated key is apiKey and survives reset', async () => {
    const mock = await start({ fixtures: false });
    expect(mock.apiKey).toMatch(/^kapso-mock-[0-9a-f]{24}$/);
    expect((await get(mock, '/agents', 'kapso-demo-key')).status).toBe(401);
    const projects = await fetch(`${mock.origin}/__admin/projects`);
    expect(await projects.json()).toEqual({
      data: [{ id: EMPTY_PROJECT_ID, name: 'Empty Project', origin: 'fixtures', seeded_from: null, created_at: expect.any(String), updated_at: expect.any(String) }],
    });
    expect(await get(mock, '/agents')).toEqual({ status: 200, body: { data: [] } });
    expect((await post(mock, '/customers', { customer: { name: 'First', external_customer_id: 'F-1' } })).status).toBe(201);
    await mock.admin.reset();
    expect((await get(mock, '/customers')).body.meta.total_count).toBe(0);
  });

  it('fixtures: false with apiKey: the empty project takes that key', async () => {
    const mock = await start({ fixtures: false, apiKey: 'empty-key-1' });
    expect(mock.apiKey).toBe('empty-key-1');
    expect((await get(mock, '/customers')).status).toBe(200);
  });

  it('fixtures with no project: the same empty project', async () => {
    const mock = await start({ fixtures: { projects: [] } });
    expect(mock.apiKey).toMatch(/^kapso-mock-/);
    expect((await get(mock, `/projects/${EMPTY_PROJECT_ID}`)).body.data).toMatchObject({ id: EMPTY_PROJECT_ID, name: 'Empty Project' });
  });

  it('fixtures as an inline document: its first project\'s key, and reset restores it', async () => {
    const doc = { projects: [{ id: NEW_PROJECT, name: 'Inline', api_key: 'inline-key-1', customers: [{ id: 'c3000000-0000-4000-8000-000000000001', name: 'Inline Customer', external_customer_id: 'IN-1' }] }] };
    const mock = await start({ fixtures: doc });
    expect(mock.apiKey).toBe('inline-key-1');
    const customers = await get(mock, '/customers');
    expect(customers.status).toBe(200);
    expect(customers.body.data.map((c: any) => c.name)).toEqual(['Inline Customer']);
    expect((await get(mock, '/customers', 'kapso-demo-key')).status).toBe(401);
    await post(mock, '/customers', { customer: { name: 'Extra', external_customer_id: 'EX-1' } });
    await mock.admin.reset();
    expect((await get(mock, '/customers')).body.meta.total_count).toBe(1);
  });

  it('fixtures as a path to a fixtures file', async () => {
    const mock = await start({ fixtures: new URL('../../fixtures/02-other-project.json', import.meta.url).pathname });
    expect(mock.apiKey).toBe('kapso-other-key');
    expect((await get(mock, '/agents')).body.data.map((a: any) => a.id)).toEqual([ids.otherAgent]);
  });

  it('apiKey replaces the Demo Project\'s key', async () => {
    const mock = await start({ apiKey: 'my-embedded-key' });
    expect(mock.apiKey).toBe('my-embedded-key');
    expect((await get(mock, '/agents')).status).toBe(200);
    expect((await get(mock, '/agents', 'kapso-demo-key')).status).toBe(401);
    await mock.admin.reset();
    expect((await get(mock, '/agents')).status).toBe(200);
  });

  it('apiKey with inline fixtures: the returned key is the one that works', async () => {
    const doc = { projects: [{ id: NEW_PROJECT, name: 'Inline', api_key: 'inline-key-1' }] };
    const mock = await start({ fixtures: doc, apiKey: 'override-key-1' });
    expect(mock.apiKey).toBe('override-key-1');
    expect((await get(mock, '/customers')).status).toBe(200);
  });

  it('an invalid inline document rejects and leaves no server listening', async () => {
    const before = await listeningServers();
    await expect(startKapsoMock({ fixtures: { projects: [{ id: 'bad' }] } })).rejects.toThrow(
      /^Invalid fixtures in the fixtures option:\n {2}projects\[0\] \(bad\) > id: must be a lowercase UUID v4/,
    );
    expect(await listeningServers()).toBe(before);
  });

  it('adminToken: the admin client sends it, other callers need it', async () => {
    const mock = await start({ adminToken: 'embedded-token' });
    expect(await mock.admin.settings()).toEqual({ rate_limit: 0, auto_provision: false, journal_size: 1000, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, webhook_retry_delays_ms: [10_000, 40_000, 90_000], webhook_timeout_ms: 10_000, webhook_history: 1000, webhook_hosts: [], webhook_delay_ms: 0, webhook_duplicate_rate: 0 });
    await mock.admin.reset();
    const open = await fetch(`${mock.origin}/__admin/settings`);
    expect(open.status).toBe(401);
    expect(await open.json()).toEqual({ error: 'Invalid or missing admin token' });
  });

  it('options for the settings: autoProvision, rateLimit, journalSize', async () => {
    const mock = await start({ autoProvision: true, rateLimit: 100, journalSize: 3 });
    expect(await mock.admin.settings()).toEqual({ rate_limit: 100, auto_provision: true, journal_size: 3, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, webhook_retry_delays_ms: [10_000, 40_000, 90_000], webhook_timeout_ms: 10_000, webhook_history: 1000, webhook_hosts: [], webhook_delay_ms: 0, webhook_duplicate_rate: 0 });
    const res = await get(mock, '/customers', 'brand-new-key');
    expect(res.status).toBe(200);
    expect(res.body.meta.total_count).toBe(0);
  });

  it('two instances are independent', async () => {
    const one = await start();
    const two = await start();
    expect(one.url).not.toBe(two.url);
    const created = await post(one, '/customers', { customer: { name: 'Only One', external_customer_id: 'ONE-1' } });
    expect(created.status).toBe(201);
    expect((await get(two, `/customers/${created.body.data.id}`)).status).toBe(404);
    await one.admin.addFault({ path: '/api/v1/agents', status: 503 });
    expect((await get(two, '/agents')).status).toBe(200);
    expect(await two.admin.countRequests()).toBe(2);
    expect(await one.admin.countRequests()).toBe(1);
  });

  it('close() frees the port', async () => {
    const mock = await startKapsoMock();
    const port = Number(new URL(mock.url).port);
    await mock.close();
    await expect(fetch(`${mock.url}/agents`)).rejects.toThrow();
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('close() is not held by a client that never finishes its request, and a request in flight still gets its answer', async () => {
    const mock = await startKapsoMock();
    const port = Number(new URL(mock.url).port);
    // Headers that never end: once a server closes, Node no longer times such a request out.
    const stalled = connect(port, '127.0.0.1');
    await new Promise((resolve) => stalled.once('connect', resolve));
    stalled.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const cut = new Promise((resolve) => stalled.once('close', resolve));
    // A request held 300 ms by a latency fault, in flight when close() is called.
    await mock.admin.addFault({ path: '/api/v1/agents', latency_ms: 300 });
    const slow = get(mock, '/agents');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const closed = mock.close();
    await expect(closed).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);
    await cut;
    expect((await slow).status).toBe(200);
  });
});

/** Runs the CLI as `kapso-mock` would run (through tsx, from the repository root). */
function cli(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('KAPSO_MOCK_') && k !== 'HOST' && k !== 'PORT'));
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function runToEnd(args: string[]) {
  const child = cli(args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Starts the CLI with flags and resolves once it logs its listening line. */
function serve(args: string[]) {
  const child = cli(args);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const stop = () => child.kill('SIGKILL');
  return new Promise<{ url: string; out: () => string; stop: () => void }>((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`did not start:\n${out}`));
    }, 20_000);
    const check = () => {
      const m = /listening on (http:\/\/[\d.]+:\d+)\/api\/v1/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1]!, out: () => out, stop });
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out}`));
    });
  });
}

describe('the kapso-mock command', () => {
  it('--help lists every flag and exits 0', async () => {
    const { code, stdout } = await runToEnd(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: kapso-mock \[options\]/);
    for (const flag of [
      '--host HOST', '--port N', '--db FILE', '--fixtures PATH', '--no-fixtures', '--api-key KEY', '--admin-token TOKEN',
      '--auto-provision', '--journal-size N', '--rate-limit N', '--log-level LEVEL', '--no-cors', '--help', '--version',
    ]) {
      expect(stdout).toContain(`  ${flag}`);
    }
    for (const env of ['HOST', 'PORT', 'KAPSO_MOCK_DB', 'KAPSO_MOCK_FIXTURES', 'KAPSO_MOCK_API_KEY', 'KAPSO_MOCK_ADMIN_TOKEN', 'KAPSO_MOCK_AUTO_PROVISION', 'KAPSO_MOCK_JOURNAL_SIZE', 'KAPSO_MOCK_RATE_LIMIT', 'KAPSO_MOCK_LOG_LEVEL', 'KAPSO_MOCK_CORS']) {
      expect(stdout).toContain(`[${env}]`);
    }
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await runToEnd(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(VERSION);
  });

  it('an unknown flag exits 1 with the usage', async () => {
    const { code, stderr } = await runToEnd(['--bogus']);
    expect(code).toBe(1);
    expect(stderr).toContain('--bogus');
    expect(stderr).toContain('Usage: kapso-mock');
  });

  it('--port 0 --no-fixtures --log-level info starts, logging the listening line with "keys: none"', async () => {
    const server = await serve(['--port', '0', '--no-fixtures', '--log-level', 'info']);
    try {
      expect(server.out()).toMatch(/kapso-mock listening on http:\/\/127\.0\.0\.1:\d+\/api\/v1 \(docs http:\/\/127\.0\.0\.1:\d+\/docs, inspector http:\/\/127\.0\.0\.1:\d+\/__inspector\/\); keys: none/);
      const res = await fetch(`${server.url}/__admin/projects`);
      expect(await res.json()).toEqual({ data: [] });
    } finally {
      server.stop();
    }
  });

  it('the settings flags reach the server', async () => {
    const server = await serve(['--port', '0', '--auto-provision', '--rate-limit', '5', '--journal-size', '7', '--admin-token', 'cli-token', '--api-key', 'cli-demo-key', '--log-level', 'info']);
    try {
      expect(server.out()).not.toContain('cli-demo-key');
      const settings = await fetch(`${server.url}/__admin/settings`, { headers: { authorization: 'Bearer cli-token' } });
      expect(settings.status).toBe(200);
      expect(await settings.json()).toEqual({ data: { rate_limit: 5, auto_provision: true, journal_size: 7, messaging_window: true, auto_approve_templates: false, auto_message_status: false, delivered_after_ms: 1000, read_after_ms: 3000, webhook_retry_delays_ms: [10_000, 40_000, 90_000], webhook_timeout_ms: 10_000, webhook_history: 1000, webhook_hosts: [], webhook_delay_ms: 0, webhook_duplicate_rate: 0 } });
      expect((await fetch(`${server.url}/__admin/settings`)).status).toBe(401);
      expect((await fetch(`${server.url}/api/v1/agents`, { headers: { 'x-api-key': 'cli-demo-key' } })).status).toBe(200);
    } finally {
      server.stop();
    }
  });

  it('the environment twins work too (KAPSO_MOCK_ADMIN_TOKEN, KAPSO_MOCK_RATE_LIMIT)', async () => {
    const s = await startServer({ KAPSO_MOCK_ADMIN_TOKEN: 'env-token', KAPSO_MOCK_RATE_LIMIT: '1' });
    processes.push(s);
    expect((await fetch(`${s.url}/__admin/settings`)).status).toBe(401);
    const settings = await fetch(`${s.url}/__admin/settings`, { headers: { authorization: 'Bearer env-token' } });
    expect(((await settings.json()) as any).data.rate_limit).toBe(1);
    const first = await fetch(`${s.url}/api/v1/agents`, { headers: { 'x-api-key': 'kapso-demo-key' } });
    expect(first.headers.get('x-ratelimit-limit')).toBe('1');
    expect((await fetch(`${s.url}/api/v1/agents`, { headers: { 'x-api-key': 'kapso-demo-key' } })).status).toBe(429);
  });
});
