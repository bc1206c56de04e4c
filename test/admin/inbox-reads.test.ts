// The control plane's reads by project ID (the inspector reads a project without its API key):
// a project with its key where the mock knows it, its WhatsApp configs, its conversations with the
// last message (searchable by name or number), a conversation's messages with their status times,
// its contacts, a conversation's agent executions (with their failures), a config's WhatsApp webhooks;
// and one recorded request by its id. Each answers what the family's API list answers.
import { beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { client, DEMO_KEY, ids, makeApp, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from '../helpers/app.js';
import { inbox } from '../helpers/inbox.js';
import { seed } from '../helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const BASE_FIELDS = ['id', 'phone_number', 'status', 'last_active_at', 'contact_name', 'whatsapp_config_id'] as const;
const base = (c: Record<string, unknown>) => Object.fromEntries(BASE_FIELDS.filter((f) => f in c).map((f) => [f, c[f]]));

let app: FastifyInstance;
let api: Client;
let admin: Client;

beforeEach(async () => {
  ({ app, api } = await makeFrozenApp(T0));
  admin = client(app, null);
});

const conversations = (projectId: string, query = '') => admin.get(`/__admin/projects/${projectId}/conversations${query}`);

describe('GET /__admin/projects/{project_id}/conversations', () => {
  it.each(['', '?per_page=3&page=2', '?q[status_eq]=ended', `?q[whatsapp_config_id_eq]=${ids.acmeSales}`])(
    'the same conversations, order and paging as GET /api/v1/whatsapp_conversations%s', async (query) => {
      const mine = await conversations(ids.demoProject, query);
      const theirs = await api.get(`/api/v1/whatsapp_conversations${query}`);
      expect(mine.status).toBe(200);
      expect(mine.body.data.map(base)).toEqual(theirs.body.data);
      expect(mine.body.meta).toEqual(theirs.body.meta);
      expect(mine.body.data.length).toBeGreaterThan(0);
    },
  );

  it('each with its times, its newest message and how many inbound messages are unread', async () => {
    const { body } = await conversations(ids.demoProject, '?per_page=100');
    for (const c of body.data) {
      const messages = (await api.get(`/api/v1/whatsapp_conversations/${c.id}/whatsapp_messages?per_page=100`)).body.data;
      const newest = messages[0];
      expect(c.last_message).toEqual(newest ? {
        id: newest.id, direction: newest.direction, message_type: newest.message_type, content: newest.content, status: newest.status, created_at: newest.created_at,
      } : null);
      expect(c.unread_count).toBe(messages.filter((m: any) => m.direction === 'inbound' && m.status === 'received').length);
      expect(c).toHaveProperty('created_at');
      expect(c).toHaveProperty('last_inbound_at');
    }
    expect(body.data.some((c: any) => c.unread_count > 0)).toBe(true);
  });

  it('follows what happens: a new inbound message is the last message and one more unread; marking it read takes it off', async () => {
    const sent = await admin.post('/__admin/simulate/inbound-message', { phone_number: '15550102030', content: 'Any news?' });
    const before = (await conversations(ids.demoProject)).body.data[0];
    expect(before).toMatchObject({ id: inbox.mariaOpen, last_message: { id: sent.body.data.message.id, content: 'Any news?', direction: 'inbound' } });
    await api.patch(`/api/v1/whatsapp_messages/${sent.body.data.message.id}/mark_as_read`);
    const after = (await conversations(ids.demoProject)).body.data[0];
    expect(after.unread_count).toBe(before.unread_count - 1);
  });

  it.each([
    ['maria', ['Maria Gonzalez']],
    ['GONZ', ['Maria Gonzalez']],
    ["o'connor", ["James O'Connor"]],
    ['+1 (555) 010-2030', ['Maria Gonzalez']],
    ['555 010 2030', ['Maria Gonzalez']],
    ['0107788', ['Priya Patel']],
    ['+55 11', ['Lucas Almeida']],
    ['nobody', []],
  ])('q[contact_name_or_phone_number_cont]=%s searches the name or the number', async (text, names) => {
    const res = await conversations(ids.demoProject, `?per_page=100&q[contact_name_or_phone_number_cont]=${encodeURIComponent(text)}`);
    expect(res.status).toBe(200);
    expect([...new Set(res.body.data.map((c: any) => c.contact_name))]).toEqual(names);
  });

  it('with the status filter', async () => {
    const res = await conversations(ids.demoProject, '?q[status_eq]=ended&q[contact_name_or_phone_number_cont]=maria');
    expect(res.body.data.map((c: any) => [c.contact_name, c.status])).toEqual([['Maria Gonzalez', 'ended'], ['Maria Gonzalez', 'ended']]);
  });

  it("another project's conversations by its own ID; a missing project is 404", async () => {
    const other = await conversations(ids.otherProject);
    expect(other.body.data.map(base)).toEqual((await api.get('/api/v1/whatsapp_conversations', { key: OTHER_KEY })).body.data);
    const missing = await conversations(MISSING_ID);
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ error: 'Project not found' });
  });
});

