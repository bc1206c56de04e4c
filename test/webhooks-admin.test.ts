// The webhooks' control plane (docs/webhooks.md "Control plane"): the delivery list and its
// filters, waiting for deliveries, redelivery, test events, agent webhooks (set through /__admin,
// fired by agent_execution.* events: the executions family publishes them; here a test
// transaction does), the webhook settings, and the project rules of API-DECISIONS.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import type { ExecutionRef } from '../src/lib/events.js';
import { client, ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { inbox } from './helpers/inbox.js';
import { startReceiver, type Receiver } from './helpers/receiver.js';
import { demo, other, seed } from './helpers/seed.js';
import { deliveriesOf, UUID_V4, verify } from './helpers/webhooks.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const SECRET = 'receiver-secret';
const EXECUTION = '3e100000-0000-4000-8000-00000000e001';

let app: FastifyInstance;
let api: Client;
let admin: Client;
let clock: Clock;
let receiver: Receiver;
let deliveries: ReturnType<typeof deliveriesOf>;

beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(async () => {
  ({ app, api, clock } = await makeFrozenApp(T0));
  admin = client(app, null);
  deliveries = deliveriesOf(admin);
  await receiver.reset();
});

async function webhook(fields: Record<string, unknown> = {}, configId: string = ids.acmeSupport, key?: string): Promise<any> {
  const res = await api.post(`/api/v1/whatsapp_configs/${configId}/whatsapp_webhooks`, {
    whatsapp_webhook: { url: receiver.url(), secret_key: SECRET, events: ['whatsapp.message.received'], ...fields },
  }, key === undefined ? {} : { key });
  expect(res.status).toBe(201);
  return res.body.data;
}
const inbound = async (body: Record<string, unknown> = {}) => {
  const res = await admin.post('/__admin/simulate/inbound-message', { phone_number: '+15550102030', content: 'Hello', whatsapp_config_id: ids.acmeSupport, ...body });
  expect(res.status).toBe(201);
  return res.body.data;
};
/** What the agent executions family does: publish an execution's move in the transaction that makes it. */
const publish = (name: 'agent_execution.started' | 'agent_execution.ended' | 'agent_execution.failed' | 'agent_execution.handoff', ref: Partial<ExecutionRef> = {}, projectId = demo.id) =>
  app.db.transaction(() => app.events.publish(name, projectId, { execution_id: EXECUTION, agent_id: ids.supportAgent, conversation_id: inbox.mariaOpen, ...ref }))();

describe('GET /__admin/webhook_deliveries', () => {
  it('filters by project (or X-API-Key), webhook, event, status and conversation; newest first; limit', async () => {
    const demoHook = await webhook({ events: ['whatsapp.message.received', 'whatsapp.conversation.created'] });
    const otherHook = await webhook({}, ids.umbrellaConfig, OTHER_KEY);
    receiver.answers = [500];
    await inbound({ phone_number: '+15550199999' });
    await inbound({ phone_number: '+15550201122', whatsapp_config_id: ids.umbrellaConfig, project_id: other.id });
    // The new conversation's message waits for its conversation.created, which failed once.
    await receiver.next(2);
    await deliveries.wait({ status: 'delivered', count: 1 });
    const all = await deliveries.list();
    expect(all).toHaveLength(3);
    expect(all.map((d) => d.sequence)).toEqual([...all.map((d) => d.sequence)].sort((a, b) => b - a));
    expect((await deliveries.list({ project_id: demo.id })).map((d) => d.webhook_id)).toEqual([demoHook.id, demoHook.id]);
    const byKey = await admin.get('/__admin/webhook_deliveries', { headers: { 'x-api-key': OTHER_KEY } });
    expect(byKey.body.data.map((d: any) => d.webhook_id)).toEqual([otherHook.id]);
    expect((await deliveries.list({ event: 'whatsapp.conversation.created' })).map((d) => d.event)).toEqual(['whatsapp.conversation.created']);
    await waitUntil(async () => (await deliveries.list({ event: 'whatsapp.conversation.created' }))[0].attempt_count === 1);
    const pending = await deliveries.list({ status: 'pending' });
    expect(pending.map((d) => [d.event, d.attempt_count, d.next_attempt_at])).toEqual([
      ['whatsapp.message.received', 0, at(30_000)],
      ['whatsapp.conversation.created', 1, at(10_000)],
    ]);
    expect((await deliveries.list({ status: 'delivered' })).map((d) => d.webhook_id)).toEqual([otherHook.id]);
    const conversation = all.find((d) => d.event === 'whatsapp.conversation.created').conversation_id;
    expect(await deliveries.list({ conversation_id: conversation })).toHaveLength(2);
    expect(await deliveries.list({ webhook_id: MISSING_ID })).toEqual([]);
    expect((await admin.get('/__admin/webhook_deliveries?limit=1')).body).toMatchObject({ data: [all[0]], meta: { count: 1 } });
  });

  it.each([
    ['an unknown project_id', '?project_id=' + MISSING_ID, 404, { error: 'Project not found' }],
    ['an unknown status', '?status=lost', 400, { error: 'Invalid parameters', message: 'status must be one of: pending, delivered, failed' }],
    ['a limit of 0', '?limit=0', 400, { error: 'Invalid parameters', message: 'limit must be at least 1' }],
  ])('%s is refused', async (_case, query, status, body) => {
    const res = await admin.get(`/__admin/webhook_deliveries${query}`);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(body);
  });

  it('an unknown X-API-Key is 422', async () => {
    const res = await admin.get('/__admin/webhook_deliveries', { headers: { 'x-api-key': 'nobody' } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'X-API-Key belongs to no project' });
  });

  it('keeps webhook_history finished deliveries, oldest dropped first; pending ones are never dropped', async () => {
    await admin.patch('/__admin/settings', { webhook_history: 2 });
    const down = await webhook({ url: 'http://127.0.0.1:9/down' });
    const up = await webhook({}, ids.acmeSales);
    for (let i = 0; i < 3; i++) await inbound({ content: `down ${i}`, phone_number: `+1555019990${i}` });
    for (let i = 0; i < 4; i++) await inbound({ content: `up ${i}`, whatsapp_config_id: ids.acmeSales, phone_number: `+1555019980${i}` });
    await receiver.next(4);
    await waitUntil(async () => (await deliveries.list({ webhook_id: down.id })).every((d) => d.attempt_count === 1)
      && (await deliveries.list({ webhook_id: up.id, status: 'pending' })).length === 0);
    expect((await deliveries.list({ webhook_id: down.id })).map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);
    const kept = await deliveries.list({ webhook_id: up.id });
    expect(kept.map((d) => d.payload.message.text.body)).toEqual(['up 3', 'up 2']);
    await admin.patch('/__admin/settings', { webhook_history: 1 });
    expect((await deliveries.list({ webhook_id: up.id })).map((d) => d.payload.message.text.body)).toEqual(['up 3']);
  });

  it('a longer history is trimmed every few finished deliveries, but no read ever shows more than it holds', async () => {
    // 40: trimmed after every second finished delivery (a sixteenth), and before every read.
    await admin.patch('/__admin/settings', { webhook_history: 40 });
    const w = await webhook();
    const first = [];
    for (let i = 0; i < 43; i++) {
      const { message } = await inbound({ content: `m ${i}`, phone_number: `+155501977${String(i).padStart(2, '0')}` });
      if (i < 3) first.push(message.whatsapp_message_id);
      // Read as it goes: never more than 40.
      expect((await deliveries.list({ webhook_id: w.id, status: 'delivered' })).length).toBeLessThanOrEqual(40);
    }
    await receiver.next(43);
    await waitUntil(async () => (await deliveries.list({ webhook_id: w.id, status: 'pending' })).length === 0);
    const kept = await deliveries.list({ webhook_id: w.id });
    expect(kept).toHaveLength(40);
    expect(kept.map((d) => d.payload.message.id)).not.toContain(first[0]);
    expect(kept.map((d) => d.payload.message.id)).not.toContain(first[2]);
  });
});

describe('POST /__admin/webhook_deliveries/wait', () => {
  it('answers once enough match, counting those already there', async () => {
    const w = await webhook();
    const waiting = admin.post('/__admin/webhook_deliveries/wait', { webhook_id: w.id, status: 'delivered', count: 2, timeout_ms: 5000 });
    await inbound({ content: 'one' });
    await inbound({ content: 'two' });
    const res = await waiting;
    expect(res.status).toBe(200);
    expect(res.body.meta).toEqual({ count: 2, timed_out: false });
    expect(res.body.data.map((d: any) => d.payload.message.text.body)).toEqual(['two', 'one']);
    const again = await admin.post('/__admin/webhook_deliveries/wait', { webhook_id: w.id, count: 1 });
    expect(again.body.meta).toEqual({ count: 2, timed_out: false });
  });

  it('times out with what matched', async () => {
    const res = await admin.post('/__admin/webhook_deliveries/wait', { event: 'whatsapp.message.read', count: 1, timeout_ms: 20 });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], meta: { count: 0, timed_out: true } });
  });
});

