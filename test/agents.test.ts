// Agents: the unpaginated list, create, get and update (name, system_prompt, graph) through
// real client flows; what the API does not show (system_prompt, graph) is checked in the database.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { seed } from './helpers/seed.js';

const agents = '/api/v1/agents';
const agent = (id: string) => `${agents}/${encodeURIComponent(id)}`;

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();

const fixtures = {
  support: {
    id: ids.supportAgent,
    name: 'Customer Support Agent',
    description: 'Answers first-line support questions and hands off billing issues to a human.',
    project_id: ids.demoProject,
    created_at: '2026-01-15T09:30:00.000Z',
    updated_at: '2026-02-20T13:05:00.000Z',
  },
  order: {
    id: ids.orderAgent,
    name: 'Order Status Agent',
    description: 'Looks up order and delivery status for Globex shoppers.',
    project_id: ids.demoProject,
    created_at: '2026-02-05T12:00:00.000Z',
    updated_at: '2026-02-05T12:00:00.000Z',
  },
  other: {
    id: ids.otherAgent,
    name: 'Appointment Reminder Agent',
    description: 'Confirms, reschedules and cancels clinic appointments.',
    project_id: ids.otherProject,
    created_at: '2026-01-22T08:00:00.000Z',
    updated_at: '2026-01-22T08:00:00.000Z',
  },
};
const SUPPORT_PROMPT = 'You are a friendly support assistant for Acme. Be concise and confirm the order number before giving details.';
const DEFAULT_GRAPH = { metadata: {}, nodes: [{ id: 'start', name: 'start', type: 'DefaultNode', prompt: '' }], edges: [], tools: [] };
/** The seeded support agent's graph, as fixtures/ gives it. */
const SUPPORT_GRAPH = seed.find('agents', 'Customer Support Agent').record.graph as Record<string, unknown>;
/** The same value with every object's keys in reverse order. */
const reversedKeys = (v: unknown): unknown =>
  Array.isArray(v) ? v.map(reversedKeys)
    : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversedKeys(x)])) : v;
const NODE_TYPES = ['DefaultNode', 'WebhookNode', 'WhatsappTemplateNode', 'KnowledgeBaseNode', 'HandoffNode', 'WarmEndNode'];

/** A graph using every node type and the optional parts of nodes, edges and tools. */
const FULL_GRAPH = {
  metadata: { version: 2, owner: 'ops' },
  nodes: [
    { id: 'start', name: 'Start', type: 'DefaultNode', prompt: 'Greet the user.', global: false, tool_ids: ['t1'] },
    {
      id: 'lookup', nodeable_id: 'n-42', name: 'Lookup order', type: 'WebhookNode',
      webhook: { url: 'https://api.example/orders', http_method: 'GET', headers: { Authorization: 'Bearer x' }, mock_response_enabled: false },
    },
    { id: 'tpl', name: 'Send template', type: 'WhatsappTemplateNode', whatsapp_template: { phone_number: '+15550001111', wait_for_response: true } },
    { id: 'kb', name: 'FAQ', type: 'KnowledgeBaseNode', knowledge_base: { key: 'faq', knowledge_base_text: 'Opening hours: 9-5' } },
    { id: 'human', name: 'Human', type: 'HandoffNode', global: true, global_condition: 'The user asks for a human' },
    { id: 'end', name: 'End', type: 'WarmEndNode', warm_end: { timeout_minutes: 30 }, config: { farewell: 'Bye' } },
  ],
  edges: [
    { id: 'e1', from: 'start', to: 'lookup', label: 'needs order' },
    { from: 'lookup', to: 'end', conditions: { status: 'delivered' } },
  ],
  tools: [{ id: 't1', name: 'weather', type: 'api', url: 'https://weather.example', method: 'GET', description: 'Weather' }],
};

let api: Client;
let clock: Clock;
let db: import('../src/db/database.js').Db;

