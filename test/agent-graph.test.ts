// GET /agents/{id}/graph and the graph rules (docs/families/agents.md): the graph read back is
// the one the last update wrote, with the system prompt; graphs whose edges name no node, or
// whose node IDs or names repeat, are refused with 422 and change nothing.
import { beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../src/clock.js';
import { ids, makeFrozenApp, MISSING_ID, OTHER_KEY, type Client } from './helpers/app.js';
import { seed } from './helpers/seed.js';

const T0 = '2026-06-01T12:00:00.000Z';
const at = (ms: number) => new Date(Date.parse(T0) + ms).toISOString();
const agent = (id: string) => `/api/v1/agents/${encodeURIComponent(id)}`;
const graphOf = (id: string) => `${agent(id)}/graph`;

const support = seed.find('agents', 'Customer Support Agent');
const other = seed.find('agents', 'Appointment Reminder Agent');
const failed = (message: string) => ({ error: 'Validation failed', message });

const node = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: id, type: 'DefaultNode', ...extra });

let api: Client;
let clock: Clock;

beforeEach(async () => {
  ({ api, clock } = await makeFrozenApp(T0));
});

describe('GET /agents/{agent_id}/graph', () => {
  it('answers the seeded agent with its system prompt and graph, and no project_id or description', async () => {
    const res = await api.get(graphOf(ids.supportAgent));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        id: ids.supportAgent,
        name: 'Customer Support Agent',
        system_prompt: support.record.system_prompt,
        created_at: support.record.created_at,
        updated_at: support.record.updated_at,
        graph: support.record.graph,
      },
    });
    // Every node type of the enum is used by some seeded agent.
    const types = new Set(seed.records.filter((r) => r.kind === 'agents').flatMap((r) => (r.record.graph as any).nodes.map((n: any) => n.type)));
    expect([...types].sort()).toEqual(['DefaultNode', 'HandoffNode', 'KnowledgeBaseNode', 'WarmEndNode', 'WebhookNode', 'WhatsappTemplateNode']);
  });

  it('a new agent has the default graph; without a system prompt the field is left out', async () => {
    const created = await api.post('/api/v1/agents', { agent: { name: 'Fresh' } });
    const res = await api.get(graphOf(created.body.data.id));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: {
        id: created.body.data.id, name: 'Fresh', created_at: T0, updated_at: T0,
        graph: { metadata: {}, nodes: [{ id: 'start', name: 'start', type: 'DefaultNode', prompt: '' }], edges: [], tools: [] },
      },
    });
    expect(res.body.data).not.toHaveProperty('system_prompt');
  });

  it('reflects what PATCH wrote: graph, system_prompt, name and updated_at', async () => {
    const graph = {
      metadata: { version: 9 },
      nodes: [
        node('triage', { prompt: 'Understand what the user needs.' }),
        { id: 'kb', name: 'Docs', type: 'KnowledgeBaseNode', knowledge_base: { nodeable_id: 'kb-1', key: 'docs', knowledge_base_text: 'We open at 9.' } },
        { id: 'human', name: 'Human', type: 'HandoffNode', global: true, global_condition: 'wants a person', handoff: { nodeable_id: 'h-1' } },
        {
          id: 'tpl', name: 'Template', type: 'WhatsappTemplateNode',
          whatsapp_template: { nodeable_id: 't-1', name: 'order_update', phone_number: '+15550001111', whatsapp_node_id: 'w-1' },
        },
      ],
      edges: [{ id: 'e1', from: 'triage', to: 'kb', label: 'asks about opening hours' }, { from: 'kb', to: 'triage' }],
      tools: [{ id: 't1', name: 'weather', type: 'api', description: 'Weather' }],
    };
    clock.advance(60_000);
    const patched = await api.patch(agent(ids.orderAgent), { agent: { name: 'Orders', system_prompt: 'Track orders.', graph } });
    expect(patched.status).toBe(200);
    const res = await api.get(graphOf(ids.orderAgent));
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual({
      id: ids.orderAgent, name: 'Orders', system_prompt: 'Track orders.', created_at: seed.find('agents', 'Order Status Agent').record.created_at,
      updated_at: at(60_000), graph,
    });
  });

  it('an empty system prompt is shown as written', async () => {
    await api.patch(agent(ids.supportAgent), { agent: { system_prompt: '' } });
    expect((await api.get(graphOf(ids.supportAgent))).body.data.system_prompt).toBe('');
  });

  it.each([
    ['an unknown id', MISSING_ID],
    ['an id that is not a UUID', 'agent-123abc'],
    ["another project's agent", ids.otherAgent],
  ])('answers 404 for %s', async (_case, id) => {
    const res = await api.get(graphOf(id));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'Agent not found' });
  });

  it("shows the other project's agent to its own key", async () => {
    const res = await api.get(graphOf(ids.otherAgent), { key: OTHER_KEY });
    expect(res.status).toBe(200);
    expect(res.body.data.graph).toEqual(other.record.graph);
  });
});

