// Agent test chats: conversations with the simulated agent on an agent or a snapshot, continued
// with agent_test_chat_id, resumed with a payload; the processing state (latency on the mock's
// clock, or held by the control plane), the 400/402/404/422 cases, and credits.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { client, DEMO_KEY, ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const agentChats = (agentId: string) => `/api/v1/agents/${encodeURIComponent(agentId)}/test_chats`;
const snapshotChats = (snapshotId: string) => `/api/v1/agent_snapshots/${encodeURIComponent(snapshotId)}/test_chats`;
const chat = (id: string) => `/api/v1/test_chats/${encodeURIComponent(id)}`;
const resumeUrl = (id: string) => `${chat(id)}/resume`;
const settingsUrl = (projectId: string) => `/__admin/projects/${projectId}/agent_settings`;
const statusUrl = (id: string) => `/__admin/test_chats/${id}/status`;

const supportSnapshot = seed.find('agentSnapshots', (r) => r.agent_id === ids.supportAgent).id;
const seededChat = (match: (r: Record<string, unknown>) => boolean) => seed.find('agentTestChats', match);
const completedChat = seededChat((r) => r.agent_id === ids.supportAgent && r.status === 'completed' && r.agent_snapshot_id === undefined);
const snapshotChat = seededChat((r) => r.agent_snapshot_id === supportSnapshot);
const processingChat = seededChat((r) => r.status === 'processing');
const errorChat = seededChat((r) => r.status === 'error');
const otherChat = seededChat((r) => r.agent_id === ids.otherAgent);

// Replies of the seeded support agent's graph (fixtures/01-demo-project.json), node by node.
const GREETING = '[greeting] Welcome the customer to Acme support and ask how you can help today.';
const FAQ_SHIPPING = '[faq] Standard shipping takes 3 to 5 business days and express shipping arrives the next business day.';
const ORDER_LOOKUP = '[order_lookup] GET https://api.acme.example/orders/{{order_number}} answered '
  + '{"order_number":"ACME-10423","status":"shipped","carrier":"UPS","estimated_delivery":"2026-03-04"}';
const HANDOFF = '[human_handoff] Let the customer know a member of the Acme team will take over shortly.';
const GOODBYE = '[goodbye] Thank the customer for contacting Acme and say goodbye. (this chat closes after 30 minutes without a reply)';
const turn = (user: string, assistant: string) => [{ role: 'user', content: user }, { role: 'assistant', content: assistant }];

let api: Client;
let admin: Client;
let clock: Clock;
let db: import('../src/db/database.js').Db;

beforeEach(async () => {
  const made = await makeFrozenApp(T0);
  ({ api, clock, db } = made);
  admin = client(made.app, null);
});

const chatCount = () => (db.prepare('SELECT count(*) AS n FROM agent_test_chats').get() as { n: number }).n;
const setSettings = async (body: Record<string, unknown>, projectId: string = ids.demoProject) => {
  const res = await admin.patch(settingsUrl(projectId), body);
  expect(res.status).toBe(200);
  return res.body.data;
};

