// Agent snapshots: created from the agent's current graph or from a graph in the body, read
// back as created, and never changed by later edits of the agent.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { DEMO_KEY, ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:34:56.000Z';
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const snapshotsOf = (agentId: string) => `/api/v1/agents/${encodeURIComponent(agentId)}/agent_snapshots`;
const snapshot = (id: string) => `/api/v1/agent_snapshots/${encodeURIComponent(id)}`;

const support = seed.find('agents', 'Customer Support Agent');
const order = seed.find('agents', 'Order Status Agent');
const seededSupportSnapshot = seed.find('agentSnapshots', (r) => r.agent_id === ids.supportAgent);
const seededOrderSnapshot = seed.find('agentSnapshots', (r) => r.agent_id === ids.orderAgent);
const otherSnapshot = seed.find('agentSnapshots', (r) => r.agent_id === ids.otherAgent);

const GRAPH = {
  nodes: [
    { id: 'hello', name: 'hello', type: 'DefaultNode', prompt: 'Say hello.' },
    { id: 'bye', name: 'bye', type: 'WarmEndNode', warm_end: { timeout_minutes: 5 } },
  ],
  edges: [{ from: 'hello', to: 'bye', label: 'user says bye' }],
};

let api: Client;
let clock: Clock;
let db: import('../src/db/database.js').Db;

beforeEach(async () => {
  ({ api, clock, db } = await makeFrozenApp(T0));
});

const snapshotCount = () => (db.prepare('SELECT count(*) AS n FROM agent_snapshots').get() as { n: number }).n;

describe('client flow', () => {
  it("create from the agent's graph, get, edit the agent, get again: the snapshot does not move", async () => {
    const created = await api.post(snapshotsOf(ids.supportAgent), {});
    expect(created.status).toBe(201);
    const id = created.body.data.id as string;
    expect(id).toMatch(UUID_V4);
    expect(created.body).toEqual({
      data: {
        id, agent_id: ids.supportAgent, name: 'Customer Support Agent Snapshot (2026-06-01 12:34)', created_at: T0, updated_at: T0,
        graph: support.record.graph,
      },
    });

    const got = await api.get(snapshot(id));
    expect(got.status).toBe(200);
    expect(got.body).toEqual(created.body);

    clock.advance(60_000);
    const edited = await api.patch(`/api/v1/agents/${ids.supportAgent}`, { agent: { name: 'Renamed', system_prompt: 'New prompt.', graph: GRAPH } });
    expect(edited.status).toBe(200);
    expect((await api.get(`/api/v1/agents/${ids.supportAgent}/graph`)).body.data.graph).toEqual(GRAPH);

    const again = await api.get(snapshot(id));
    expect(again.status).toBe(200);
    expect(again.body).toEqual(created.body);
  });

  it('create from a graph given in the body: the agent keeps its own', async () => {
    const created = await api.post(snapshotsOf(ids.orderAgent), { graph: GRAPH });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ agent_id: ids.orderAgent, name: 'Order Status Agent Snapshot (2026-06-01 12:34)', graph: GRAPH });
    expect((await api.get(snapshot(created.body.data.id))).body).toEqual(created.body);
    expect((await api.get(`/api/v1/agents/${ids.orderAgent}/graph`)).body.data.graph).toEqual(order.record.graph);
    // Creating a snapshot is not an edit of the agent.
    expect((await api.get(`/api/v1/agents/${ids.orderAgent}`)).body.data.updated_at).toBe(order.record.updated_at);
  });

  it.each([
    ['no body at all', undefined],
    ['an empty object', {}],
    ['a JSON null', 'null'],
    ['unknown fields only', { name: 'Mine', agent_id: ids.otherAgent, id: MISSING_ID }],
  ])('with %s, snapshots the current graph', async (_case, body) => {
    const res = await api.post(snapshotsOf(ids.supportAgent), body);
    expect(res.status).toBe(201);
    expect(res.body.data).toMatchObject({ agent_id: ids.supportAgent, name: 'Customer Support Agent Snapshot (2026-06-01 12:34)', graph: support.record.graph });
    expect(res.body.data.id).not.toBe(MISSING_ID);
    expect(snapshotCount()).toBe(seed.total('agentSnapshots') + 1);
  });

  it('each snapshot is a new record, named by the minute it was taken', async () => {
    const first = await api.post(snapshotsOf(ids.supportAgent), {});
    clock.advance(90_000);
    const second = await api.post(snapshotsOf(ids.supportAgent), {});
    expect(second.body.data.id).not.toBe(first.body.data.id);
    expect(second.body.data.name).toBe('Customer Support Agent Snapshot (2026-06-01 12:36)');
    expect((await api.get(snapshot(first.body.data.id))).body.data.name).toBe('Customer Support Agent Snapshot (2026-06-01 12:34)');
  });
});