describe('graph rules on PATCH /agents/{agent_id}', () => {
  const a = node('a');
  const b = node('b');

  it.each([
    ['an edge to a node that does not exist', { nodes: [a, b], edges: [{ from: 'a', to: 'c' }] },
      'graph.edges[0].to "c" is not the ID of a node of the graph'],
    ['an edge from a node that does not exist', { nodes: [a, b], edges: [{ from: 'a', to: 'b' }, { from: 'x', to: 'b' }] },
      'graph.edges[1].from "x" is not the ID of a node of the graph'],
    ['edges with no nodes at all', { edges: [{ from: 'a', to: 'b' }] },
      'graph.edges[0].from "a" is not the ID of a node of the graph, graph.edges[0].to "b" is not the ID of a node of the graph'],
    ['an edge naming a node by its name instead of its ID', { nodes: [{ ...a, name: 'Alpha' }, b], edges: [{ from: 'Alpha', to: 'b' }] },
      'graph.edges[0].from "Alpha" is not the ID of a node of the graph'],
    ['an edge whose end differs only in case', { nodes: [a, b], edges: [{ from: 'A', to: 'b' }] },
      'graph.edges[0].from "A" is not the ID of a node of the graph'],
    ['two nodes with one ID', { nodes: [a, { ...b, id: 'a' }] }, 'graph.nodes[1].id "a" is the ID of another node'],
    ['two nodes with one name', { nodes: [a, { ...b, name: 'a' }] }, 'graph.nodes[1].name "a" is the name of another node'],
    ['a third copy of a node', { nodes: [a, b, a] }, 'graph.nodes[2].id "a" is the ID of another node, graph.nodes[2].name "a" is the name of another node'],
    ['two edges with one ID', { nodes: [a, b], edges: [{ id: 'e', from: 'a', to: 'b' }, { id: 'e', from: 'b', to: 'a' }] },
      'graph.edges[1].id "e" is the ID of another edge'],
    ['a long unknown ID, quoted short', { nodes: [a], edges: [{ from: 'a', to: 'x'.repeat(100) }] },
      `graph.edges[0].to "${'x'.repeat(40)}..." is not the ID of a node of the graph`],
  ])('rejects %s with 422 and changes nothing', async (_case, graph, message) => {
    for (const method of ['PATCH', 'PUT'] as const) {
      const res = await api.call(method, agent(ids.supportAgent), { body: { agent: { name: 'Renamed', graph } } });
      expect(res.status).toBe(422);
      expect(res.body).toEqual(failed(message));
    }
    const after = await api.get(graphOf(ids.supportAgent));
    expect(after.body.data).toMatchObject({ name: 'Customer Support Agent', graph: support.record.graph, updated_at: support.record.updated_at });
  });

  it('names the shape problems first: an edge that is not even well formed is not also checked against the nodes', async () => {
    const res = await api.patch(agent(ids.supportAgent), { agent: { graph: { nodes: [a], edges: [{ from: 'zz', to: 5 }] } } });
    expect(res.status).toBe(422);
    expect(res.body).toEqual(failed('graph.edges[0].to must be a string'));
  });

  it.each([
    ['a self loop', { nodes: [a], edges: [{ from: 'a', to: 'a' }] }],
    ['two edges between the same nodes', { nodes: [a, b], edges: [{ from: 'a', to: 'b', label: 'x' }, { from: 'a', to: 'b', label: 'y' }] }],
    ['edges without IDs', { nodes: [a, b], edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }] }],
    ['an empty graph', {}],
    ['nodes and no edges', { nodes: [a, b] }],
    ['names that differ only in case', { nodes: [a, { ...b, name: 'A' }] }],
  ])('accepts %s and reads it back', async (_case, graph) => {
    const res = await api.patch(agent(ids.supportAgent), { agent: { graph } });
    expect(res.status).toBe(200);
    expect((await api.get(graphOf(ids.supportAgent))).body.data.graph).toEqual(graph);
  });
});