describe('GET /__admin/projects/{project_id}/conversations/{conversation_id}', () => {
  it('one conversation as the list shows it', async () => {
    const list = (await conversations(ids.demoProject)).body.data;
    const res = await admin.get(`/__admin/projects/${ids.demoProject}/conversations/${inbox.mariaOpen}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(list.find((c: any) => c.id === inbox.mariaOpen));
  });

  it.each([
    ['of another project', () => `/__admin/projects/${ids.demoProject}/conversations/${inbox.helenOpen}`, 'Conversation not found'],
    ['missing', () => `/__admin/projects/${ids.demoProject}/conversations/${MISSING_ID}`, 'Conversation not found'],
    ['in a missing project', () => `/__admin/projects/${MISSING_ID}/conversations/${inbox.mariaOpen}`, 'Project not found'],
  ])('a conversation %s: 404', async (_case, url, error) => {
    const res = await admin.get(url());
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error });
  });
});

describe('GET /__admin/projects/{project_id}/conversations/{conversation_id}/messages', () => {
  it('the API\'s messages, newest first and paged alike, with the conversation, the status times and the error', async () => {
    for (const query of ['', '?per_page=2&page=2']) {
      const mine = await admin.get(`/__admin/projects/${ids.demoProject}/conversations/${inbox.mariaOpen}/messages${query}`);
      const theirs = await api.get(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages${query}`);
      expect(mine.status).toBe(200);
      expect(mine.body.meta).toEqual(theirs.body.meta);
      expect(mine.body.data.map(({ conversation_id, sent_at, delivered_at, read_at, failed_at, error, ...m }: any) => m)).toEqual(theirs.body.data);
      for (const m of mine.body.data) expect(m.conversation_id).toBe(inbox.mariaOpen);
    }
  });

  it('a message moved along its life shows when, and a failed one why', async () => {
    const sent = (await api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'Shipped!' } })).body.data;
    await admin.post(`/__admin/messages/${sent.id}/status`, { status: 'delivered' });
    const other = (await api.post(`/api/v1/whatsapp_conversations/${inbox.mariaOpen}/whatsapp_messages`, { message: { content: 'Lost?' } })).body.data;
    await admin.post(`/__admin/messages/${other.id}/status`, { status: 'failed', error: { code: 131047, title: 'Re-engagement message' } });
    // Both at the frozen T0: the order between them is by ID, so each is found by its own.
    const list = (await admin.get(`/__admin/projects/${ids.demoProject}/conversations/${inbox.mariaOpen}/messages`)).body.data;
    const [failed, delivered] = [other.id, sent.id].map((id) => list.find((m: any) => m.id === id));
    expect(delivered).toMatchObject({ id: sent.id, status: 'delivered', sent_at: T0, delivered_at: T0, read_at: null, failed_at: null, error: null });
    expect(failed).toMatchObject({ id: other.id, status: 'failed', failed_at: T0, error: { code: 131047, title: 'Re-engagement message' } });
  });

  it("another project's conversation is not found under this project", async () => {
    const res = await admin.get(`/__admin/projects/${ids.demoProject}/conversations/${inbox.helenOpen}/messages`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Conversation not found' });
  });
});