describe('client flow', () => {
  it('start, get, continue, get: every turn answered by the agent\'s graph', async () => {
    const started = await api.post(agentChats(ids.supportAgent), { message: 'How long does express shipping take?' });
    expect(started.status).toBe(201);
    const id = started.body.data.id as string;
    expect(id).toMatch(UUID_V4);
    expect(started.body).toEqual({
      data: {
        id, agent_id: ids.supportAgent, status: 'completed', conversation: turn('How long does express shipping take?', FAQ_SHIPPING),
        error: null, created_at: T0, updated_at: T0,
      },
    });
    expect(started.body.data).not.toHaveProperty('agent_snapshot_id');
    expect((await api.get(chat(id))).body).toEqual(started.body);

    clock.advance(30_000);
    const next = await api.post(agentChats(ids.supportAgent), { message: 'Thanks, bye!', agent_test_chat_id: id });
    expect(next.status).toBe(201);
    expect(next.body.data).toEqual({
      ...started.body.data,
      conversation: [...turn('How long does express shipping take?', FAQ_SHIPPING), ...turn('Thanks, bye!', GOODBYE)],
      updated_at: at(30_000),
    });
    expect((await api.get(chat(id))).body).toEqual(next.body);
    expect(chatCount()).toBe(seed.total('agentTestChats') + 1);
  });

  it('routes by the words of each message: an order, then a person (a global node wins from anywhere)', async () => {
    const started = await api.post(agentChats(ids.supportAgent), { message: 'Hi!' });
    expect(started.body.data.conversation[1].content).toBe(`${GREETING} You said: "Hi!".`);
    const id = started.body.data.id;
    const order = await api.post(agentChats(ids.supportAgent), { message: 'Where is my package?', agent_test_chat_id: id });
    expect(order.body.data.conversation.at(-1).content).toBe(ORDER_LOOKUP);
    const human = await api.post(agentChats(ids.supportAgent), { message: 'I want a human, now', agent_test_chat_id: id });
    expect(human.body.data.conversation.at(-1).content).toBe(HANDOFF);
  });

  it('is deterministic: the same graph and message give the same reply in any chat', async () => {
    const replies = [];
    for (let i = 0; i < 3; i++) {
      const res = await api.post(agentChats(ids.supportAgent), { message: 'Can I return my shoes?' });
      replies.push(res.body.data.conversation);
    }
    expect(replies[1]).toEqual(replies[0]);
    expect(replies[2]).toEqual(replies[0]);
    expect(replies[0][1].content).toBe('[faq] Returns are free within 30 days of delivery.');
  });

  it('a seeded chat reads as the same messages sent through the API would', async () => {
    const seeded = await api.get(chat(completedChat.id));
    const messages = completedChat.record.messages as string[];
    const res = await api.post(agentChats(ids.supportAgent), { message: messages[0] });
    let id = res.body.data.id;
    for (const message of messages.slice(1)) id = (await api.post(agentChats(ids.supportAgent), { message, agent_test_chat_id: id })).body.data.id;
    expect((await api.get(chat(id))).body.data.conversation).toEqual(seeded.body.data.conversation);
    expect(seeded.body.data.conversation).toEqual([
      ...turn('Hi there!', `${GREETING} You said: "Hi there!".`), ...turn('Where is my order ACME-10423?', ORDER_LOOKUP), ...turn('Great, thanks!', GOODBYE),
    ]);
  });

  it('follows the graph as it is now: an edit changes the next reply, a node\'s config.mock_reply is said as written', async () => {
    const before = await api.post(agentChats(ids.supportAgent), { message: 'What are your opening hours for support?' });
    expect(before.body.data.conversation[1].content).toBe('[faq] Our support team is available Monday to Friday, 9am to 6pm Eastern.');
    const graph = {
      nodes: [{ id: 'start', name: 'Front desk', type: 'DefaultNode', config: { mock_reply: 'Hello! You asked: {{message}}' } }],
    };
    expect((await api.patch(`/api/v1/agents/${ids.supportAgent}`, { agent: { graph } })).status).toBe(200);
    const after = await api.post(agentChats(ids.supportAgent), { message: 'What are your opening hours for support?' });
    expect(after.body.data.conversation[1].content).toBe('Hello! You asked: What are your opening hours for support?');
    // The old chat continues on the new graph too.
    const cont = await api.post(agentChats(ids.supportAgent), { message: 'And on Sunday?', agent_test_chat_id: before.body.data.id });
    expect(cont.body.data.conversation.at(-1).content).toBe('Hello! You asked: And on Sunday?');
  });

  it('never answers with an empty reply: a graph without nodes and an agent without a system prompt still speak', async () => {
    const created = await api.post('/api/v1/agents', { agent: { name: 'Blank' } });
    const agentId = created.body.data.id;
    await api.patch(`/api/v1/agents/${agentId}`, { agent: { graph: {} } });
    const res = await api.post(agentChats(agentId), { message: '?' });
    expect(res.body.data.conversation[1].content).toBe('Blank: How can I help you today? You said: "?".');
    await api.patch(`/api/v1/agents/${agentId}`, { agent: { graph: { nodes: [{ id: 'n', name: 'n', type: 'DefaultNode' }] }, system_prompt: 'You sell bikes. Be brief.' } });
    const again = await api.post(agentChats(agentId), { message: 'x'.repeat(200) });
    expect(again.body.data.conversation[1].content).toBe(`[n] You sell bikes. You said: "${'x'.repeat(77)}...".`);
  });
});

