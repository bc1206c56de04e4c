// Nothing is lost (docs/webhooks.md "Nothing lost"): deliveries are rows in the database, so a file
// database resumes them after a restart or a crash: a retry keeps its time, an attempt that was in
// flight goes again (at-least-once, same bytes and idempotency key). And closing never waits for a
// receiver: not the app, not the process on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { client, DEMO_KEY, ids, makeApp } from './helpers/app.js';
import { startServer, type ServerProcess } from './helpers/process.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { deliveriesOf, verify } from './helpers/webhooks.js';

const SECRET = 'restart-secret';
let dir: string;
let receiver: Receiver;
const servers: ServerProcess[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kapso-mock-webhooks-'));
  receiver = await startReceiver();
});
afterEach(async () => {
  for (const s of servers.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

const webhookBody = (events = ['whatsapp.message.received']) => ({ whatsapp_webhook: { url: receiver.url(), secret_key: SECRET, events } });
const inboundBody = (phone: string, content: string) => ({ phone_number: phone, content, whatsapp_config_id: ids.acmeSupport });

describe('a file database', () => {
  it('resumes after a restart: a retry waiting for its time, and an attempt that was in flight when the app closed', async () => {
    const dbPath = join(dir, 'mock.db');
    const config = { dbPath, webhookRetryDelaysMs: [60_000] };
    receiver.answers = [500, 'hang'];
    const first = await makeApp(config);
    const api = client(first);
    const admin = client(first, null);
    expect((await api.post(`/api/v1/whatsapp_configs/${ids.acmeSupport}/whatsapp_webhooks`, webhookBody())).status).toBe(201);
    expect((await admin.post('/__admin/simulate/inbound-message', inboundBody('+15550102030', 'waiting for a retry'))).status).toBe(201);
    await receiver.next(1);
    await deliveriesOf(admin).wait({ status: 'pending', count: 1 });
    await waitUntil(async () => (await deliveriesOf(admin).list())[0].attempt_count === 1);
    expect((await admin.post('/__admin/simulate/inbound-message', inboundBody('+15550199999', 'in flight'))).status).toBe(201);
    const [, inFlight] = await receiver.next(2);
    // The receiver holds the second delivery: closing does not wait for it.
    await first.close();

    receiver.otherwise = 200;
    const second = await makeApp(config);
    const again = await receiver.next(3);
    expect(again[2]!.raw.equals(inFlight!.raw)).toBe(true);
    expect(again[2]!.headers['x-idempotency-key']).toBe(inFlight!.headers['x-idempotency-key']);
    verify(again[2]!, { secret: SECRET, event: 'whatsapp.message.received' });
    const admin2 = client(second, null);
    await deliveriesOf(admin2).wait({ status: 'delivered', count: 1 });
    const waiting = (await deliveriesOf(admin2).list({ status: 'pending' }));
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({ attempt_count: 1, payload: { message: { text: { body: 'waiting for a retry' } } } });
    // Its retry keeps its time: move the clock there.
    expect((await admin2.post('/__admin/clock', { advance_ms: 60_000 })).status).toBe(200);
    const [, , , retried] = await receiver.next(4);
    expect(verify(retried!, { secret: SECRET, event: 'whatsapp.message.received' }).message.text.body).toBe('waiting for a retry');
    const done = await deliveriesOf(admin2).wait({ status: 'delivered', count: 2 });
    expect(done.map((d) => d.attempt_count).sort()).toEqual([1, 2]);
  });

  it('after a crash (SIGKILL) the delivery that was in flight goes again; SIGTERM does not wait for a hanging receiver', async () => {
    const env = { KAPSO_MOCK_DB: join(dir, 'crash.db'), KAPSO_MOCK_WEBHOOK_TIMEOUT_MS: '600000' };
    receiver.otherwise = 'hang';
    const one = await startServer(env);
    servers.push(one);
    const call = async (method: string, path: string, body: unknown, key: string | null) => {
      const res = await fetch(`${one.url}${path}`, {
        method, headers: { 'content-type': 'application/json', ...(key !== null && { 'x-api-key': key }) }, body: JSON.stringify(body),
      });
      expect(res.status).toBe(201);
    };
    await call('POST', `/api/v1/whatsapp_configs/${ids.acmeSupport}/whatsapp_webhooks`, webhookBody(), DEMO_KEY);
    await call('POST', '/__admin/simulate/inbound-message', inboundBody('+15550102030', 'before the crash'), null);
    const [sent] = await receiver.next(1, 15_000);
    one.child.kill('SIGKILL');
    await one.exited;

    const two = await startServer(env);
    servers.push(two);
    const [, resent] = await receiver.next(2, 15_000);
    expect(resent!.raw.equals(sent!.raw)).toBe(true);
    expect(resent!.headers['x-idempotency-key']).toBe(sent!.headers['x-idempotency-key']);
    verify(resent!, { secret: SECRET, event: 'whatsapp.message.received' });

    // The receiver still holds that delivery, and would for ten minutes: SIGTERM ends the process anyway, cleanly.
    two.child.kill('SIGTERM');
    expect(await two.exited).toMatchObject({ code: 0, signal: null });
  });
});

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