beforeEach(async () => {
  ({ api, clock, db } = await makeFrozenApp(T0));
});

const stored = (id: string) => {
  const row = db.prepare('SELECT project_id, name, description, system_prompt, graph, created_at, updated_at FROM agents WHERE id = ?').get(id) as
    | { project_id: string; name: string; description: string | null; system_prompt: string | null; graph: string | null; created_at: string; updated_at: string }
    | undefined;
  return row && { ...row, graph: row.graph === null ? null : (JSON.parse(row.graph) as unknown) };
};
const agentCount = () => (db.prepare('SELECT count(*) AS n FROM agents').get() as { n: number }).n;

describe('list', () => {
  it('lists every agent of the project, newest first, with no pagination meta', async () => {
    const res = await api.get(agents);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [fixtures.order, fixtures.support] });
    expect(Object.keys(res.body)).toEqual(['data']);
  });

  it('returns every row whatever the pagination parameters say', async () => {
    for (let i = 0; i < 25; i++) {
      clock.advance(1000);
      expect((await api.post(agents, { agent: { name: `Agent ${i}` } })).status).toBe(201);
    }
    const res = await api.get(`${agents}?page=2&per_page=1`);
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(27);
    expect(res.body.data[0].name).toBe('Agent 24');
    expect(res.body.data.slice(-2)).toEqual([fixtures.order, fixtures.support]);
    expect(res.body).not.toHaveProperty('meta');
  });

  it('breaks created_at ties by id, descending', async () => {
    const tied: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await api.post(agents, { agent: { name: `Tie ${i}` } });
      expect(res.status).toBe(201);
      tied.push(res.body.data.id);
    }
    const res = await api.get(agents);
    expect(res.body.data.map((a: any) => a.id)).toEqual([...[...tied].sort().reverse(), ids.orderAgent, ids.supportAgent]);
  });

  it("shows only the caller's project", async () => {
    const res = await api.get(agents, { key: OTHER_KEY });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [fixtures.other] });
  });
});

describe('client flow', () => {
  it('create, get, list, update (PATCH), update (PUT), get', async () => {
    const created = await api.post(agents, { agent: { name: 'Billing Agent', system_prompt: 'Help with invoices.' } });
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    expect(id).toMatch(UUID_V4);
    // No request can set a description, so it is left out rather than null.
    expect(created.body).toEqual({ data: { id, name: 'Billing Agent', project_id: ids.demoProject, created_at: T0, updated_at: T0 } });
    expect(created.body.data).not.toHaveProperty('description');
    expect(created.raw).not.toContain('Help with invoices.');
    expect(stored(id)).toEqual({
      project_id: ids.demoProject, name: 'Billing Agent', description: null, system_prompt: 'Help with invoices.',
      graph: DEFAULT_GRAPH, created_at: T0, updated_at: T0,
    });

    const got = await api.get(agent(id));
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    const list = await api.get(agents);
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: [created.body.data, fixtures.order, fixtures.support] });

    clock.advance(60_000);
    const patched = await api.patch(agent(id), { agent: { name: 'Billing & Refunds Agent' } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ data: { ...created.body.data, name: 'Billing & Refunds Agent', updated_at: at(60_000) } });
    expect(stored(id)).toMatchObject({ name: 'Billing & Refunds Agent', system_prompt: 'Help with invoices.', graph: DEFAULT_GRAPH });

    clock.advance(60_000);
    const put = await api.put(agent(id), { agent: { system_prompt: 'Help with invoices and refunds.' } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ data: { ...patched.body.data, updated_at: at(120_000) } });
    expect(stored(id)).toMatchObject({ name: 'Billing & Refunds Agent', system_prompt: 'Help with invoices and refunds.', updated_at: at(120_000) });

    const after = await api.get(agent(id));
    expect(after.status).toBe(200);
    expect(after.body).toEqual(put.body);
    // Updating does not reorder the list: it is by created_at.
    expect((await api.get(agents)).body.data.map((a: any) => a.id)).toEqual([id, ids.orderAgent, ids.supportAgent]);
  });

  it('gets a seeded agent, description included', async () => {
    const res = await api.get(agent(ids.supportAgent));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: fixtures.support });
  });
});