describe('snapshot chats', () => {
  it('talk to the frozen graph: the agent\'s later edits change nothing', async () => {
    const res = await api.post(snapshotChats(supportSnapshot), { message: 'Can I return my shoes?' });
    expect(res.status).toBe(201);
    // The snapshot predates the FAQ node: the greeting answers.
    expect(res.body.data).toMatchObject({
      agent_id: ids.supportAgent, agent_snapshot_id: supportSnapshot, status: 'completed',
      conversation: turn('Can I return my shoes?', `${GREETING} You said: "Can I return my shoes?".`),
    });
    await api.patch(`/api/v1/agents/${ids.supportAgent}`, { agent: { graph: { nodes: [{ id: 'x', name: 'x', type: 'HandoffNode' }] } } });
    const again = await api.post(snapshotChats(supportSnapshot), { message: 'Can I return my shoes?' });
    expect(again.body.data.conversation).toEqual(res.body.data.conversation);
    const cont = await api.post(snapshotChats(supportSnapshot), { message: 'Where is my order?', agent_test_chat_id: res.body.data.id });
    expect(cont.body.data.conversation.at(-1).content).toBe(ORDER_LOOKUP);
    expect((await api.get(chat(res.body.data.id))).body).toEqual(cont.body);
  });

  it('the seeded snapshot chat shows its snapshot', async () => {
    const res = await api.get(chat(snapshotChat.id));
    expect(res.status).toBe(200);
    expect(res.body.data.agent_snapshot_id).toBe(supportSnapshot);
  });

  it.each([
    ['an unknown snapshot', MISSING_ID],
    ['a snapshot id that is not a UUID', 'snapshot-1'],
    ["another project's snapshot", seed.find('agentSnapshots', (r) => r.agent_id === ids.otherAgent).id],
  ])('%s answers 404 "Agent snapshot not found"', async (_case, id) => {
    const res = await api.post(snapshotChats(id), { message: 'Hi' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Agent snapshot not found' });
    expect(chatCount()).toBe(seed.total('agentTestChats'));
  });
});

describe('continuing a chat: agent_test_chat_id names one of this target\'s chats', () => {
  it.each([
    ['an unknown chat', () => agentChats(ids.supportAgent), MISSING_ID],
    ['a chat id that is not a UUID', () => agentChats(ids.supportAgent), 'chat-1'],
    ["another agent's chat", () => agentChats(ids.orderAgent), completedChat.id],
    ["a snapshot's chat, through its agent", () => agentChats(ids.supportAgent), snapshotChat.id],
    ["the agent's own chat, through a snapshot", () => snapshotChats(supportSnapshot), completedChat.id],
    ["another project's chat", () => agentChats(ids.supportAgent), otherChat.id],
  ])('%s answers 404 "Test chat not found" and changes nothing', async (_case, url, chatId) => {
    const before = app_dump();
    const res = await api.post(url(), { message: 'Hi', agent_test_chat_id: chatId });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Test chat not found' });
    expect(app_dump()).toEqual(before);
  });

  it('an unknown agent is "Agent not found", whatever the chat', async () => {
    const res = await api.post(agentChats(MISSING_ID), { message: 'Hi', agent_test_chat_id: completedChat.id });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Agent not found' });
  });

  it('a chat in error can be continued, and completes again', async () => {
    const res = await api.post(agentChats(ids.supportAgent), { message: 'Thanks anyway', agent_test_chat_id: errorChat.id });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ status: 'completed', error: null });
  });
});

const app_dump = () => db.prepare('SELECT * FROM agent_test_chats ORDER BY id').all();

