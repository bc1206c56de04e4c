// Agent executions (docs/families/agent-executions.md): starting one (202) with or without a phone
// number (the number's conversation on the agent's primary config, the message stored as the
// customer's inbound message, a conversation taken over), the list with its pagination in headers
// only and its filters, get, resume only from paused, a conversation's executions with `active` and
// `handoff_reason`, the 409 on manual messages while an execution is in charge, and the control
// plane that moves an execution through its lifecycle, with one event per real change.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import type { AnyEvent } from '../src/lib/events.js';
import { client, DEMO_KEY, ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { inbox, named, recordEvents } from './helpers/inbox.js';
import { demo, other, seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const BLOCKED = { error: 'Cannot send a manual message when an agent execution is active and not in handoff, failed, or stopped state' };

type Rec = Record<string, any>;
type Seeded = (typeof seed.records)[number];

const executionsUrl = (agentId: string, query = '') => `/api/v1/agents/${agentId}/executions${query}`;
const executionUrl = (agentId: string, id: string) => `${executionsUrl(agentId)}/${id}`;
const conversationExecutionsUrl = (conversationId: string, query = '') => `/api/v1/whatsapp_conversations/${conversationId}/agent_executions${query}`;
const statusUrl = (id: string) => `/__admin/executions/${id}/status`;
const messagesUrl = (conversationId: string) => `/api/v1/whatsapp_conversations/${conversationId}/whatsapp_messages`;

// The seeded executions, by what they are (fixtures/25-agent-executions.json).
const seeded = (match: (r: Rec) => boolean) => seed.find('agentExecutions', match);
const paused = seeded((r) => r.status === 'paused');
const running = seeded((r) => r.status === 'running');
const handoff = seeded((r) => r.status === 'handoff' && r.agent_id === ids.supportAgent);
const failed = seeded((r) => r.status === 'failed');
const started = seeded((r) => r.status === 'started');
const mariaEnded = seeded((r) => r.status === 'ended' && seed.records.some((l) => l.parentId === r.id && l.record.conversation_id === inbox.mariaOpen));
const priyaEnded = seeded((r) => r.status === 'ended' && r.agent_id === ids.orderAgent);
const otherHandoff = seeded((r) => r.agent_id === ids.otherAgent && r.status === 'handoff');
/** The association of a seeded execution with its conversation. */
const linkOf = (execution: Seeded) => seed.records.find((r) => r.kind === 'conversationExecutions' && r.parentId === execution.id)!;
const conversationOf = (execution: Seeded) => String(linkOf(execution).record.conversation_id);
/** How long before the fixtures loaded a seeded execution started (ms). */
const agoOf = (e: Seeded) => Number(e.record.ago);
const startOf = (r: Rec): string => (typeof r.ago === 'number' ? at(-r.ago) : String(r.started_at ?? r.created_at ?? T0));
const demoExecutions = (agentId: string) => seed.records.filter((r) => r.kind === 'agentExecutions' && r.record.agent_id === agentId);
const newestFirst = (records: Seeded[]) =>
  [...records].sort((a, b) => startOf(b.record).localeCompare(startOf(a.record)) || b.id.localeCompare(a.id)).map((r) => r.id);

let app: Awaited<ReturnType<typeof makeFrozenApp>>['app'];
let api: Client;
let admin: Client;
let clock: Clock;
let events: AnyEvent[];

beforeEach(async () => {
  ({ app, api, clock } = await makeFrozenApp(T0));
  admin = client(app, null);
  events = recordEvents(app);
});

const dump = () => app.state.dump();
const move = (id: string, body: Rec) => admin.post(statusUrl(id), { project_id: ids.demoProject, ...body });
const conversationsOf = async (phone: string) =>
  (await api.get(`/api/v1/whatsapp_conversations?q%5Bphone_number_eq%5D=${encodeURIComponent(phone)}`)).body.data as Rec[];
const messagesOf = async (conversationId: string) => (await api.get(messagesUrl(conversationId))).body.data as Rec[];

describe('the fixtures', () => {
  it('give the Demo Project\'s agents executions in every state, tied to conversations on their configs', () => {
    const demoStates = seed.records.filter((r) => r.kind === 'agentExecutions' && r.projectId === demo.id).map((r) => r.record.status);
    expect(new Set(demoStates)).toEqual(new Set(['started', 'running', 'paused', 'handoff', 'ended', 'failed']));
    expect(handoff.record.reason).toEqual(expect.any(String));
    expect(seed.records.filter((r) => r.kind === 'agentExecutions' && r.record.status === 'ended' && r.projectId === demo.id).length).toBeGreaterThanOrEqual(2);
    for (const e of [paused, running, handoff, failed, mariaEnded, priyaEnded]) expect(linkOf(e)).toBeDefined();
    expect(seed.count('agentExecutions', other.id)).toBeGreaterThan(0);
    expect(seed.count('conversationExecutions', other.id)).toBeGreaterThan(0);
  });

  it('read back with durations for the ended ones and ended for the failed one', async () => {
    const res = await api.get(executionUrl(ids.supportAgent, mariaEnded.id));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: mariaEnded.id, agent_id: ids.supportAgent, thread_id: expect.stringMatching(UUID_V4), status: 'ended',
      started_at: startOf(mariaEnded.record), ended_at: at(-agoOf(mariaEnded) + Number(mariaEnded.record.duration) * 1000), duration: Number(mariaEnded.record.duration),
    });
    const f = (await api.get(executionUrl(ids.supportAgent, failed.id))).body.data;
    expect(f).toMatchObject({ status: 'ended', duration: failed.record.duration });
    const p = (await api.get(executionUrl(ids.supportAgent, paused.id))).body.data;
    expect(p).toMatchObject({ status: 'paused', started_at: startOf(paused.record), ended_at: null, duration: null });
  });

  it('the same thread_id on every load (derived from the execution\'s ID)', async () => {
    const first = (await api.get(executionUrl(ids.supportAgent, paused.id))).body.data.thread_id;
    app.state.resetAll();
    expect((await api.get(executionUrl(ids.supportAgent, paused.id))).body.data.thread_id).toBe(first);
  });
});