describe('POST /__admin/webhook_deliveries/{id}/redeliver', () => {
  it('sends the same bytes again as a new delivery, with the same signature and idempotency key', async () => {
    const w = await webhook();
    await inbound();
    const [first] = await receiver.next(1);
    const [original] = await deliveries.wait({ webhook_id: w.id, status: 'delivered', count: 1 });
    clock.advance(5_000);
    const res = await admin.post(`/__admin/webhook_deliveries/${original.id}/redeliver`, {});
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({
      origin: 'redelivery', redelivery_of: original.id, status: 'pending', idempotency_key: original.idempotency_key, created_at: at(5_000),
      payload: original.payload, headers: original.headers,
    });
    expect(res.body.data.id).not.toBe(original.id);
    const [, second] = await receiver.next(2);
    expect(second!.raw.equals(first!.raw)).toBe(true);
    expect(second!.headers['x-webhook-signature']).toBe(first!.headers['x-webhook-signature']);
    expect(second!.headers['x-idempotency-key']).toBe(first!.headers['x-idempotency-key']);
  });

  it('follows the project rules: missing, another project\'s (with its key), a batch still collecting', async () => {
    expect((await admin.post(`/__admin/webhook_deliveries/${MISSING_ID}/redeliver`, {})).body).toEqual({ error: 'Webhook delivery not found' });
    const w = await webhook({ buffer_enabled: true, buffer_window_seconds: 60 });
    await inbound();
    const [open] = await deliveries.list({ webhook_id: w.id });
    const other = await admin.post(`/__admin/webhook_deliveries/${open.id}/redeliver`, { project_id: other_id() });
    expect(other.status).toBe(404);
    expect(other.body).toEqual({ error: 'Webhook delivery not found' });
    const collecting = await admin.post(`/__admin/webhook_deliveries/${open.id}/redeliver`, {});
    expect(collecting.status).toBe(422);
    expect(collecting.body).toEqual({ error: 'Validation failed', message: 'This batch is still collecting events: it has not been sent yet' });
  });
});