describe('body errors: the spec documents 400 for them', () => {
  const missing = { error: 'Invalid parameters', message: 'param is missing or the value is empty: message' };
  const invalid = (message: string) => ({ error: 'Invalid parameters', message });
  it.each([
    ['no body', undefined, missing],
    ['an empty object', {}, missing],
    ['an empty message', { message: '' }, missing],
    ['a blank message', { message: ' \n ' }, missing],
    ['a null message', { message: null }, missing],
    ['a numeric message', { message: 5 }, invalid('message must be a string')],
    ['an object message', { message: { text: 'Hi' } }, invalid('message must be a string')],
    ['a numeric agent_test_chat_id', { message: 'Hi', agent_test_chat_id: 7 }, invalid('agent_test_chat_id must be a string')],
    ['both wrong', { message: [], agent_test_chat_id: false }, invalid('message must be a string, agent_test_chat_id must be a string')],
    ['a body that is an array', [{ message: 'Hi' }], invalid('Body must be a JSON object')],
    ['a message longer than a WhatsApp text', { message: 'x'.repeat(4097) }, invalid('message is too long (at most 4096 characters)')],
  ])('%s: 400, nothing stored', async (_case, body, error) => {
    for (const url of [agentChats(ids.supportAgent), snapshotChats(supportSnapshot)]) {
      const res = await api.post(url, body);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(error);
    }
    expect(chatCount()).toBe(seed.total('agentTestChats'));
  });

  it('a message of 4096 characters is fine', async () => {
    const res = await api.post(agentChats(ids.supportAgent), { message: 'y'.repeat(4096) });
    expect(res.status).toBe(201);
    expect(res.body.data.conversation[0].content).toHaveLength(4096);
  });

  it('unknown fields are ignored', async () => {
    const res = await api.post(agentChats(ids.supportAgent), { message: 'Hi', agent_id: ids.otherAgent, status: 'error', conversation: [] });
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ agent_id: ids.supportAgent, status: 'completed' });
  });
});

describe('GET /test_chats/{id}', () => {
  it.each([
    ['an unknown id', MISSING_ID],
    ['an id that is not a UUID', 'chat-1'],
    ["another project's chat", otherChat.id],
  ])('%s answers 404 "Test chat not found"', async (_case, id) => {
    const res = await api.get(chat(id));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Test chat not found' });
  });

  it('shows the seeded processing chat without its held reply, and the error chat with its error', async () => {
    expect((await api.get(chat(processingChat.id))).body.data).toMatchObject({
      status: 'processing', error: null, conversation: [{ role: 'user', content: 'Can you track order GLX-5521 for me?' }],
    });
    expect((await api.get(chat(errorChat.id))).body.data).toMatchObject({
      status: 'error', error: 'Agent execution timed out after 60 seconds',
      conversation: [{ role: 'user', content: 'I was charged twice, I want to talk to someone about billing' }],
    });
    expect((await api.get(chat(otherChat.id), { key: OTHER_KEY })).status).toBe(200);
  });
});