describe('GET /agents/{agent_id}/executions', () => {
  it('every execution of the agent, newest first by started_at, pagination in the headers only', async () => {
    const res = await api.get(executionsUrl(ids.supportAgent));
    expect(res.status).toBe(200);
    const expected = newestFirst(demoExecutions(ids.supportAgent));
    expect(res.body.data.map((e: Rec) => e.id)).toEqual(expected);
    expect(Object.keys(res.body)).toEqual(['data']);
    expect(res.headers).toMatchObject({ total: String(expected.length), 'total-pages': '1', 'per-page': '20', page: '1' });
    for (const e of res.body.data) expect(e.agent_id).toBe(ids.supportAgent);
  });

  it('pages by the headers, with an RFC 8288 Link of absolute URLs that keep the other query parameters', async () => {
    const all = newestFirst(demoExecutions(ids.supportAgent));
    const res = await api.get(executionsUrl(ids.supportAgent, '?per_page=2&page=2&q%5Bended_at_lteq%5D='), { headers: { host: 'mock.test:4400' } });
    expect(res.status).toBe(200);
    expect(res.body.data.map((e: Rec) => e.id)).toEqual(all.slice(2, 4));
    const pages = Math.ceil(all.length / 2);
    expect(res.headers).toMatchObject({ total: String(all.length), 'total-pages': String(pages), 'per-page': '2', page: '2' });
    expect(String(res.headers.link).split(', ')).toEqual([
      `<http://mock.test:4400/api/v1/agents/${ids.supportAgent}/executions?per_page=2&page=1&q%5Bended_at_lteq%5D=>; rel="first"`,
      `<http://mock.test:4400/api/v1/agents/${ids.supportAgent}/executions?per_page=2&page=1&q%5Bended_at_lteq%5D=>; rel="prev"`,
      `<http://mock.test:4400/api/v1/agents/${ids.supportAgent}/executions?per_page=2&page=3&q%5Bended_at_lteq%5D=>; rel="next"`,
      `<http://mock.test:4400/api/v1/agents/${ids.supportAgent}/executions?per_page=2&page=${pages}&q%5Bended_at_lteq%5D=>; rel="last"`,
    ]);
  });

  it('a page past the end is empty with the true totals; per_page above 100 is clamped; bad values fall back', async () => {
    const total = demoExecutions(ids.supportAgent).length;
    const past = await api.get(executionsUrl(ids.supportAgent, '?page=9'));
    expect(past.body.data).toEqual([]);
    expect(past.headers).toMatchObject({ total: String(total), page: '9' });
    expect(String(past.headers.link)).not.toContain('rel="next"');
    expect((await api.get(executionsUrl(ids.supportAgent, '?per_page=500'))).headers['per-page']).toBe('100');
    expect((await api.get(executionsUrl(ids.supportAgent, '?per_page=x&page=-1'))).headers).toMatchObject({ 'per-page': '20', page: '1' });
  });

  it.each([
    ['q[status_eq]=ended (a failed execution is ended)', 'q%5Bstatus_eq%5D=ended', (r: Rec) => r.status === 'ended' || r.status === 'failed'],
    ['q[status_eq]=paused', 'q%5Bstatus_eq%5D=paused', (r: Rec) => r.status === 'paused'],
    ['q[status_eq]=failed (not a status of the spec: matches nothing)', 'q%5Bstatus_eq%5D=failed', () => false],
    ['q[status_eq] blank (ignored)', 'q%5Bstatus_eq%5D=', () => true],
    ['q[started_at_gteq] an hour ago', `q%5Bstarted_at_gteq%5D=${at(-3_600_000)}`, (r: Rec) => startOf(r) >= at(-3_600_000)],
    ['q[started_at_lteq] a bare date (the whole day)', 'q%5Bstarted_at_lteq%5D=2026-02-14', (r: Rec) => startOf(r) < '2026-02-15'],
    ['q[ended_at_gteq] (running ones have not ended)', 'q%5Bended_at_gteq%5D=2026-01-01', (r: Rec) => r.status === 'ended' || r.status === 'failed'],
    ['q[ended_at_lteq] before the first end', 'q%5Bended_at_lteq%5D=2026-01-19', () => false],
    ['an unknown q[...] key (ignored)', 'q%5Bthread_id_eq%5D=x', () => true],
  ])('%s', async (_case, query, keep) => {
    const res = await api.get(executionsUrl(ids.supportAgent, `?${query}`));
    expect(res.status).toBe(200);
    const expected = newestFirst(demoExecutions(ids.supportAgent).filter((r) => keep(r.record)));
    expect(res.body.data.map((e: Rec) => e.id)).toEqual(expected);
    expect(res.headers.total).toBe(String(expected.length));
  });

  it('a browser sees the pagination headers (CORS exposes them)', async () => {
    const res = await app.inject({ method: 'GET', url: executionsUrl(ids.supportAgent, '?per_page=1'), headers: { 'x-api-key': DEMO_KEY, origin: 'http://localhost:5173' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    const exposed = String(res.headers['access-control-expose-headers']).split(/,\s*/);
    for (const header of ['Total', 'Total-Pages', 'Per-Page', 'Page', 'Link']) {
      expect(exposed).toContain(header);
      expect(res.headers[header.toLowerCase()]).toBeDefined();
    }
  });
});

describe('404s', () => {
  it.each([
    ['an unknown agent', MISSING_ID, DEMO_KEY],
    ['an agent ID that is not a UUID', 'agent-123abc', DEMO_KEY],
    ["another project's agent", ids.otherAgent, DEMO_KEY],
    ["the Demo Project's agent with the other key", ids.supportAgent, OTHER_KEY],
  ])('%s: "Agent not found" on every execution route, nothing written', async (_case, agentId, key) => {
    const before = dump();
    for (const res of [
      await api.get(executionsUrl(agentId), { key }),
      await api.post(executionsUrl(agentId), { message: 'Hi', phone_number: '+15550190077' }, { key }),
      await api.get(executionUrl(agentId, paused.id), { key }),
      await api.post(`${executionUrl(agentId, paused.id)}/resume`, {}, { key }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Agent not found' });
    }
    expect(dump()).toEqual(before);
  });

  it.each([
    ['an unknown execution', MISSING_ID],
    ['an ID that is not a UUID', 'execution-789ghi'],
    ["another agent's execution", priyaEnded.id],
    ["another project's execution", otherHandoff.id],
  ])('%s: "Execution not found" on get and resume', async (_case, id) => {
    const before = dump();
    expect((await api.get(executionUrl(ids.supportAgent, id))).body).toEqual({ error: 'Execution not found' });
    const res = await api.post(`${executionUrl(ids.supportAgent, id)}/resume`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Execution not found' });
    expect(dump()).toEqual(before);
  });

  it('an execution ID in capitals finds the execution', async () => {
    expect((await api.get(executionUrl(ids.supportAgent, paused.id.toUpperCase()))).body.data.id).toBe(paused.id);
  });
});

describe('POST /agents/{agent_id}/executions', () => {
  it('the client flow: a new number gets a conversation on the primary config, the message, a contact, and an execution in charge', async () => {
    const phone = '+1 (555) 019-0042';
    const res = await api.post(executionsUrl(ids.supportAgent), { message: 'Hi! Where is my order ACME-10424?', phone_number: phone });
    expect(res.status).toBe(202);
    const execution = res.body.data;
    expect(execution).toEqual({
      id: expect.stringMatching(UUID_V4), agent_id: ids.supportAgent, thread_id: expect.stringMatching(UUID_V4), status: 'started',
      started_at: T0, ended_at: null, duration: null,
    });
    expect((await api.get(executionUrl(ids.supportAgent, execution.id))).body.data).toEqual(execution);
    expect((await api.get(executionsUrl(ids.supportAgent))).body.data[0]).toEqual(execution);

    const [conversation] = await conversationsOf(phone);
    expect(conversation).toMatchObject({ phone_number: '+15550190042', status: 'active', whatsapp_config_id: ids.acmeSupport, last_active_at: T0 });
    const messages = await messagesOf(conversation!.id);
    expect(messages).toEqual([expect.objectContaining({ direction: 'inbound', message_type: 'text', content: 'Hi! Where is my order ACME-10424?', status: 'received' })]);
    expect((await api.get('/api/v1/whatsapp_contacts/15550190042')).body.data).toMatchObject({ wa_id: '15550190042', customer_id: ids.acme });

    const links = await api.get(conversationExecutionsUrl(conversation!.id));
    expect(links.body).toEqual({
      data: [{ id: expect.stringMatching(UUID_V4), active: true, handoff_reason: null, created_at: T0, updated_at: T0, agent_execution: execution }],
      meta: { page: 1, per_page: 20, total_pages: 1, total_count: 1 },
    });
    expect((await api.get(conversationExecutionsUrl(conversation!.id).concat(`/${links.body.data[0].id}`))).body.data).toEqual(links.body.data[0]);

    expect(named(events)).toEqual(['whatsapp.conversation.created', 'record.created', 'whatsapp.message.received', 'agent_execution.started']);
    expect(events.at(-1)!.data).toEqual({ execution_id: execution.id, agent_id: ids.supportAgent, conversation_id: conversation!.id });

    // The execution is in charge: a manual message is refused, by conversation and by number.
    expect((await api.post(messagesUrl(conversation!.id), { message: { content: 'Manual reply' } })).body).toEqual(BLOCKED);
    const byNumber = await api.post('/api/v1/whatsapp_messages', { message: { phone_number: phone, content: 'Manual reply' } });
    expect(byNumber.status).toBe(409);
    expect(byNumber.body).toEqual(BLOCKED);
  });

  it('reuses the number\'s active conversation, and the stored message opens the 24-hour window', async () => {
    // Priya last wrote in March: her window on Globex Orders (the Order Status Agent's primary config) is closed.
    expect((await api.post(messagesUrl(inbox.priyaClosed), { message: { content: 'Hello?' } })).status).toBe(422);
    const res = await api.post(executionsUrl(ids.orderAgent), { message: { type: 'user_input', content: { text: 'Did my planters ship?' } }, phone_number: '15550107788' });
    expect(res.status).toBe(202);
    expect((await conversationsOf('+15550107788')).map((c) => c.id)).toEqual([inbox.priyaClosed]);
    expect((await messagesOf(inbox.priyaClosed))[0]).toMatchObject({ direction: 'inbound', content: 'Did my planters ship?' });
    expect((await api.post(messagesUrl(inbox.priyaClosed), { message: { content: 'Still blocked' } })).status).toBe(409);
    expect((await move(res.body.data.id, { status: 'ended' })).status).toBe(200);
    expect((await api.post(messagesUrl(inbox.priyaClosed), { message: { content: 'Yes, they shipped on Friday.' } })).status).toBe(201);
  });

  it('takes over a conversation: the execution in charge ends', async () => {
    const lucas = conversationOf(running);
    events.length = 0;
    clock.advance(60_000);
    const res = await api.post(executionsUrl(ids.supportAgent), { message: 'Alguém aí?', phone_number: '+55 11 95550-1234' });
    expect(res.status).toBe(202);
    expect((await api.get(executionUrl(ids.supportAgent, running.id))).body.data).toMatchObject({
      status: 'ended', ended_at: at(60_000), duration: Math.floor((60_000 + agoOf(running)) / 1000),
    });
    const links = (await api.get(conversationExecutionsUrl(lucas))).body.data;
    expect(links.map((l: Rec) => [l.agent_execution.id, l.active])).toEqual([[res.body.data.id, true], [running.id, false]]);
    expect(named(events)).toEqual(['agent_execution.ended', 'whatsapp.message.received', 'agent_execution.started']);
    expect(events[0]!.data).toEqual({ execution_id: running.id, agent_id: ids.supportAgent, conversation_id: lucas });
  });

  it.each([
    ['a payload message (not the customer\'s words)', { message: { type: 'payload', content: { order_id: 'ACME-10424' } } }],
    ['no message', {}],
    ['a user_input without text', { message: { type: 'user_input', content: { button: 'yes' } } }],
  ])('%s: the conversation opens, no message is stored', async (_case, body) => {
    const res = await api.post(executionsUrl(ids.supportAgent), { ...body, phone_number: '+15550190043' });
    expect(res.status).toBe(202);
    const [conversation] = await conversationsOf('+15550190043');
    expect(conversation).toMatchObject({ status: 'active', whatsapp_config_id: ids.acmeSupport });
    expect(await messagesOf(conversation!.id)).toEqual([]);
    expect(named(events)).toEqual(['whatsapp.conversation.created', 'record.created', 'agent_execution.started']);
  });

  it('without a phone number: an execution and nothing else', async () => {
    const before = dump();
    const res = await api.post(executionsUrl(ids.orderAgent), { message: 'Check the carrier feeds' });
    expect(res.status).toBe(202);
    const after = dump();
    for (const table of Object.keys(after)) {
      if (table !== 'agent_executions') expect(after[table], table).toEqual(before[table]);
    }
    expect(after.agent_executions!.length).toBe(before.agent_executions!.length + 1);
    expect(named(events)).toEqual(['agent_execution.started']);
    expect(events[0]!.data).toEqual({ execution_id: res.body.data.id, agent_id: ids.orderAgent, conversation_id: null });
  });

  it('whatsapp_config_id (the later revision) picks one of the agent\'s linked configs', async () => {
    const res = await api.post(executionsUrl(ids.supportAgent), { message: 'Bulk order question', phone_number: '+15550190044', whatsapp_config_id: ids.acmeSales });
    expect(res.status).toBe(202);
    expect((await conversationsOf('+15550190044'))[0]).toMatchObject({ whatsapp_config_id: ids.acmeSales });
  });

  it('an agent without a primary WhatsApp config: 400 saying so, nothing stored', async () => {
    const agent = (await api.post('/api/v1/agents', { agent: { name: 'Fresh Agent' } })).body.data;
    const link = (await api.post(`/api/v1/agents/${agent.id}/agent_whatsapp_configs`, { agent_whatsapp_config: { whatsapp_config_id: ids.acmeSales } })).body.data;
    expect(link.is_primary).toBe(false);
    const before = dump();
    const res = await api.post(executionsUrl(agent.id), { message: 'Hi', phone_number: '+15550190045' });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error: 'Invalid parameters',
      message: 'The agent has no primary WhatsApp configuration to reach phone_number: link one with is_primary true, or give whatsapp_config_id',
    });
    expect(dump()).toEqual(before);
    // Without a phone number it needs none; naming its linked config works too.
    expect((await api.post(executionsUrl(agent.id), { message: 'Hi' })).status).toBe(202);
    expect((await api.post(executionsUrl(agent.id), { message: 'Hi', phone_number: '+15550190045', whatsapp_config_id: ids.acmeSales })).status).toBe(202);
  });

  it.each([
    ['message a number', { message: 7 }, 'message must be a string or an object'],
    ['message blank', { message: '  ' }, "message can't be blank"],
    ['message too long', { message: 'x'.repeat(4097) }, 'message is too long (at most 4096 characters)'],
    ['message.type not of the enum', { message: { type: 'command', content: { text: 'x' } } }, 'message.type must be one of: user_input, payload'],
    ['message.content not an object', { message: { type: 'user_input', content: 'x' } }, 'message.content must be an object'],
    ['message.content.text blank', { message: { content: { text: '' } } }, "message.content.text can't be blank"],
    ['message.content.text not a string', { message: { content: { text: 5 } } }, 'message.content.text must be a string'],
    ['phone_number not a number', { message: 'Hi', phone_number: 'call me' }, 'phone_number is not a valid phone number (7 to 15 digits, e.g. +15550102030)'],
    ['phone_number not a string', { message: 'Hi', phone_number: 15550102030 }, 'phone_number must be a string'],
    ['whatsapp_config_id not a string', { message: 'Hi', whatsapp_config_id: 5 }, 'whatsapp_config_id must be a string'],
  ])('422 for %s, nothing stored', async (_case, body, message) => {
    const before = dump();
    const res = await api.post(executionsUrl(ids.supportAgent), body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
    expect(dump()).toEqual(before);
  });

  it.each([
    ['an unknown config', MISSING_ID, { error: 'Whatsapp config must exist' }],
    ["another project's config", ids.umbrellaConfig, { error: 'Whatsapp config must exist' }],
    ['a config of the project the agent is not linked to', ids.initechDispatch, { error: 'Validation failed', message: 'whatsapp_config_id is not linked to this agent' }],
  ])('whatsapp_config_id naming %s: 422, nothing stored', async (_case, configId, body) => {
    const before = dump();
    const res = await api.post(executionsUrl(ids.supportAgent), { message: 'Hi', phone_number: '+15550190046', whatsapp_config_id: configId });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(body);
    expect(dump()).toEqual(before);
  });

  it.each([
    ['no body', undefined],
    ['a JSON array', '[]'],
    ['a string', '"go"'],
  ])('400 for %s', async (_case, body) => {
    const res = await api.call('POST', executionsUrl(ids.supportAgent), { body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('Invalid parameters');
  });
});

describe('POST /agents/{agent_id}/executions/{execution_id}/resume', () => {
  it('paused -> running; the customer\'s answer lands in the execution\'s conversation', async () => {
    const daniel = conversationOf(paused);
    clock.advance(5_000);
    const res = await api.post(`${executionUrl(ids.supportAgent, paused.id)}/resume`, { message: { type: 'user_input', content: { text: 'It is ACME-10988.' } } });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: paused.id, status: 'running', ended_at: null, duration: null });
    expect((await api.get(executionUrl(ids.supportAgent, paused.id))).body.data).toEqual(res.body.data);
    expect((await messagesOf(daniel))[0]).toMatchObject({ direction: 'inbound', content: 'It is ACME-10988.', created_at: at(5_000) });
    expect(named(events)).toEqual(['record.updated', 'whatsapp.message.received']);
    expect(events[0]!.data).toEqual({ type: 'agent_execution', id: paused.id });
  });

  it('without a body, or with a payload: resumed, no message stored', async () => {
    const daniel = conversationOf(paused);
    const before = await messagesOf(daniel);
    expect((await api.post(`${executionUrl(ids.supportAgent, paused.id)}/resume`)).status).toBe(200);
    await move(paused.id, { status: 'paused' });
    expect((await api.post(`${executionUrl(ids.supportAgent, paused.id)}/resume`, { message: { type: 'payload', content: { approved: true } } })).status).toBe(200);
    expect(await messagesOf(daniel)).toEqual(before);
  });

  it('an ended conversation gets no message', async () => {
    const daniel = conversationOf(paused);
    expect((await api.patch(`/api/v1/whatsapp_conversations/${daniel}`, { whatsapp_conversation: { status: 'ended' } })).status).toBe(200);
    const before = await messagesOf(daniel);
    expect((await api.post(`${executionUrl(ids.supportAgent, paused.id)}/resume`, { message: { content: { text: 'Hello again' } } })).status).toBe(200);
    expect(await messagesOf(daniel)).toEqual(before);
  });

  it.each([
    ['running', () => running.id],
    ['started', () => started.id],
    ['in handoff', () => handoff.id],
    ['ended', () => mariaEnded.id],
    ['failed', () => failed.id],
  ])('an execution %s: 400 "Execution cannot be resumed", nothing changes', async (_case, id) => {
    const execution = id();
    const agent = execution === started.id ? ids.orderAgent : ids.supportAgent;
    const before = dump();
    const res = await api.post(`${executionUrl(agent, execution)}/resume`, { message: { content: { text: 'Hi' } } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Execution cannot be resumed', message: 'This execution is not in a paused state' });
    expect(dump()).toEqual(before);
  });

  it('a second resume is refused: the execution is running now', async () => {
    expect((await api.post(`${executionUrl(ids.supportAgent, paused.id)}/resume`)).status).toBe(200);
    expect((await api.post(`${executionUrl(ids.supportAgent, paused.id)}/resume`)).status).toBe(400);
  });

  it('422 for a message of the wrong shape', async () => {
    const res = await api.post(`${executionUrl(ids.supportAgent, paused.id)}/resume`, { message: 'plain text' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'message must be an object' });
  });
});

describe("a conversation's executions", () => {
  it('lists them newest first with active, handoff_reason and the execution embedded', async () => {
    const res = await api.get(conversationExecutionsUrl(inbox.jamesOpen));
    expect(res.status).toBe(200);
    const execution = (await api.get(executionUrl(ids.supportAgent, handoff.id))).body.data;
    expect(res.body.data).toEqual([{
      id: linkOf(handoff).id, active: true, handoff_reason: handoff.record.reason, created_at: startOf(handoff.record), updated_at: startOf(handoff.record),
      agent_execution: execution,
    }]);
    expect(execution.status).toBe('handoff');
    const maria = (await api.get(conversationExecutionsUrl(inbox.mariaOpen))).body.data;
    expect(maria).toEqual([expect.objectContaining({ id: linkOf(mariaEnded).id, active: false, handoff_reason: null })]);
  });

  it('pages with the body meta', async () => {
    for (const text of ['one', 'two']) await api.post(executionsUrl(ids.supportAgent), { message: text, phone_number: '+15550102030' });
    const res = await api.get(conversationExecutionsUrl(inbox.mariaOpen, '?per_page=2&page=2'));
    expect(res.body.meta).toEqual({ page: 2, per_page: 2, total_pages: 2, total_count: 3 });
    expect(res.body.data.map((l: Rec) => l.id)).toEqual([linkOf(mariaEnded).id]);
  });

  it('gets one by the association\'s ID', async () => {
    const res = await api.get(`${conversationExecutionsUrl(inbox.jamesOpen)}/${linkOf(handoff).id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ id: linkOf(handoff).id, active: true, handoff_reason: handoff.record.reason, agent_execution: { id: handoff.id } });
  });

  it.each([
    ['an unknown association', () => inbox.jamesOpen, () => MISSING_ID, DEMO_KEY],
    ["another conversation's association", () => inbox.jamesOpen, () => linkOf(mariaEnded).id, DEMO_KEY],
    ['the execution\'s ID instead of the association\'s', () => inbox.jamesOpen, () => handoff.id, DEMO_KEY],
    ['an unknown conversation', () => MISSING_ID, () => linkOf(handoff).id, DEMO_KEY],
    ["the Demo Project's records with the other key", () => inbox.jamesOpen, () => linkOf(handoff).id, OTHER_KEY],
  ])('get: %s is the spec\'s 404 "Conversation or association not found"', async (_case, conversation, id, key) => {
    const res = await api.get(`${conversationExecutionsUrl(conversation())}/${id()}`, { key });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Conversation or association not found' });
  });

  it.each([
    ['an unknown conversation', MISSING_ID, DEMO_KEY],
    ["another project's conversation", inbox.helenOpen, DEMO_KEY],
    ["the Demo Project's conversation with the other key", inbox.jamesOpen, OTHER_KEY],
  ])('list: %s is 404 "Conversation not found"', async (_case, conversation, key) => {
    const res = await api.get(conversationExecutionsUrl(conversation), { key });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Conversation not found' });
  });
});

describe('the 409 on manual messages', () => {
  it.each([
    ['running (Lucas)', () => conversationOf(running), 409],
    ['paused (Daniel)', () => conversationOf(paused), 409],
    ['in handoff (James)', () => conversationOf(handoff), 201],
    ['ended (Maria)', () => conversationOf(mariaEnded), 201],
  ])('an execution %s: %s on both send routes', async (_case, conversation, status) => {
    const id = conversation();
    const phone = (await api.get(`/api/v1/whatsapp_conversations/${id}`)).body.data.phone_number;
    const before = dump();
    const byConversation = await api.post(messagesUrl(id), { message: { content: 'A person writes' } });
    const byNumber = await api.post('/api/v1/whatsapp_messages', { message: { phone_number: phone, content: 'A person writes' } });
    expect([byConversation.status, byNumber.status]).toEqual([status, status]);
    if (status === 409) {
      expect(byConversation.body).toEqual(BLOCKED);
      expect(byNumber.body).toEqual(BLOCKED);
      expect(dump()).toEqual(before);
    }
  });

  it('follows the execution: a handoff frees the conversation, the agent taking it back blocks it, ending frees it for good', async () => {
    const lucas = conversationOf(running);
    const send = async () => (await api.post(messagesUrl(lucas), { message: { content: 'Olá Lucas!' } })).status;
    expect(await send()).toBe(409);
    await move(running.id, { status: 'handoff', reason: 'Asks in Portuguese' });
    expect(await send()).toBe(201);
    await move(running.id, { status: 'paused' });
    expect(await send()).toBe(409);
    await move(running.id, { status: 'failed', reason: 'Tool error' });
    expect(await send()).toBe(201);
  });

  it('only the conversation\'s own execution counts (Maria\'s other conversations are free)', async () => {
    await api.post(executionsUrl(ids.supportAgent), { message: 'Hi', phone_number: '+15550102030', whatsapp_config_id: ids.acmeSales });
    expect((await api.post(messagesUrl(inbox.mariaOpen), { message: { content: 'Free' } })).status).toBe(201);
  });
});

describe('POST /__admin/executions/{id}/status', () => {
  it('moves an execution through its lifecycle, one event per real change', async () => {
    const id = running.id;
    const lucas = conversationOf(running);
    const steps: [Rec, string | undefined][] = [
      [{ status: 'paused' }, 'record.updated'],
      [{ status: 'paused' }, undefined],
      [{ status: 'running' }, 'record.updated'],
      [{ status: 'handoff', reason: 'Wants to talk to a person' }, 'agent_execution.handoff'],
      [{ status: 'handoff', reason: 'Wants to talk to a person' }, undefined],
      [{ status: 'handoff', reason: 'Asked for the manager' }, 'record.updated'],
      [{ status: 'running' }, 'record.updated'],
      [{ status: 'handoff', reason: 'Billing question' }, 'agent_execution.handoff'],
    ];
    for (const [body, event] of steps) {
      events.length = 0;
      const res = await move(id, body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(res.body.data).toMatchObject({ id, status: body.status, failed: false });
      expect(named(events), JSON.stringify(body)).toEqual(event ? [event] : []);
    }
    const link = (await api.get(conversationExecutionsUrl(lucas))).body.data[0];
    expect(link).toMatchObject({ active: true, handoff_reason: 'Billing question', agent_execution: { status: 'handoff' } });

    clock.advance(90_000);
    events.length = 0;
    const ended = await move(id, { status: 'ended' });
    expect(ended.status).toBe(200);
    const duration = Math.floor((90_000 + agoOf(running)) / 1000);
    expect(ended.body.data).toEqual({
      id, agent_id: ids.supportAgent, thread_id: expect.stringMatching(UUID_V4), status: 'ended', started_at: startOf(running.record),
      ended_at: at(90_000), duration, failed: false, reason: 'Billing question',
      whatsapp_conversation: { id: linkOf(running).id, conversation_id: lucas, active: false, handoff_reason: 'Billing question', updated_at: at(90_000) },
    });
    expect(named(events)).toEqual(['agent_execution.ended']);
    expect(events[0]!.data).toEqual({ execution_id: id, agent_id: ids.supportAgent, conversation_id: lucas });
    expect((await api.get(executionUrl(ids.supportAgent, id))).body.data).toMatchObject({ status: 'ended', ended_at: at(90_000), duration });

    // Ended is final: the same status again changes nothing; anything else is 422.
    events.length = 0;
    expect((await move(id, { status: 'ended' })).status).toBe(200);
    const again = await move(id, { status: 'running' });
    expect(again.status).toBe(422);
    expect(again.body).toEqual({ error: 'Validation failed', message: 'The agent execution has already ended: it cannot move any more' });
    expect(events).toEqual([]);
  });

  it('a handoff records its reason on the conversation\'s execution; the agent taking over again clears it', async () => {
    const res = await move(paused.id, { status: 'handoff', reason: 'Return needs a manager\'s approval' });
    expect(res.body.data.whatsapp_conversation).toMatchObject({ active: true, handoff_reason: 'Return needs a manager\'s approval' });
    expect(named(events)).toEqual(['agent_execution.handoff']);
    expect(events[0]!.data).toEqual({ execution_id: paused.id, agent_id: ids.supportAgent, conversation_id: conversationOf(paused), reason: 'Return needs a manager\'s approval' });
    const back = await move(paused.id, { status: 'running' });
    expect(back.body.data).toMatchObject({ status: 'running', reason: null, whatsapp_conversation: { handoff_reason: null, active: true } });
  });

  it('failed reads ended on /api/v1; the control plane shows the failure and its reason', async () => {
    clock.advance(2_000);
    const res = await move(paused.id, { status: 'failed', reason: 'The order_lookup webhook timed out' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'ended', failed: true, reason: 'The order_lookup webhook timed out', ended_at: at(2_000) });
    expect(named(events)).toEqual(['agent_execution.failed']);
    expect(events[0]!.data).toMatchObject({ execution_id: paused.id, reason: 'The order_lookup webhook timed out' });
    const api1 = (await api.get(executionUrl(ids.supportAgent, paused.id))).body.data;
    expect(api1).toMatchObject({ status: 'ended', ended_at: at(2_000), duration: Math.floor((2_000 + agoOf(paused)) / 1000) });
    expect(Object.keys(api1).sort()).toEqual(['agent_id', 'duration', 'ended_at', 'id', 'started_at', 'status', 'thread_id']);
    expect((await api.get(executionsUrl(ids.supportAgent, '?q%5Bstatus_eq%5D=ended'))).body.data.map((e: Rec) => e.id)).toContain(paused.id);
    expect((await move(paused.id, { status: 'failed' })).status).toBe(200);
    expect((await move(paused.id, { status: 'ended' })).body).toEqual({ error: 'Validation failed', message: 'The agent execution has already failed: it cannot move any more' });
  });

  it('an execution started without a phone number moves too (no conversation)', async () => {
    const res = await move(started.id, { status: 'running' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'running', whatsapp_conversation: null });
  });

  it.each([
    ['a status it cannot be moved to', { status: 'started' }, 422, { error: 'Validation failed', message: 'status must be one of: running, paused, handoff, ended, failed' }],
    ['no status', {}, 422, { error: 'Validation failed', message: 'status must be one of: running, paused, handoff, ended, failed' }],
    ['a reason with running', { status: 'running', reason: 'because' }, 422, { error: 'Validation failed', message: 'reason is only given with status handoff or failed' }],
    ['a blank reason', { status: 'handoff', reason: ' ' }, 422, { error: 'Validation failed', message: "reason can't be blank" }],
  ])('%s: %s', async (_case, body, status, error) => {
    const before = dump();
    const res = await move(running.id, body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
    expect(dump()).toEqual(before);
  });

  it('the project: the one holding the ID, else project_id or an X-API-Key; several holding it is 422 naming them', async () => {
    expect((await admin.post(statusUrl(otherHandoff.id), { status: 'running' })).status).toBe(200);
    expect((await admin.post(statusUrl(MISSING_ID), { status: 'running' })).body).toEqual({ error: 'Agent execution not found' });
    expect((await admin.post(statusUrl(running.id), { status: 'paused', project_id: ids.otherProject })).body).toEqual({ error: 'Agent execution not found' });

    const sandbox = (await admin.post('/__admin/projects', { seed: true })).body.data;
    const ambiguous = await admin.post(statusUrl(running.id), { status: 'paused' });
    expect(ambiguous.status).toBe(422);
    expect(ambiguous.body).toEqual({
      error: 'Validation failed',
      message: `2 projects hold agent execution ${running.id}: give project_id (one of ${[ids.demoProject, sandbox.id].sort().join(', ')}) or their X-API-Key`,
    });
    const byKey = await admin.post(statusUrl(running.id), { status: 'paused' }, { headers: { 'x-api-key': sandbox.api_key } });
    expect(byKey.status).toBe(200);
    expect((await api.get(executionUrl(ids.supportAgent, running.id), { key: sandbox.api_key })).body.data.status).toBe('paused');
    expect((await api.get(executionUrl(ids.supportAgent, running.id))).body.data.status).toBe('running');
  });
});