describe('create', () => {
  it("puts the agent in the caller's project", async () => {
    const res = await api.post(agents, { agent: { name: 'Clinic Intake' } }, { key: OTHER_KEY });
    expect(res.status).toBe(201);
    expect(res.body.data.project_id).toBe(ids.otherProject);
    expect((await api.get(agent(res.body.data.id))).status).toBe(404);
    expect((await api.get(agents, { key: OTHER_KEY })).body.data.map((a: any) => a.id)).toEqual([res.body.data.id, ids.otherAgent]);
  });

  it('works without a system_prompt, and stores none', async () => {
    const res = await api.post(agents, { agent: { name: 'Minimal' } });
    expect(res.status).toBe(201);
    expect(stored(res.body.data.id)).toMatchObject({ system_prompt: null, graph: DEFAULT_GRAPH, description: null });
  });

  it('ignores unknown fields, description, project_id and graph included', async () => {
    const res = await api.post(agents, {
      agent: {
        name: 'Sneaky', description: 'set by client', project_id: ids.otherProject, id: MISSING_ID,
        graph: { nodes: 'not even valid' }, created_at: '2000-01-01T00:00:00Z',
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ data: { id: res.body.data.id, name: 'Sneaky', project_id: ids.demoProject, created_at: T0, updated_at: T0 } });
    expect(res.body.data.id).not.toBe(MISSING_ID);
    expect(stored(res.body.data.id)).toMatchObject({ project_id: ids.demoProject, description: null, graph: DEFAULT_GRAPH });
  });

  const missing = { error: 'Invalid parameters', message: 'param is missing or the value is empty: agent' };
  const failed = (message: string) => ({ error: 'Validation failed', message });

  it.each([
    ['no wrapper', { name: 'Agent' }, 400, missing],
    ['an empty body object', {}, 400, missing],
    ['a null wrapper', { agent: null }, 400, missing],
    ['a string wrapper', { agent: 'Agent' }, 400, missing],
    ['an array wrapper', { agent: [{ name: 'Agent' }] }, 400, missing],
    ['name missing', { agent: { system_prompt: 'Hi' } }, 422, failed("name can't be blank")],
    ['name empty', { agent: { name: '' } }, 422, failed("name can't be blank")],
    ['name blank', { agent: { name: ' \t ' } }, 422, failed("name can't be blank")],
    ['name as a number', { agent: { name: 7 } }, 422, failed('name must be a string')],
    ['name as a boolean', { agent: { name: false } }, 422, failed('name must be a string')],
    ['name as null', { agent: { name: null } }, 422, failed('name must be a string')],
    ['name as an object', { agent: { name: { en: 'Agent' } } }, 422, failed('name must be a string')],
    ['name as an array', { agent: { name: ['Agent'] } }, 422, failed('name must be a string')],
    ['system_prompt as a number', { agent: { name: 'Agent', system_prompt: 1 } }, 422, failed('system_prompt must be a string')],
    ['system_prompt as null', { agent: { name: 'Agent', system_prompt: null } }, 422, failed('system_prompt must be a string')],
    ['both bad', { agent: { name: '', system_prompt: [] } }, 422, failed("name can't be blank, system_prompt must be a string")],
  ])('rejects %s', async (_case, body, status, error) => {
    const res = await api.post(agents, body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
    expect(agentCount()).toBe(seed.total('agents'));
  });

  it('rejects a request with no body with 400', async () => {
    const res = await api.post(agents);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(missing);
    expect(agentCount()).toBe(seed.total('agents'));
  });
});

describe('update', () => {
  beforeEach(() => clock.advance(3_600_000));
  const NOW = at(3_600_000);

  it.each(['PATCH', 'PUT'] as const)('%s renames the agent and keeps what it was not sent', async (method) => {
    const res = await api.call(method, agent(ids.supportAgent), { body: { agent: { name: 'Support Bot' } } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { ...fixtures.support, name: 'Support Bot', updated_at: NOW } });
    expect((await api.get(agent(ids.supportAgent))).body).toEqual(res.body);
    expect(stored(ids.supportAgent)).toMatchObject({ system_prompt: SUPPORT_PROMPT, graph: SUPPORT_GRAPH, description: fixtures.support.description });
  });

  it.each(['PATCH', 'PUT'] as const)('%s changes the system_prompt (not shown, but updated_at moves)', async (method) => {
    const res = await api.call(method, agent(ids.supportAgent), { body: { agent: { system_prompt: 'Be brief.' } } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { ...fixtures.support, updated_at: NOW } });
    expect(res.raw).not.toContain('Be brief.');
    expect(stored(ids.supportAgent)).toMatchObject({ system_prompt: 'Be brief.', updated_at: NOW });
  });

  it('an empty system_prompt is a change', async () => {
    const res = await api.patch(agent(ids.supportAgent), { agent: { system_prompt: '' } });
    expect(res.status).toBe(200);
    expect(res.body.data.updated_at).toBe(NOW);
    expect(stored(ids.supportAgent)).toMatchObject({ system_prompt: '' });
  });

  it.each(['PATCH', 'PUT'] as const)('%s replaces the graph with one using every node type', async (method) => {
    const res = await api.call(method, agent(ids.supportAgent), { body: { agent: { graph: FULL_GRAPH } } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { ...fixtures.support, updated_at: NOW } });
    expect(stored(ids.supportAgent)).toMatchObject({ graph: FULL_GRAPH, name: fixtures.support.name, system_prompt: SUPPORT_PROMPT });
  });

  it('updates name, system_prompt and graph together', async () => {
    const graph = { nodes: [{ id: 'a', name: 'A', type: 'HandoffNode' }], edges: [] };
    const res = await api.patch(agent(ids.orderAgent), { agent: { name: 'Orders', system_prompt: 'Track orders.', graph } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: { ...fixtures.order, name: 'Orders', updated_at: NOW } });
    expect(stored(ids.orderAgent)).toMatchObject({ name: 'Orders', system_prompt: 'Track orders.', graph });
  });

  it('drops unknown fields inside the graph', async () => {
    const res = await api.patch(agent(ids.supportAgent), {
      agent: { graph: { nodes: [{ id: 'n', name: 'N', type: 'DefaultNode', colour: 'red' }], edges: [{ from: 'n', to: 'n', weight: 3 }], extra: true } },
    });
    expect(res.status).toBe(200);
    expect(stored(ids.supportAgent)!.graph).toEqual({ nodes: [{ id: 'n', name: 'N', type: 'DefaultNode' }], edges: [{ from: 'n', to: 'n' }] });
  });

  describe('updated_at is unchanged on a no-op', () => {
    it.each([
      ['the same name', { name: 'Customer Support Agent' }],
      ['the same system_prompt', { system_prompt: SUPPORT_PROMPT }],
      ['the same graph', { graph: SUPPORT_GRAPH }],
      ['the same graph with its keys in another order', { graph: reversedKeys(SUPPORT_GRAPH) }],
      ['the same graph plus unknown keys', { graph: { ...SUPPORT_GRAPH, version: 9 } }],
      ['everything the same', { name: 'Customer Support Agent', system_prompt: SUPPORT_PROMPT, graph: SUPPORT_GRAPH }],
      ['an empty wrapper', {}],
      ['only unknown fields', { description: 'New description', project_id: ids.otherProject, updated_at: '2000-01-01T00:00:00Z' }],
    ])('%s', async (_case, wrapper) => {
      for (const method of ['PATCH', 'PUT'] as const) {
        const res = await api.call(method, agent(ids.supportAgent), { body: { agent: wrapper } });
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ data: fixtures.support });
      }
      expect((await api.get(agent(ids.supportAgent))).body).toEqual({ data: fixtures.support });
      expect(stored(ids.supportAgent)).toMatchObject({ system_prompt: SUPPORT_PROMPT, graph: SUPPORT_GRAPH, updated_at: fixtures.support.updated_at });
    });

    it('repeating a change moves nothing the second time', async () => {
      const first = await api.patch(agent(ids.supportAgent), { agent: { name: 'Support Bot', graph: FULL_GRAPH } });
      expect(first.body.data.updated_at).toBe(NOW);
      clock.advance(1000);
      const second = await api.patch(agent(ids.supportAgent), { agent: { name: 'Support Bot', graph: FULL_GRAPH } });
      expect(second.status).toBe(200);
      expect(second.body).toEqual(first.body);
    });
  });

  const missing = { error: 'Invalid parameters', message: 'param is missing or the value is empty: agent' };
  const failed = (message: string) => ({ error: 'Validation failed', message });
  const node = { id: 'n1', name: 'Node', type: 'DefaultNode' };

  it.each([
    ['no wrapper', { name: 'x' }, 400, missing],
    ['a null wrapper', { agent: null }, 400, missing],
    ['a boolean wrapper', { agent: true }, 400, missing],
    ['a blank name', { agent: { name: '  ' } }, 422, failed("name can't be blank")],
    ['a null name', { agent: { name: null } }, 422, failed('name must be a string')],
    ['a numeric system_prompt', { agent: { system_prompt: 3 } }, 422, failed('system_prompt must be a string')],
    ['a null graph', { agent: { graph: null } }, 422, failed('graph must be an object')],
    ['a graph that is an array', { agent: { graph: [node] } }, 422, failed('graph must be an object')],
    ['a graph that is a string', { agent: { graph: '{"nodes":[]}' } }, 422, failed('graph must be an object')],
    ['nodes that are not an array', { agent: { graph: { nodes: node } } }, 422, failed('graph.nodes must be an array')],
    ['a node that is not an object', { agent: { graph: { nodes: ['n1'] } } }, 422, failed('graph.nodes[0] must be an object')],
    ['a node without an id', { agent: { graph: { nodes: [{ name: 'Node', type: 'DefaultNode' }] } } }, 422, failed("graph.nodes[0].id can't be blank")],
    ['a node without a name', { agent: { graph: { nodes: [node, { id: 'n2', type: 'DefaultNode' }] } } }, 422, failed("graph.nodes[1].name can't be blank")],
    ['a node with a blank name', { agent: { graph: { nodes: [{ ...node, name: ' ' }] } } }, 422, failed("graph.nodes[0].name can't be blank")],
    ['a node without a type', { agent: { graph: { nodes: [{ id: 'n1', name: 'Node' }] } } }, 422,
      failed(`graph.nodes[0].type must be one of: ${NODE_TYPES.join(', ')}`)],
    ['a node type outside the enum', { agent: { graph: { nodes: [{ ...node, type: 'LLMNode' }] } } }, 422,
      failed(`graph.nodes[0].type must be one of: ${NODE_TYPES.join(', ')}`)],
    ['a node type in the wrong case', { agent: { graph: { nodes: [node, { ...node, id: 'n2', type: 'defaultnode' }] } } }, 422,
      failed(`graph.nodes[1].type must be one of: ${NODE_TYPES.join(', ')}`)],
    ['a node with a numeric id', { agent: { graph: { nodes: [{ ...node, id: 1 }] } } }, 422, failed('graph.nodes[0].id must be a string')],
    ['a node with global as a string', { agent: { graph: { nodes: [{ ...node, global: 'true' }] } } }, 422, failed('graph.nodes[0].global must be a boolean')],
    ['a warm end timeout that is not an integer', { agent: { graph: { nodes: [{ ...node, type: 'WarmEndNode', warm_end: { timeout_minutes: 1.5 } }] } } }, 422,
      failed('graph.nodes[0].warm_end.timeout_minutes must be an integer')],
    ['an edge without from', { agent: { graph: { nodes: [node], edges: [{ to: 'n1' }] } } }, 422, failed("graph.edges[0].from can't be blank")],
    ['an edge without to', { agent: { graph: { nodes: [node], edges: [{ from: 'n1', to: 'n1' }, { from: 'n1' }] } } }, 422, failed("graph.edges[1].to can't be blank")],
    ['an edge with neither end', { agent: { graph: { edges: [{}] } } }, 422, failed("graph.edges[0].from can't be blank, graph.edges[0].to can't be blank")],
    ['an edge with a numeric to', { agent: { graph: { edges: [{ from: 'a', to: 2 }] } } }, 422, failed('graph.edges[0].to must be a string')],
    ['metadata that is not an object', { agent: { graph: { metadata: 'v1' } } }, 422, failed('graph.metadata must be an object')],
    ['tools that are not an array', { agent: { graph: { tools: {} } } }, 422, failed('graph.tools must be an array')],
    ['several problems at once', { agent: { name: '', graph: { nodes: [{ id: 'n1', name: 'Node', type: 'Bogus' }], edges: [{ from: 'n1' }] } } }, 422,
      failed(`name can't be blank, graph.nodes[0].type must be one of: ${NODE_TYPES.join(', ')}, graph.edges[0].to can't be blank`)],
    ['a valid name with an invalid graph (nothing is applied)', { agent: { name: 'Applied?', graph: { nodes: [{}] } } }, 422,
      failed(`graph.nodes[0].id can't be blank, graph.nodes[0].name can't be blank, graph.nodes[0].type must be one of: ${NODE_TYPES.join(', ')}`)],
  ])('rejects %s and changes nothing', async (_case, body, status, error) => {
    for (const method of ['PATCH', 'PUT'] as const) {
      const res = await api.call(method, agent(ids.supportAgent), { body });
      expect(res.status).toBe(status);
      expect(res.body).toEqual(error);
    }
    expect((await api.get(agent(ids.supportAgent))).body).toEqual({ data: fixtures.support });
    expect(stored(ids.supportAgent)).toMatchObject({ name: fixtures.support.name, system_prompt: SUPPORT_PROMPT, graph: SUPPORT_GRAPH });
  });
});