describe('POST /__admin/webhooks/{id}/test', () => {
  it.each([
    'whatsapp.message.received', 'whatsapp.message.sent', 'whatsapp.message.delivered', 'whatsapp.message.read', 'whatsapp.message.failed',
    'whatsapp.conversation.created', 'whatsapp.conversation.ended', 'whatsapp.conversation.inactive',
  ])('sends a sample of %s, signed, valid for its schema, whether or not the webhook subscribes to it', async (event) => {
    const w = await webhook({ events: ['whatsapp.message.read'], active: false });
    const res = await admin.post(`/__admin/webhooks/${w.id}/test`, { event_type: event });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ origin: 'test', event, webhook_id: w.id, status: 'pending', conversation_id: null });
    verify((await receiver.next(1))[0]!, { secret: SECRET, event });
  });

  it('v1 webhooks get v1 samples; the default event is whatsapp.message.received; nothing is stored', async () => {
    const w = await webhook({ payload_version: 'v1' });
    const before = app.state.dump();
    expect((await admin.post(`/__admin/webhooks/${w.id}/test`, {})).status).toBe(201);
    verify((await receiver.next(1))[0]!, { secret: SECRET, event: 'whatsapp.message.received', version: 'v1' });
    expect(app.state.dump()).toEqual(before);
  });

  it.each([
    ['a missing webhook', () => MISSING_ID, {}, 404, { error: 'Webhook not found' }],
    ['an agent event for a WhatsApp webhook', () => 'whatsapp', { event_type: 'agent_execution_started' }, 422,
      { error: 'Validation failed', message: 'event_type agent_execution_started is not an event of this kind of webhook' }],
    ['an unknown event', () => 'whatsapp', { event_type: 'whatsapp.message.deleted' }, 422, { error: 'Validation failed', message: expect.stringMatching(/^event_type must be one of: /) }],
  ])('%s is refused', async (_case, id, body, status, error) => {
    const w = await webhook();
    const res = await admin.post(`/__admin/webhooks/${id() === 'whatsapp' ? w.id : id()}/test`, body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
  });
});