describe('the processing state', () => {
  it('with a latency, a reply lands when the mock clock passes it; meanwhile continuing is 400 and resuming 422', async () => {
    expect(await setSettings({ test_chat_latency_ms: 5000 })).toEqual({ project_id: ids.demoProject, credits: null, test_chat_latency_ms: 5000 });
    const started = await api.post(agentChats(ids.supportAgent), { message: 'Where is my order?' });
    expect(started.status).toBe(201);
    const id = started.body.data.id;
    expect(started.body.data).toMatchObject({ status: 'processing', conversation: [{ role: 'user', content: 'Where is my order?' }], updated_at: T0 });

    clock.advance(4999);
    expect((await api.get(chat(id))).body.data.status).toBe('processing');
    const busy = await api.post(agentChats(ids.supportAgent), { message: 'Hello?', agent_test_chat_id: id });
    expect(busy.status).toBe(400);
    expect(busy.body).toEqual({
      error: 'Invalid parameters', message: 'Test chat is still processing the previous message; send the next one once its status is completed',
    });
    const resumed = await api.post(resumeUrl(id));
    expect(resumed.status).toBe(422);
    expect(resumed.body).toEqual({ error: 'Test chat cannot be resumed', message: 'This test chat is not in a completed state' });

    clock.advance(1);
    const landed = await api.get(chat(id));
    expect(landed.body.data).toEqual({ ...started.body.data, status: 'completed', conversation: turn('Where is my order?', ORDER_LOOKUP), updated_at: at(5000) });
    // Reading does not write: the row still holds the reply as pending, and reads the same later.
    clock.advance(60_000);
    expect((await api.get(chat(id))).body).toEqual(landed.body);

    const next = await api.post(agentChats(ids.supportAgent), { message: 'Thanks!', agent_test_chat_id: id });
    expect(next.body.data).toMatchObject({ status: 'processing', updated_at: at(65_000) });
    expect(next.body.data.conversation).toEqual([...turn('Where is my order?', ORDER_LOOKUP), { role: 'user', content: 'Thanks!' }]);
  });

  it('the control plane holds a reply, releases it, or fails the chat', async () => {
    await setSettings({ test_chat_latency_ms: 1000 });
    const id = (await api.post(agentChats(ids.supportAgent), { message: 'Can I return my shoes?' })).body.data.id;

    const held = await admin.post(statusUrl(id), { status: 'processing' });
    expect(held.status).toBe(200);
    expect(held.body.data).toMatchObject({ id, status: 'processing' });
    clock.advance(3_600_000);
    expect((await api.get(chat(id))).body.data.status).toBe('processing');

    const released = await admin.post(statusUrl(id), { status: 'completed' });
    expect(released.body.data).toMatchObject({
      status: 'completed', conversation: turn('Can I return my shoes?', '[faq] Returns are free within 30 days of delivery.'), updated_at: at(3_600_000),
    });
    expect((await api.get(chat(id))).body.data).toEqual(released.body.data);

    const failed = await admin.post(statusUrl(id), { status: 'error', error: 'Model overloaded' });
    expect(failed.body.data).toMatchObject({ status: 'error', error: 'Model overloaded' });
    expect((await api.get(chat(id))).body.data).toEqual(failed.body.data);
    expect((await api.post(resumeUrl(id))).status).toBe(422);

    // Setting the status it already has changes nothing.
    clock.advance(1000);
    const same = await admin.post(statusUrl(id), { status: 'error', error: 'Model overloaded' });
    expect(same.body.data.updated_at).toBe(failed.body.data.updated_at);
  });

  it('failing a processing chat drops the held reply; the default error is "The agent failed to respond"', async () => {
    const res = await admin.post(statusUrl(processingChat.id), { status: 'error' });
    expect(res.status).toBe(200);
    expect(res.body.data).toMatchObject({ status: 'error', error: 'The agent failed to respond', conversation: [{ role: 'user', content: 'Can you track order GLX-5521 for me?' }] });
    const done = await admin.post(statusUrl(processingChat.id), { status: 'completed' });
    expect(done.body.data).toMatchObject({ status: 'completed', error: null });
    expect(done.body.data.conversation).toHaveLength(1);
  });

  it('releasing the seeded processing chat shows the reply a new chat with the same message gets', async () => {
    const released = await admin.post(statusUrl(processingChat.id), { status: 'completed' });
    const fresh = await api.post(agentChats(ids.orderAgent), { message: 'Can you track order GLX-5521 for me?' });
    expect(released.body.data.conversation).toEqual(fresh.body.data.conversation);
    expect(fresh.body.data.conversation[1].content).toBe(
      '[lookup] POST https://orders.globex.example/v2/orders answered {"order_number":"GLX-5521","status":"out_for_delivery","eta":"today before 8pm"}',
    );
  });
});