describe('GET /__admin/projects/{project_id}/contacts and /whatsapp_configs', () => {
  it.each(['', '?q[profile_name_cont]=mar', '?per_page=2&page=2'])('contacts as GET /api/v1/whatsapp_contacts%s', async (query) => {
    const mine = await admin.get(`/__admin/projects/${ids.demoProject}/contacts${query}`);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual((await api.get(`/api/v1/whatsapp_contacts${query}`)).body);
  });

  it('configs as GET /api/v1/whatsapp_configs', async () => {
    const mine = await admin.get(`/__admin/projects/${ids.otherProject}/whatsapp_configs`);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual((await api.get('/api/v1/whatsapp_configs', { key: OTHER_KEY })).body);
  });

  it.each(['contacts', 'whatsapp_configs'])('%s of a missing project: 404', async (what) => {
    const res = await admin.get(`/__admin/projects/${MISSING_ID}/${what}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Project not found' });
  });
});

// The seeded executions (fixtures/25-agent-executions.json) and the conversations they run in.
const execution = (status: string) => seed.find('agentExecutions', (r) => r.status === status && r.agent_id === ids.supportAgent);
const conversationOf = (executionId: string) =>
  String(seed.records.find((r) => r.kind === 'conversationExecutions' && r.parentId === executionId)!.record.conversation_id);
const failed = execution('failed');
const running = execution('running');
const executionsOf = (conversationId: string, query = '', projectId: string = ids.demoProject) =>
  admin.get(`/__admin/projects/${projectId}/conversations/${conversationId}/agent_executions${query}`);

describe('GET /__admin/projects/{project_id}/conversations/{conversation_id}/agent_executions', () => {
  it.each([
    ['Maria', inbox.mariaOpen, ''], ['Lucas', conversationOf(running.id), ''], ['Maria on Acme Sales', conversationOf(failed.id), '?per_page=1'],
  ])("%s: the API's list, order and paging, each execution with failed, its reason and the agent's name", async (_who, conversationId, query) => {
    const mine = await executionsOf(conversationId, query);
    const theirs = await api.get(`/api/v1/whatsapp_conversations/${conversationId}/agent_executions${query}`);
    expect(mine.status).toBe(200);
    expect(mine.body.meta).toEqual(theirs.body.meta);
    expect(mine.body.data.map(({ agent_name, agent_execution: { failed: _f, reason: _r, ...e }, ...link }: any) => ({ ...link, agent_execution: e })))
      .toEqual(theirs.body.data);
    expect(mine.body.data.length).toBeGreaterThan(0);
    for (const item of mine.body.data) expect(item.agent_name).toBe('Customer Support Agent');
  });

  it('a failed execution reads ended on /api/v1; here, failed with its reason', async () => {
    const [item] = (await executionsOf(conversationOf(failed.id))).body.data;
    expect(item.agent_execution).toMatchObject({
      id: failed.id, status: 'ended', failed: true, reason: 'The language model did not answer within 30 seconds (provider timeout)',
    });
    const [ended] = (await executionsOf(inbox.mariaOpen)).body.data;
    expect(ended.agent_execution).toMatchObject({ status: 'ended', failed: false, reason: null });
  });

  it('follows the control plane: a handoff with its reason, then the end', async () => {
    const conversationId = conversationOf(running.id);
    await admin.post(`/__admin/executions/${running.id}/status`, { status: 'handoff', reason: 'Asked for a refund' });
    let [item] = (await executionsOf(conversationId)).body.data;
    expect(item).toMatchObject({ active: true, handoff_reason: 'Asked for a refund', agent_execution: { id: running.id, status: 'handoff', reason: 'Asked for a refund' } });
    await admin.post(`/__admin/executions/${running.id}/status`, { status: 'ended' });
    [item] = (await executionsOf(conversationId)).body.data;
    expect(item).toMatchObject({ active: false, agent_execution: { status: 'ended', failed: false, ended_at: T0 } });
  });

  it('a conversation without executions: an empty page', async () => {
    const res = await executionsOf(inbox.sofiaNeverWrote);
    expect(res.status).toBe(200);
    expect(res.body).toEqual((await api.get(`/api/v1/whatsapp_conversations/${inbox.sofiaNeverWrote}/agent_executions`)).body);
    expect(res.body.data).toEqual([]);
  });

  it.each([
    ['of another project', () => executionsOf(inbox.helenOpen), 'Conversation not found'],
    ['missing', () => executionsOf(MISSING_ID), 'Conversation not found'],
    ['in a missing project', () => executionsOf(inbox.mariaOpen, '', MISSING_ID), 'Project not found'],
  ])('a conversation %s: 404', async (_case, call, error) => {
    const res = await call();
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error });
  });
});

describe('GET /__admin/projects/{project_id}/whatsapp_configs/{whatsapp_config_id}/whatsapp_webhooks', () => {
  const webhooksOf = (configId: string, query = '', projectId: string = ids.demoProject) =>
    admin.get(`/__admin/projects/${projectId}/whatsapp_configs/${configId}/whatsapp_webhooks${query}`);

  it.each(['', '?q[active_eq]=false', '?per_page=1&page=2'])('as GET /api/v1/whatsapp_configs/{id}/whatsapp_webhooks%s', async (query) => {
    await api.post(`/api/v1/whatsapp_configs/${ids.acmeSupport}/whatsapp_webhooks`, {
      whatsapp_webhook: { url: 'http://127.0.0.1:9/hook', secret_key: 'k', events: ['whatsapp.message.sent'] },
    });
    const mine = await webhooksOf(ids.acmeSupport, query);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual((await api.get(`/api/v1/whatsapp_configs/${ids.acmeSupport}/whatsapp_webhooks${query}`)).body);
    expect(mine.body.data.length).toBeGreaterThan(0);
  });

  it("another project's config by its own ID", async () => {
    const mine = await webhooksOf(ids.umbrellaConfig, '', ids.otherProject);
    expect(mine.body).toEqual((await api.get(`/api/v1/whatsapp_configs/${ids.umbrellaConfig}/whatsapp_webhooks`, { key: OTHER_KEY })).body);
  });

  it.each([
    ['of another project', () => webhooksOf(ids.umbrellaConfig), 'WhatsApp configuration not found'],
    ['missing', () => webhooksOf(MISSING_ID), 'WhatsApp configuration not found'],
    ['in a missing project', () => webhooksOf(ids.acmeSupport, '', MISSING_ID), 'Project not found'],
  ])('a config %s: 404', async (_case, call, error) => {
    const res = await call();
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error });
  });
});

describe('GET /__admin/projects/{project_id}', () => {
  it('a fixture project with its key', async () => {
    const res = await admin.get(`/__admin/projects/${ids.demoProject}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: ids.demoProject, name: 'Demo Project', origin: 'fixtures', seeded_from: null, created_at: expect.any(String), updated_at: expect.any(String), api_key: DEMO_KEY,
    });
    expect((await admin.get(`/__admin/projects/${ids.otherProject}`)).body.data.api_key).toBe(OTHER_KEY);
  });

  it('KAPSO_MOCK_API_KEY replaces the first fixture project\'s key, here too', async () => {
    const withKey = await makeApp({ apiKey: 'my-own-key' });
    const res = await client(withKey, null).get(`/__admin/projects/${ids.demoProject}`);
    expect(res.body.data.api_key).toBe('my-own-key');
  });

  it('a sandbox or auto-provisioned project: api_key null (kept only as a hash)', async () => {
    const sandbox = (await admin.post('/__admin/projects', { seed: true })).body.data;
    expect((await admin.get(`/__admin/projects/${sandbox.id}`)).body.data).toMatchObject({ origin: 'sandbox', seeded_from: ids.demoProject, api_key: null });
    await admin.patch('/__admin/settings', { auto_provision: true });
    await api.get('/api/v1/agents', { key: 'a-key-nobody-knew' });
    const auto = (await admin.get('/__admin/projects')).body.data.find((p: any) => p.origin === 'auto');
    expect((await admin.get(`/__admin/projects/${auto.id}`)).body.data.api_key).toBeNull();
  });

  it('a missing project: 404', async () => {
    const res = await admin.get(`/__admin/projects/${MISSING_ID}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Project not found' });
  });
});

describe('GET /__admin/requests/{id}', () => {
  it('the entry the list holds, by the id the event stream announces', async () => {
    await api.post('/api/v1/customers', { customer: { name: 'Entry Co', external_customer_id: 'E-1' } });
    const [entry] = (await admin.get('/__admin/requests?limit=1')).body.data;
    const res = await admin.get(`/__admin/requests/${entry.id}`);
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual(entry);
    expect(res.body.data.headers['x-api-key']).toBe('[redacted]');
  });

  it.each(['999999', 'abc', '1.5', '-1'])('%s: 404 Request not found', async (id) => {
    const res = await admin.get(`/__admin/requests/${id}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Request not found' });
  });

  it('an entry cleared from the journal is gone', async () => {
    await api.get('/api/v1/agents');
    const [entry] = (await admin.get('/__admin/requests?limit=1')).body.data;
    await admin.delete('/__admin/requests');
    expect((await admin.get(`/__admin/requests/${entry.id}`)).status).toBe(404);
  });
});