describe('seeded snapshots', () => {
  it('the support snapshot holds the graph from before the FAQ node was added', async () => {
    const res = await api.get(snapshot(seededSupportSnapshot.id));
    expect(res.status).toBe(200);
    const nodes = res.body.data.graph.nodes.map((n: any) => n.id);
    expect(nodes).not.toContain('faq');
    expect((support.record.graph as any).nodes.map((n: any) => n.id)).toContain('faq');
    expect(res.body.data).toMatchObject({ agent_id: ids.supportAgent, created_at: seededSupportSnapshot.record.created_at });
  });

  it("a snapshot without a graph in the fixtures froze its agent's, and is named after it", async () => {
    const res = await api.get(snapshot(seededOrderSnapshot.id));
    expect(res.body.data).toEqual({
      id: seededOrderSnapshot.id, agent_id: ids.orderAgent, name: 'Order Status Agent Snapshot (2026-02-06 09:15)',
      created_at: '2026-02-06T09:15:00.000Z', updated_at: '2026-02-06T09:15:00.000Z', graph: order.record.graph,
    });
  });
});

describe('errors', () => {
  const failed = (message: string) => ({ error: 'Validation failed', message });

  it.each([
    ['a null graph', { graph: null }, 422, failed('graph must be an object')],
    ['a graph that is an array', { graph: [] }, 422, failed('graph must be an object')],
    ['a node type outside the enum', { graph: { nodes: [{ id: 'a', name: 'a', type: 'LLMNode' }] } }, 422,
      failed('graph.nodes[0].type must be one of: DefaultNode, WebhookNode, WhatsappTemplateNode, KnowledgeBaseNode, HandoffNode, WarmEndNode')],
    ['an edge to nowhere', { graph: { nodes: [{ id: 'a', name: 'a', type: 'DefaultNode' }], edges: [{ from: 'a', to: 'b' }] } }, 422,
      failed('graph.edges[0].to "b" is not the ID of a node of the graph')],
    ['a body that is an array', [{ graph: {} }], 400, { error: 'Invalid parameters', message: 'Body must be a JSON object' }],
    ['a body that is a string', '"graph"', 400, { error: 'Invalid parameters', message: 'Body must be a JSON object' }],
    ['a body that is not JSON', '{graph:', 400, { error: 'Invalid parameters', message: 'Body is not valid JSON' }],
  ])('rejects %s and stores nothing', async (_case, body, status, error) => {
    const res = await api.post(snapshotsOf(ids.supportAgent), typeof body === 'string' ? body : body);
    expect(res.status).toBe(status);
    expect(res.body).toEqual(error);
    expect(snapshotCount()).toBe(seed.total('agentSnapshots'));
  });

  it.each([
    ['an unknown agent', MISSING_ID],
    ['an agent id that is not a UUID', 'agent-123abc'],
    ["another project's agent", ids.otherAgent],
  ])('creating for %s answers 404 "Agent not found"', async (_case, agentId) => {
    const res = await api.post(snapshotsOf(agentId), { graph: GRAPH });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Agent not found' });
    expect(snapshotCount()).toBe(seed.total('agentSnapshots'));
  });

  it.each([
    ['an unknown id', MISSING_ID],
    ['an id that is not a UUID', 'snapshot-123abc'],
    ["another project's snapshot", otherSnapshot.id],
  ])('getting %s answers 404 "Agent snapshot not found"', async (_case, id) => {
    const res = await api.get(snapshot(id));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Agent snapshot not found' });
  });

  it('IDs in capitals find the same snapshot', async () => {
    const res = await api.get(snapshot(seededOrderSnapshot.id.toUpperCase()), { key: DEMO_KEY });
    expect(res.status).toBe(200);
    expect(res.body.data.id).toBe(seededOrderSnapshot.id);
    expect((await api.get(snapshot(otherSnapshot.id), { key: OTHER_KEY })).status).toBe(200);
  });
});
