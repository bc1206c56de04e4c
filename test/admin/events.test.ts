// GET /__admin/events: the live event stream (docs/inspector.md "The event stream"). What committed
// on the event bus, every recorded /api/v1 request and every control-plane change, as server-sent
// events with IDs a client resumes from (Last-Event-ID), a heartbeat, and a clean end on shutdown;
// agent executions as they move, and webhook deliveries as they are made and attempted.
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { client, DEMO_KEY, ids, makeApp, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from '../helpers/app.js';
import { inbox } from '../helpers/inbox.js';
import { startServer } from '../helpers/process.js';
import { startReceiver } from '../helpers/receiver.js';
import { seed } from '../helpers/seed.js';
import { openStream, parseSse, type SseEvent } from '../helpers/sse.js';

const T0 = '2026-06-01T12:00:00.000Z';

/** What the stream holds after `from` (follow=false: the response ends after it). */
async function after(app: FastifyInstance, from: string, query = '') {
  const res = await client(app, null).get(`/__admin/events?follow=false&last_event_id=${encodeURIComponent(from)}${query}`);
  expect(res.status).toBe(200);
  return parseSse(res.raw).events;
}

const names = (events: SseEvent[]) => events.map((e) => e.event);
const data = (event: SseEvent | undefined) => JSON.parse(event!.data) as Record<string, any>;

describe('what the stream carries', () => {
  it('bus events after their commit, recorded requests and control-plane changes, in order, each with the next ID', async () => {
    const { app, api } = await makeFrozenApp(T0);
    const admin = client(app, null);
    const from = app.eventStream.lastId;
    await api.get('/api/v1/agents');
    const inbound = await admin.post('/__admin/simulate/inbound-message', { phone_number: '+1 555 019 7000', content: 'Hi there', contact_name: 'Rosa Diaz' });
    expect(inbound.status).toBe(201);

    const events = await after(app, from);
    expect(names(events)).toEqual([
      'request.recorded', 'whatsapp.conversation.created', 'record.created', 'whatsapp.message.received', 'control.changed',
    ]);
    const [boot, first] = from.split('.');
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5].map((n) => `${boot}.${Number(first) + n}`));
    expect(data(events[0])).toEqual({
      id: expect.any(Number), time: T0, method: 'GET', path: '/api/v1/agents', status: 200, duration_ms: expect.any(Number), project_id: ids.demoProject,
    });
    const { message, conversation } = inbound.body.data;
    expect(data(events[3])).toEqual({
      seq: expect.any(Number), name: 'whatsapp.message.received', project_id: ids.demoProject, at: T0,
      data: { message_id: message.id, conversation_id: conversation.id, whatsapp_config_id: ids.acmeSupport },
    });
    expect(data(events[2]).data).toEqual({ type: 'whatsapp_contact', id: expect.any(String) });
    expect(data(events[4])).toEqual({ operation_id: 'adminSimulateInboundMessage', method: 'POST', path: '/__admin/simulate/inbound-message', status: 201 });
  });

  it('a message the API sends, and its statuses moved by the control plane', async () => {
    const { app, api } = await makeFrozenApp(T0);
    const from = app.eventStream.lastId;
    const sent = await api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'Your order has shipped.' } });
    expect(sent.status).toBe(201);
    await client(app, null).post(`/__admin/messages/${sent.body.data.id}/status`, { status: 'read' });

    const events = await after(app, from);
    expect(names(events)).toEqual([
      'whatsapp.message.sent', 'request.recorded', 'whatsapp.message.delivered', 'whatsapp.message.read', 'control.changed',
    ]);
    expect(data(events[0]).data).toEqual({ message_id: sent.body.data.id, conversation_id: inbox.mariaOpen, whatsapp_config_id: ids.acmeSupport });
    expect(data(events[1])).toMatchObject({ method: 'POST', path: `/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, status: 201 });
  });

  it('a write that rolls back publishes nothing; a refused control-plane call is no change', async () => {
    const { app } = await makeFrozenApp(T0);
    const admin = client(app, null);
    const from = app.eventStream.lastId;
    // The reaction names no message of the conversation: the whole write rolls back after the conversation was opened.
    const refused = await admin.post('/__admin/simulate/inbound-message', {
      phone_number: '+1 555 019 7001', message_type: 'reaction', reaction_emoji: '👍', reacted_to_message_id: MISSING_ID,
    });
    expect(refused.status).toBe(422);
    expect((await admin.post('/__admin/clock', {})).status).toBe(422);
    expect(await after(app, from)).toEqual([]);
  });

  it('a reset: state.replaced for every project, then control.changed', async () => {
    const { app } = await makeFrozenApp(T0);
    const from = app.eventStream.lastId;
    await client(app, null).post('/__admin/reset');
    const events = await after(app, from);
    expect(names(events)).toEqual(['state.replaced', 'control.changed']);
    expect(data(events[0])).toMatchObject({ name: 'state.replaced', project_id: '*', data: { reason: 'reset' } });
    expect(data(events[1])).toMatchObject({ operation_id: 'adminReset' });
  });

  it('project_id: that project\'s events, those about every project and the mock\'s own, not another project\'s', async () => {
    const { app, api } = await makeFrozenApp(T0);
    const admin = client(app, null);
    const from = app.eventStream.lastId;
    await api.get('/api/v1/agents', { key: OTHER_KEY });
    await admin.post('/__admin/simulate/inbound-message', { project_id: ids.otherProject, phone_number: '+1 555 020 9000', content: 'Hello' });
    await api.get('/api/v1/agents', { key: DEMO_KEY });
    await admin.post('/__admin/reset');

    const events = await after(app, from, `&project_id=${ids.demoProject}`);
    expect(names(events)).toEqual(['control.changed', 'request.recorded', 'state.replaced', 'control.changed']);
    expect(data(events[1]).project_id).toBe(ids.demoProject);
    const everything = await after(app, from);
    expect(names(everything).filter((n) => n.startsWith('whatsapp.'))).toHaveLength(2);
  });
});

describe('agent executions and webhook deliveries', () => {
  it('an execution moved by the control plane: agent_execution.handoff, .ended, .failed; record.updated for running and paused', async () => {
    const { app } = await makeFrozenApp(T0);
    const admin = client(app, null);
    const running = seed.find('agentExecutions', (r) => r.status === 'running');
    const paused = seed.find('agentExecutions', (r) => r.status === 'paused');
    const conversationId = String(seed.records.find((r) => r.kind === 'conversationExecutions' && r.parentId === running.id)!.record.conversation_id);
    const from = app.eventStream.lastId;
    await admin.post(`/__admin/executions/${running.id}/status`, { status: 'paused' });
    await admin.post(`/__admin/executions/${running.id}/status`, { status: 'handoff', reason: 'Wants a person' });
    await admin.post(`/__admin/executions/${running.id}/status`, { status: 'ended' });
    await admin.post(`/__admin/executions/${paused.id}/status`, { status: 'failed', reason: 'Timed out' });

    const events = (await after(app, from)).filter((e) => e.event !== 'control.changed');
    expect(names(events)).toEqual(['record.updated', 'agent_execution.handoff', 'agent_execution.ended', 'agent_execution.failed']);
    expect(data(events[0])).toMatchObject({ project_id: ids.demoProject, data: { type: 'agent_execution', id: running.id } });
    expect(data(events[1]).data).toEqual({ execution_id: running.id, agent_id: ids.supportAgent, conversation_id: conversationId, reason: 'Wants a person' });
    expect(data(events[2]).data).toEqual({ execution_id: running.id, agent_id: ids.supportAgent, conversation_id: conversationId });
    expect(data(events[3]).data).toMatchObject({ execution_id: paused.id, reason: 'Timed out' });
  });

  it('webhook_delivery.created when a delivery is made, .attempted with each outcome (a 500 to retry, then delivered); a redelivery is a new one', async () => {
    const receiver = await startReceiver();
    try {
      const { app, api } = await makeFrozenApp(T0);
      const admin = client(app, null);
      const hook = (await api.post(`/api/v1/whatsapp_configs/${ids.acmeSupport}/whatsapp_webhooks`, {
        whatsapp_webhook: { url: receiver.url(), secret_key: 'stream-secret', events: ['whatsapp.message.received'] },
      })).body.data;
      receiver.answers = [500];
      const from = app.eventStream.lastId;
      await admin.post('/__admin/simulate/inbound-message', { phone_number: '+15550102030', content: 'Where is my order?' });
      const deliveryEvents = async (query = '') => (await after(app, from, query)).filter((e) => e.event.startsWith('webhook_delivery.') || e.event === 'whatsapp.message.received');
      await expect.poll(async () => names(await deliveryEvents())).toEqual(['whatsapp.message.received', 'webhook_delivery.created', 'webhook_delivery.attempted']);

      await admin.post('/__admin/clock', { advance_ms: 10_000 });
      await receiver.next(2);
      await expect.poll(async () => (await deliveryEvents()).length).toBe(4);
      const [, created, retry, delivered] = await deliveryEvents();
      const delivery = (await admin.get(`/__admin/webhook_deliveries?project_id=${ids.demoProject}`)).body.data[0];
      const about = {
        id: delivery.id, project_id: ids.demoProject, webhook_kind: 'whatsapp', webhook_id: hook.id, event: 'whatsapp.message.received',
        conversation_id: inbox.mariaOpen, origin: 'event',
      };
      expect(data(created)).toEqual({ ...about, status: 'pending', attempt_count: 0 });
      expect(data(retry)).toEqual({ ...about, status: 'pending', attempt_count: 1, attempt: { ...delivery.attempts[0], status: 500 } });
      expect(data(delivered)).toEqual({ ...about, status: 'delivered', attempt_count: 2, attempt: { ...delivery.attempts[1], status: 200 } });

      const again = (await admin.post(`/__admin/webhook_deliveries/${delivery.id}/redeliver`, {})).body.data;
      await receiver.next(3);
      await expect.poll(async () => (await deliveryEvents()).length).toBe(6);
      const [redelivered, attempted] = (await deliveryEvents()).slice(4);
      expect(data(redelivered)).toMatchObject({ id: again.id, origin: 'redelivery', status: 'pending', attempt_count: 0 });
      expect(data(attempted)).toMatchObject({ id: again.id, origin: 'redelivery', status: 'delivered', attempt_count: 1 });
      // They are the project's: another project's stream does not carry them.
      expect(names(await deliveryEvents(`&project_id=${ids.otherProject}`))).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('a test event to a webhook that fails to connect: created, then attempted and failed when no retry is left', async () => {
    const { app, api } = await makeFrozenApp(T0, { webhookRetryDelaysMs: [] });
    const admin = client(app, null);
    const hook = (await api.post(`/api/v1/whatsapp_configs/${ids.acmeSupport}/whatsapp_webhooks`, {
      whatsapp_webhook: { url: 'http://127.0.0.1:9/nobody-listens', secret_key: 'k', events: ['whatsapp.message.sent'], active: false },
    })).body.data;
    const from = app.eventStream.lastId;
    const test = (await admin.post(`/__admin/webhooks/${hook.id}/test`, { event_type: 'whatsapp.message.failed' })).body.data;
    await expect.poll(async () => names((await after(app, from)).filter((e) => e.event.startsWith('webhook_delivery.')))).toEqual([
      'webhook_delivery.created', 'webhook_delivery.attempted',
    ]);
    const [created, attempted] = (await after(app, from)).filter((e) => e.event.startsWith('webhook_delivery.'));
    expect(data(created)).toMatchObject({ id: test.id, origin: 'test', event: 'whatsapp.message.failed', conversation_id: null, status: 'pending' });
    expect(data(attempted)).toMatchObject({ id: test.id, status: 'failed', attempt_count: 1, attempt: { status: null, error: expect.any(String) } });
  });
});

describe('the response', () => {
  it('is text/event-stream, not cached, with a reconnection delay; follow=false ends it after the backlog', async () => {
    const { app } = await makeFrozenApp(T0);
    const res = await app.inject({ method: 'GET', url: '/__admin/events?follow=false' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache, no-transform');
    const parsed = parseSse(res.body);
    expect(parsed.retry).toBe(2000);
    // Without an event ID or replay: nothing of the past.
    expect(parsed.events).toEqual([]);
  });

  it('replay=true starts with everything the stream holds', async () => {
    const app = await makeApp({}, { eventStream: { bufferSize: 3 } });
    const api = client(app);
    for (let i = 0; i < 5; i++) await api.get('/api/v1/agents');
    const res = await client(app, null).get('/__admin/events?follow=false&replay=true');
    const events = parseSse(res.raw).events;
    expect(names(events)).toEqual(['request.recorded', 'request.recorded', 'request.recorded']);
    expect(events.map((e) => data(e).id)).toEqual([3, 4, 5]);
  });

  it('needs the admin token when the server has one', async () => {
    const app = await makeApp({ adminToken: 'tok' });
    const res = await client(app, null).get('/__admin/events?follow=false');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: 'Invalid or missing admin token' });
    const ok = await client(app, null).get('/__admin/events?follow=false', { headers: { authorization: 'Bearer tok' } });
    expect(ok.status).toBe(200);
  });
});

describe('resuming: Last-Event-ID', () => {
  async function threeRequests(api: Client, app: FastifyInstance) {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      await api.get('/api/v1/agents');
      ids.push(app.eventStream.lastId);
    }
    return ids;
  }

  it('the header (as EventSource sends it) gets what came after that event, and wins over the query parameter', async () => {
    const { app, api } = await makeFrozenApp(T0);
    const [first, second] = await threeRequests(api, app);
    const admin = client(app, null);
    const byHeader = await admin.get('/__admin/events?follow=false', { headers: { 'last-event-id': first! } });
    expect(parseSse(byHeader.raw).events.map((e) => e.id)).toHaveLength(2);
    const both = await admin.get(`/__admin/events?follow=false&last_event_id=${first}`, { headers: { 'last-event-id': second! } });
    expect(parseSse(both.raw).events).toHaveLength(1);
    const newest = await admin.get(`/__admin/events?follow=false&last_event_id=${app.eventStream.lastId}`);
    expect(parseSse(newest.raw).events).toEqual([]);
  });

  it.each([
    ['an ID of an earlier run of the server', (id: string) => `00000000.${id.split('.')[1]}`],
    ['an ID from the future', (id: string) => `${id.split('.')[0]}.${Number(id.split('.')[1]) + 10}`],
    ['something that is not an ID', () => 'yesterday'],
    ['an ID older than the buffer', (id: string) => `${id.split('.')[0]}.0`],
  ])('%s: stream.resync first (reload your state), with the newest ID to resume from', async (_case, make) => {
    const app = await makeApp({}, { eventStream: { bufferSize: 2 } });
    const api = client(app);
    for (let i = 0; i < 4; i++) await api.get('/api/v1/agents');
    const lastId = make(app.eventStream.lastId);
    const events = await after(app, lastId);
    expect(events).toEqual([{ id: app.eventStream.lastId, event: 'stream.resync', data: expect.any(String) }]);
    expect(data(events[0])).toEqual({ last_event_id: lastId, reason: 'The stream no longer holds the events after this ID' });
  });

  it('an ID just before the oldest one held is still a resume, not a resync', async () => {
    const app = await makeApp({}, { eventStream: { bufferSize: 2 } });
    const api = client(app);
    for (let i = 0; i < 4; i++) await api.get('/api/v1/agents');
    const [boot, n] = app.eventStream.lastId.split('.');
    expect(names(await after(app, `${boot}.${Number(n) - 2}`))).toEqual(['request.recorded', 'request.recorded']);
  });
});

describe('live, over a real socket', () => {
  async function listening(deps: Parameters<typeof makeApp>[1] = {}) {
    const app = await makeApp({}, deps);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address() as { port: number };
    return { app, origin: `http://127.0.0.1:${address.port}` };
  }

  it('what happens after the stream opened arrives on it, without reconnecting; heartbeats keep it alive', async () => {
    const { app, origin } = await listening({ eventStream: { heartbeatMs: 50 } });
    const stream = await openStream(`${origin}/__admin/events`);
    expect(stream.status).toBe(200);
    const sent = await fetch(`${origin}/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, {
      method: 'POST', headers: { 'x-api-key': DEMO_KEY, 'content-type': 'application/json' }, body: JSON.stringify({ message: { content: 'Live!' } }),
    });
    expect(sent.status).toBe(201);
    const { data: message } = (await sent.json()) as { data: { id: string } };
    await stream.until(({ events }) => events.some((e) => e.event === 'whatsapp.message.sent' && data(e).data.message_id === message.id));
    await stream.until(({ comments }) => comments.includes('heartbeat'));
    expect(app.eventStream.connectionCount).toBe(1);
    stream.close();
    await expect.poll(() => app.eventStream.connectionCount).toBe(0);
  });

  it('closing the app ends an open stream cleanly', async () => {
    const { app, origin } = await listening();
    const stream = await openStream(`${origin}/__admin/events`);
    await app.close();
    expect(await stream.closed).toBe('end');
  });

  it('a client that reconnects with its last ID gets what it missed in between', async () => {
    const { origin } = await listening();
    const stream = await openStream(`${origin}/__admin/events`);
    await fetch(`${origin}/api/v1/agents`, { headers: { 'x-api-key': DEMO_KEY } });
    await stream.until(({ events }) => events.length === 1);
    stream.close();
    const lastId = stream.events()[0]!.id!;
    await fetch(`${origin}/api/v1/customers`, { headers: { 'x-api-key': DEMO_KEY } });
    await fetch(`${origin}/api/v1/flows`, { headers: { 'x-api-key': DEMO_KEY } });
    const again = await openStream(`${origin}/__admin/events`, { 'last-event-id': lastId });
    await again.until(({ events }) => events.length === 2);
    expect(again.events().map((e) => data(e).path)).toEqual(['/api/v1/customers', '/api/v1/flows']);
    again.close();
  });
});

describe('shutdown', () => {
  it('SIGTERM with an open stream: the stream ends cleanly and the process exits 0', async () => {
    const server = await startServer();
    const stream = await openStream(`${server.url}/__admin/events`);
    await fetch(`${server.url}/api/v1/agents`, { headers: { 'x-api-key': DEMO_KEY } });
    await stream.until(({ events }) => events.length === 1, 10_000);
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    // A cut connection (the shutdown deadline forcing it closed) would read 'aborted'.
    expect(await stream.closed).toBe('end');
    const exit = await server.exited;
    expect(exit.code).toBe(0);
    // Generous, for a busy machine: without the stream's clean end the exit would wait for the forced close.
    expect(exit.at - signalled).toBeLessThan(5_000);
  });
});