describe('POST /test_chats/{id}/resume', () => {
  it('with a payload: the payload is a user turn, the agent answers it', async () => {
    clock.advance(1000);
    const res = await api.post(resumeUrl(completedChat.id), { message: { type: 'payload', content: { note: 'Customer wants a refund for the returned shoes' } } });
    expect(res.status).toBe(200);
    const before = (await api.get(chat(completedChat.id), { key: DEMO_KEY })).body.data;
    expect(res.body.data).toEqual(before);
    expect(res.body.data.conversation.slice(-2)).toEqual(turn(
      '{"note":"Customer wants a refund for the returned shoes"}',
      '[goodbye] Thank the customer for contacting Acme and say goodbye. (this chat closes after 30 minutes without a reply)',
    ));
    expect(res.body.data.updated_at).toBe(at(1000));
  });

  it('without a body: the agent goes on along its current node\'s first edge', async () => {
    const id = (await api.post(agentChats(ids.supportAgent), { message: 'Hi' })).body.data.id;
    for (const body of [undefined, {}, { message: { type: 'payload' } }]) {
      const res = await api.post(resumeUrl(id), body);
      expect(res.status).toBe(200);
      expect(res.body.data.status).toBe('completed');
    }
    const conversation = (await api.get(chat(id))).body.data.conversation;
    // greeting -> order_lookup (first edge) -> goodbye (its first edge) -> goodbye (no edge out).
    expect(conversation.slice(2).map((t: any) => t.content)).toEqual([ORDER_LOOKUP, GOODBYE, GOODBYE]);
    expect(conversation.every((t: any) => t.role === 'user' || t.content !== '')).toBe(true);
  });

  it.each([
    ['a type other than payload', { message: { type: 'text', content: {} } }, 'message.type must be one of: payload'],
    ['content that is not an object', { message: { type: 'payload', content: 'hi' } }, 'message.content must be an object'],
    ['a message that is a string', { message: 'hello' }, 'message must be an object'],
    ['a payload longer than 16384 characters as JSON', { message: { type: 'payload', content: { note: 'z'.repeat(16_400) } } },
      'message.content is too long (at most 16384 characters as JSON)'],
  ])('rejects %s with 422 and changes nothing', async (_case, body, message) => {
    const before = app_dump();
    const res = await api.post(resumeUrl(completedChat.id), body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
    expect(app_dump()).toEqual(before);
  });

  it.each([
    ['processing', processingChat.id],
    ['error', errorChat.id],
  ])('a chat in %s answers the spec\'s 422', async (_case, id) => {
    const res = await api.post(resumeUrl(id), { message: { type: 'payload', content: { a: 1 } } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Test chat cannot be resumed', message: 'This test chat is not in a completed state' });
  });

  it.each([
    ['an unknown id', MISSING_ID],
    ['an id that is not a UUID', 'chat-1'],
    ["another project's chat", otherChat.id],
  ])('%s answers 404 "Test chat not found"', async (_case, id) => {
    const res = await api.post(resumeUrl(id), {});
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Test chat not found' });
  });

  it('resumes a snapshot chat on the snapshot\'s graph', async () => {
    const res = await api.post(resumeUrl(snapshotChat.id));
    expect(res.status).toBe(200);
    expect(res.body.data.conversation.at(-1).content).toBe(ORDER_LOOKUP);
  });
});

describe('credits', () => {
  it('each reply spends one; with none left a new message ends the chat in error and resuming is 402', async () => {
    await setSettings({ credits: 2 });
    const id = (await api.post(agentChats(ids.supportAgent), { message: 'Hi' })).body.data.id;
    const second = await api.post(agentChats(ids.supportAgent), { message: 'Where is my order?', agent_test_chat_id: id });
    expect(second.body.data.status).toBe('completed');
    expect((await admin.get(settingsUrl(ids.demoProject))).body.data.credits).toBe(0);

    const resumed = await api.post(resumeUrl(id));
    expect(resumed.status).toBe(402);
    expect(resumed.body).toEqual({ error: `Insufficient credits. Go to https://app.kapso.ai/projects/${ids.demoProject}/billing` });
    expect((await api.get(chat(id))).body).toEqual(second.body);

    const third = await api.post(agentChats(ids.supportAgent), { message: 'Thanks!', agent_test_chat_id: id });
    expect(third.status).toBe(201);
    expect(third.body.data).toMatchObject({ status: 'error', error: 'Insufficient credits' });
    expect(third.body.data.conversation.at(-1)).toEqual({ role: 'user', content: 'Thanks!' });
    const fresh = await api.post(snapshotChats(supportSnapshot), { message: 'Hi' });
    expect(fresh.body.data).toMatchObject({ status: 'error', error: 'Insufficient credits', conversation: [{ role: 'user', content: 'Hi' }] });

    // 402 comes before the state check: a chat that is not completed is also 402 without credits.
    expect((await api.post(resumeUrl(processingChat.id))).status).toBe(402);
    // Other projects are not affected.
    expect((await api.post(resumeUrl(otherChat.id), {}, { key: OTHER_KEY })).status).toBe(200);

    // The chat that ran out stays in error; credits back, another chat resumes.
    await setSettings({ credits: null });
    expect((await api.post(resumeUrl(id))).status).toBe(422);
    expect((await api.post(resumeUrl(completedChat.id))).status).toBe(200);
  });
});

describe('control plane: which project a named chat is in', () => {
  it('the only project holding the ID, else project_id or X-API-Key; 422 when several hold it', async () => {
    expect((await admin.post(statusUrl(completedChat.id), { status: 'processing' })).status).toBe(200);
    const sandbox = await admin.post('/__admin/projects', { seed: true });
    expect(sandbox.status).toBe(201);
    const ambiguous = await admin.post(statusUrl(completedChat.id), { status: 'completed' });
    expect(ambiguous.status).toBe(422);
    expect(ambiguous.body).toEqual({
      error: 'Validation failed',
      message: `2 projects hold test chat ${completedChat.id}: give project_id (one of ${[ids.demoProject, sandbox.body.data.id].sort().join(', ')}) or their X-API-Key`,
    });
    // The sandbox's copy was made from the fixtures: completed.
    const sandboxKey = sandbox.body.data.api_key as string;
    expect((await api.get(chat(completedChat.id), { key: sandboxKey })).body.data.status).toBe('completed');
    const byKey = await admin.post(statusUrl(completedChat.id), { status: 'error', error: 'Sandbox only' }, { key: sandboxKey });
    expect(byKey.status).toBe(200);
    expect((await api.get(chat(completedChat.id), { key: sandboxKey })).body.data).toMatchObject({ status: 'error', error: 'Sandbox only' });
    expect((await api.get(chat(completedChat.id))).body.data.status).toBe('processing');
    const byBody = await admin.post(statusUrl(completedChat.id), { status: 'completed', project_id: ids.demoProject });
    expect(byBody.body.data.status).toBe('completed');
    const byQuery = await admin.post(`${statusUrl(completedChat.id)}?project_id=${ids.demoProject}`, { status: 'error' });
    expect(byQuery.body.data.status).toBe('error');
    expect((await api.get(chat(completedChat.id), { key: sandboxKey })).body.data.error).toBe('Sandbox only');
  });

  it.each([
    ['an unknown chat', MISSING_ID, {}, 404, { error: 'Test chat not found' }],
    ['an unknown project', completedChat.id, { project_id: MISSING_ID }, 404, { error: 'Project not found' }],
    ["the chat of another project than the one named", otherChat.id, { project_id: ids.demoProject }, 404, { error: 'Test chat not found' }],
  ])('%s answers 404', async (_case, id, extra, status, error) => {
    const res = await admin.post(statusUrl(id), { status: 'completed', ...extra });
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
  });

  it('an unknown X-API-Key is a 422', async () => {
    const res = await admin.post(statusUrl(completedChat.id), { status: 'completed' }, { key: 'kapso-nobody' });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message: 'X-API-Key belongs to no project' });
  });

  it.each([
    [{}, 'status must be one of: processing, completed, error'],
    [{ status: 'done' }, 'status must be one of: processing, completed, error'],
    [{ status: 'error', error: '' }, 'error must be at least 1'],
  ])('validates the body %j', async (body, message) => {
    const res = await admin.post(statusUrl(completedChat.id), body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
  });
});

describe('/__admin/projects/{id}/agent_settings', () => {
  it('defaults to unlimited credits and no latency; PATCH changes what it is given', async () => {
    expect((await admin.get(settingsUrl(ids.otherProject))).body).toEqual({ data: { project_id: ids.otherProject, credits: null, test_chat_latency_ms: 0 } });
    expect(await setSettings({ credits: 10 }, ids.otherProject)).toEqual({ project_id: ids.otherProject, credits: 10, test_chat_latency_ms: 0 });
    expect(await setSettings({ test_chat_latency_ms: 250 }, ids.otherProject)).toEqual({ project_id: ids.otherProject, credits: 10, test_chat_latency_ms: 250 });
    expect(await setSettings({}, ids.otherProject)).toEqual({ project_id: ids.otherProject, credits: 10, test_chat_latency_ms: 250 });
    expect((await admin.get(settingsUrl(ids.demoProject))).body.data).toEqual({ project_id: ids.demoProject, credits: null, test_chat_latency_ms: 0 });
  });

  it('a reset brings the defaults back', async () => {
    await setSettings({ credits: 0, test_chat_latency_ms: 9 });
    expect((await admin.post('/__admin/reset')).status).toBe(200);
    expect((await admin.get(settingsUrl(ids.demoProject))).body.data).toEqual({ project_id: ids.demoProject, credits: null, test_chat_latency_ms: 0 });
  });

  it.each([
    [{ credits: -1 }, 'credits must be at least 0'],
    [{ credits: 1.5 }, 'credits must be an integer'],
    [{ credits: '5' }, 'credits must be a number'],
    [{ test_chat_latency_ms: 86_400_001 }, 'test_chat_latency_ms must be at most 86400000'],
    [{ test_chat_latency_ms: null }, 'test_chat_latency_ms must be a number'],
  ])('rejects %j with 422', async (body, message) => {
    const res = await admin.patch(settingsUrl(ids.demoProject), body);
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ error: 'Validation failed', message });
  });

  it('an unknown project is 404', async () => {
    for (const res of [await admin.get(settingsUrl(MISSING_ID)), await admin.patch(settingsUrl(MISSING_ID), { credits: 1 })]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Project not found' });
    }
  });
});