describe('agent webhooks', () => {
  const agentHooks = (agentId: string) => `/__admin/agents/${agentId}/webhooks`;

  it('are set through the control plane: create with the defaults, list, update, delete', async () => {
    const created = await admin.post(agentHooks(ids.supportAgent), { url: receiver.url('/agent'), secret_key: 'agent-secret' });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({
      id: expect.stringMatching(UUID_V4), agent_id: ids.supportAgent, url: receiver.url('/agent'), secret_key: 'agent-secret',
      events: ['agent_execution_started', 'agent_execution_ended', 'agent_execution_failed', 'agent_execution_handoff'], active: true, headers: null,
      created_at: T0, updated_at: T0,
    });
    const seeded = seed.find('agentWebhooks', (r) => r.agent_id === ids.supportAgent).id;
    expect((await admin.get(agentHooks(ids.supportAgent))).body.data.map((w: any) => w.id)).toEqual([created.body.data.id, seeded]);
    clock.advance(1000);
    const updated = await admin.patch(`/__admin/agent_webhooks/${created.body.data.id}`, { events: ['agent_execution_failed'], headers: { 'X-Env': 'test' } });
    expect(updated.body.data).toEqual({ ...created.body.data, events: ['agent_execution_failed'], headers: { 'X-Env': 'test' }, updated_at: at(1000) });
    expect((await admin.delete(`/__admin/agent_webhooks/${created.body.data.id}`)).status).toBe(204);
    expect((await admin.delete(`/__admin/agent_webhooks/${created.body.data.id}`)).body).toEqual({ error: 'Agent webhook not found' });
  });

  it.each([
    ['an unknown agent', () => agentHooks(MISSING_ID), { url: 'http://127.0.0.1:9/a', secret_key: 's' }, 404, { error: 'Agent not found' }],
    ['another project\'s agent with the Demo project_id', () => agentHooks(ids.otherAgent), { url: 'http://127.0.0.1:9/a', secret_key: 's', project_id: '11111111-1111-4111-8111-111111111111' }, 404, { error: 'Agent not found' }],
    ['a bad URL', () => agentHooks(ids.supportAgent), { url: 'mailto:x@example.com', secret_key: 's' }, 422, { error: 'Validation failed', message: 'url is not a valid http(s) URL' }],
    ['an unknown event', () => agentHooks(ids.supportAgent), { url: 'http://127.0.0.1:9/a', secret_key: 's', events: ['agent_execution_paused'] }, 422,
      { error: 'Validation failed', message: 'events[0] must be one of: agent_execution_started, agent_execution_ended, agent_execution_failed, agent_execution_handoff' }],
    ['no secret', () => agentHooks(ids.supportAgent), { url: 'http://127.0.0.1:9/a' }, 422, { error: 'Validation failed', message: "secret_key can't be blank" }],
  ])('%s is refused', async (_case, url, body, status, error) => {
    const res = await admin.post(url(), body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
  });

  it('agent_execution.* events go out with the guide\'s payload, in order per execution', async () => {
    const res = await admin.post(agentHooks(ids.supportAgent), { url: receiver.url('/agent'), secret_key: 'agent-secret', headers: { 'X-Env': 'test' } });
    const w = res.body.data;
    publish('agent_execution.started');
    clock.advance(60_000);
    publish('agent_execution.handoff', { reason: 'Customer asked for a human' });
    clock.advance(60_000);
    publish('agent_execution.failed', { reason: 'Failed to connect to external API' });
    clock.advance(60_000);
    publish('agent_execution.ended');
    const got = await receiver.next(4);
    const events = ['agent_execution_started', 'agent_execution_handoff', 'agent_execution_failed', 'agent_execution_ended'];
    const bodies = got.map((r, i) => verify(r, { secret: 'agent-secret', event: events[i]! }));
    expect(got.every((r) => r.headers['x-env'] === 'test' && r.path === '/agent')).toBe(true);
    const agent = { id: ids.supportAgent, name: 'Customer Support Agent' };
    expect(bodies[0]).toEqual({
      event: 'agent_execution_started', agent_execution: { id: EXECUTION, started_at: T0, ended_at: null, status: 'started', agent_id: ids.supportAgent }, agent,
    });
    expect(bodies[1]).toMatchObject({
      agent_execution: { status: 'handoff', ended_at: null }, handoff: { node_name: 'Handoff', handoff_datetime: at(60_000), handoff_reason: 'Customer asked for a human' },
    });
    expect(bodies[2]).toMatchObject({
      agent_execution: { status: 'failed', ended_at: at(120_000) }, failure: { error: { message: 'Failed to connect to external API', type: 'ExecutionError' }, failed_at: at(120_000) },
    });
    expect(bodies[3]).toMatchObject({ agent_execution: { status: 'completed', ended_at: at(180_000) } });
    const listed = await deliveries.wait({ webhook_id: w.id, status: 'delivered', count: 4 });
    expect(listed.every((d) => d.webhook_kind === 'agent' && d.conversation_id === inbox.mariaOpen && d.payload_version === 'v2')).toBe(true);
  });

  it('end to end: an execution started through the API and handed off by the control plane goes out with its own times', async () => {
    await admin.post(agentHooks(ids.supportAgent), { url: receiver.url('/agent'), secret_key: 'agent-secret', events: ['agent_execution_started', 'agent_execution_handoff'] });
    const started = await api.post(`/api/v1/agents/${ids.supportAgent}/executions`, { message: 'Where is my order?', phone_number: '+15550190123' });
    expect(started.status).toBe(202);
    const id = started.body.data.id;
    clock.advance(90_000);
    const moved = await admin.post(`/__admin/executions/${id}/status`, { project_id: demo.id, status: 'handoff', reason: 'Asked for a human' });
    expect(moved.status).toBe(200);
    const got = await receiver.next(2);
    const [first, second] = [verify(got[0]!, { secret: 'agent-secret', event: 'agent_execution_started' }), verify(got[1]!, { secret: 'agent-secret', event: 'agent_execution_handoff' })];
    expect(first.agent_execution).toEqual({ id, started_at: T0, ended_at: null, status: 'started', agent_id: ids.supportAgent });
    expect(second.agent_execution).toMatchObject({ id, started_at: T0, status: 'handoff' });
    expect(second.handoff).toMatchObject({ handoff_datetime: at(90_000), handoff_reason: 'Asked for a human' });
  });

  it('the executions family can describe its executions: times and the handoff node come from it', async () => {
    await admin.post(agentHooks(ids.supportAgent), { url: receiver.url('/agent'), secret_key: 'agent-secret', events: ['agent_execution_handoff'] });
    const undo = app.repos.agentWebhooks.describeExecutions((_project, id) =>
      id === EXECUTION ? { started_at: '2026-06-01T11:58:00.000Z', ended_at: null, handoff_node: 'Escalate to Human' } : undefined);
    try {
      publish('agent_execution.handoff');
      const body = verify((await receiver.next(1))[0]!, { secret: 'agent-secret', event: 'agent_execution_handoff' });
      expect(body.agent_execution.started_at).toBe('2026-06-01T11:58:00.000Z');
      expect(body.handoff).toEqual({ node_name: 'Escalate to Human', handoff_datetime: T0, handoff_reason: null });
    } finally {
      undo();
    }
  });

  it('inactive agent webhooks, other agents\' webhooks and unsubscribed events send nothing; a rolled-back write sends nothing', async () => {
    await admin.post(agentHooks(ids.supportAgent), { url: receiver.url('/agent'), secret_key: 'agent-secret', events: ['agent_execution_ended'] });
    publish('agent_execution.started');
    publish('agent_execution.ended', { agent_id: ids.orderAgent });
    expect(() => app.db.transaction(() => {
      app.events.publish('agent_execution.ended', demo.id, { execution_id: EXECUTION, agent_id: ids.supportAgent, conversation_id: null });
      throw new Error('the execution could not be saved');
    })()).toThrow('the execution could not be saved');
    expect(await deliveries.list()).toEqual([]);
    // The seeded agent webhook (inactive) subscribes to handoff: still nothing.
    publish('agent_execution.handoff');
    expect(await deliveries.list()).toEqual([]);
  });

  it('a test event to an agent webhook', async () => {
    const res = await admin.post(agentHooks(ids.supportAgent), { url: receiver.url('/agent'), secret_key: 'agent-secret' });
    for (const event of ['agent_execution_started', 'agent_execution_ended', 'agent_execution_failed', 'agent_execution_handoff']) {
      expect((await admin.post(`/__admin/webhooks/${res.body.data.id}/test`, { event_type: event })).status).toBe(201);
    }
    const got = await receiver.next(4);
    for (const r of got) verify(r, { secret: 'agent-secret', event: String(r.headers['x-webhook-event']) });
    const wrong = await admin.post(`/__admin/webhooks/${res.body.data.id}/test`, { event_type: 'whatsapp.message.sent' });
    expect(wrong.status).toBe(422);
  });

  it('deleting an agent webhook cancels its pending deliveries', async () => {
    receiver.otherwise = 500;
    const res = await admin.post(agentHooks(ids.orderAgent), { url: receiver.url('/agent'), secret_key: 'agent-secret' });
    publish('agent_execution.started', { agent_id: ids.orderAgent });
    await receiver.next(1);
    await waitUntil(async () => (await deliveries.list({ webhook_id: res.body.data.id }))[0].attempt_count === 1);
    expect((await admin.delete(`/__admin/agent_webhooks/${res.body.data.id}`)).status).toBe(204);
    expect((await deliveries.list({ webhook_id: res.body.data.id }))[0]).toMatchObject({ status: 'failed', error: 'cancelled: the webhook was deleted' });
  });
});

describe('settings', () => {
  it.each([
    [{ webhook_retry_delays_ms: [1, -1] }, 'webhook_retry_delays_ms[1] must be at least 0'],
    [{ webhook_retry_delays_ms: Array.from({ length: 11 }, () => 1) }, 'webhook_retry_delays_ms must be at most 10'],
    [{ webhook_timeout_ms: 0 }, 'webhook_timeout_ms must be at least 1'],
    [{ webhook_history: -1 }, 'webhook_history must be at least 0'],
    [{ webhook_hosts: ['http://localhost'] }, 'webhook_hosts[0] must be a host name or IP address'],
    [{ webhook_delay_ms: 86_400_001 }, 'webhook_delay_ms must be at most 86400000'],
    [{ webhook_duplicate_rate: 1.5 }, 'webhook_duplicate_rate must be at most 1'],
  ])('refuses %j', async (body, message) => {
    const res = await admin.patch('/__admin/settings', body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
  });

  it('the configuration sets the start-up values', async () => {
    const { app: configured } = await makeFrozenApp(T0, { webhookRetryDelaysMs: [1000], webhookTimeoutMs: 2500, webhookHistory: 7, webhookHosts: ['localhost'] });
    const res = await client(configured, null).get('/__admin/settings');
    expect(res.body.data).toMatchObject({
      webhook_retry_delays_ms: [1000], webhook_timeout_ms: 2500, webhook_history: 7, webhook_hosts: ['localhost'], webhook_delay_ms: 0, webhook_duplicate_rate: 0,
    });
  });
});

const other_id = () => other.id;

/** Polls until `check` holds (the worker records an outcome a moment after the receiver answered). */
async function waitUntil(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