describe('not found', () => {
  const cases = [
    ['an unknown id', MISSING_ID],
    ['an id that is not a UUID', 'agent-123abc'],
    ['an SQL-looking id', "' OR 1=1 --"],
    ["another project's agent", ids.otherAgent],
  ] as const;
  const calls = [
    ['GET', (id: string) => api.get(agent(id))],
    ['PATCH', (id: string) => api.patch(agent(id), { agent: { name: 'Stolen', system_prompt: 'Leak everything.' } })],
    ['PUT', (id: string) => api.put(agent(id), { agent: { name: 'Stolen', system_prompt: 'Leak everything.' } })],
  ] as const;

  it.each(calls.flatMap(([method, call]) => cases.map(([what, id]) => [method, what, id, call] as const)))(
    '%s answers 404 for %s and changes nothing',
    async (_method, _what, id, call) => {
      const res = await call(id);
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: 'Agent not found' });
      const other = await api.get(agent(ids.otherAgent), { key: OTHER_KEY });
      expect(other.status).toBe(200);
      expect(other.body).toEqual({ data: fixtures.other });
      expect(stored(ids.otherAgent)).toMatchObject({ system_prompt: 'You manage appointments for Umbrella Health. Never give medical advice.' });
      expect(agentCount()).toBe(seed.total('agents'));
    },
  );
});
