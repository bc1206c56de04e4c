import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, list, PathId, RequiredText, Timestamp, Uuid } from '../../lib/schemas.js';

export const Agent = z
  .object({
    id: Uuid,
    name: z.string(),
    description: z.string().optional().meta({ description: 'Not settable through the API; left out when empty.' }),
    project_id: Uuid,
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Agent' });
export type Agent = z.infer<typeof Agent>;

// Path examples are seeded IDs (the Demo Project's), so the reference page's "Try it out" works as it is.
export const AgentParams = z.object({ agent_id: PathId.meta({ example: 'a1000000-0000-4000-8000-000000000001' }) });

const Json = z.record(z.string(), z.unknown());

export const NODE_TYPES = ['DefaultNode', 'WebhookNode', 'WhatsappTemplateNode', 'KnowledgeBaseNode', 'HandoffNode', 'WarmEndNode'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

// One shape for the graph a client writes (updateAgent, createAgentSnapshot) and the graph it
// reads back (getAgentWithGraph, AgentSnapshot): the request's fields plus the ones Kapso's
// AgentGraph component adds (nodeable_id inside each typed part, `handoff`, the template's name).
const nodeable = { nodeable_id: z.string().optional() };

const GraphNode = z.object({
  id: RequiredText.meta({ description: 'Unique identifier for the node in this definition; edges name nodes by it.' }),
  nodeable_id: z.string().optional().meta({ description: 'Optional ID of an existing node object to update instead of creating new' }),
  name: RequiredText.meta({ description: 'Name of the node, unique in the graph.' }),
  type: z.enum(NODE_TYPES),
  prompt: z.string().optional().meta({ description: 'LLM prompt for the node' }),
  global: z.boolean().optional().meta({ description: 'Whether this node is globally accessible' }),
  global_condition: z.string().optional().meta({ description: 'LLM will evaluate this condition to move to this global node' }),
  config: Json.optional().meta({ description: 'Configuration object for the node. The mock reads `mock_reply` (a string) as the reply its test chats give at this node.' }),
  tool_ids: z.array(z.string()).max(100).optional(),
  webhook: z
    .object({
      ...nodeable,
      url: z.string().optional(),
      http_method: z.string().optional(),
      headers: Json.optional(),
      body: Json.optional(),
      mock_response: Json.optional(),
      mock_response_enabled: z.boolean().optional(),
      headers_raw: z.string().optional(),
      body_raw: z.string().optional(),
      mock_response_raw: z.string().optional(),
    })
    .optional()
    .meta({ description: 'Details for WebhookNode types' }),
  whatsapp_template: z
    .object({
      ...nodeable,
      name: z.string().optional(),
      phone_number: z.string().optional(),
      template_parameters: Json.optional(),
      wait_for_response: z.boolean().optional(),
      whatsapp_config_id: z.string().optional(),
      whatsapp_template_id: z.string().optional(),
      whatsapp_node_id: z.string().optional(),
    })
    .optional()
    .meta({ description: 'Details for WhatsappTemplateNode types' }),
  knowledge_base: z
    .object({ ...nodeable, key: z.string().optional(), knowledge_base_text: z.string().optional() })
    .optional()
    .meta({ description: 'Details for KnowledgeBaseNode types' }),
  handoff: z.object({ ...nodeable }).optional().meta({ description: 'Details for HandoffNode types' }),
  warm_end: z
    .object({ ...nodeable, timeout_minutes: z.number().int().optional() })
    .optional()
    .meta({ description: 'Details for WarmEndNode types' }),
});
export type GraphNode = z.infer<typeof GraphNode>;

const GraphEdge = z.object({
  id: z.string().optional().meta({ description: 'Edge identifier, unique in the graph when given.' }),
  from: RequiredText.meta({ description: 'Source node ID' }),
  to: RequiredText.meta({ description: 'Target node ID' }),
  label: z.string().optional(),
  conditions: Json.optional(),
});
export type GraphEdge = z.infer<typeof GraphEdge>;

const GraphTool = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  type: z.string().optional(),
  url: z.string().optional(),
  method: z.string().optional(),
  query_params: Json.optional(),
  headers: Json.optional(),
  body: Json.optional(),
  description: z.string().optional(),
});

// Bounds keep one oversized graph from holding the event loop while it is validated.
export const AgentGraph = z
  .object({
    metadata: Json.optional(),
    nodes: z.array(GraphNode).max(1000).optional(),
    edges: z.array(GraphEdge).max(5000).optional(),
    tools: z.array(GraphTool).max(500).optional(),
  })
  .meta({ id: 'AgentGraph' });
export type AgentGraph = z.infer<typeof AgentGraph>;

/**
 * A graph as a client sends it: the shape above, and the rules between its parts (docs/families/agents.md):
 * node IDs and node names are unique, edge IDs (when given) are unique, and every edge's `from`
 * and `to` is the ID of one of the graph's nodes.
 */
export const AgentGraphInput = AgentGraph.superRefine((graph, ctx) => {
  const nodes = graph.nodes ?? [];
  const ids = new Set<string>();
  const names = new Set<string>();
  nodes.forEach((node, i) => {
    if (ids.has(node.id)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'id'], message: `"${clip(node.id)}" is the ID of another node` });
    if (names.has(node.name)) ctx.addIssue({ code: 'custom', path: ['nodes', i, 'name'], message: `"${clip(node.name)}" is the name of another node` });
    ids.add(node.id);
    names.add(node.name);
  });
  const edgeIds = new Set<string>();
  (graph.edges ?? []).forEach((edge, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!ids.has(edge[end])) ctx.addIssue({ code: 'custom', path: ['edges', i, end], message: `"${clip(edge[end])}" is not the ID of a node of the graph` });
    }
    if (edge.id !== undefined) {
      if (edgeIds.has(edge.id)) ctx.addIssue({ code: 'custom', path: ['edges', i, 'id'], message: `"${clip(edge.id)}" is the ID of another edge` });
      edgeIds.add(edge.id);
    }
  });
});

/** A value quoted in an error message, cut short. */
const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}...` : s);

/** getAgentWithGraph: the agent with its system prompt and graph. */
export const AgentWithGraph = z
  .object({
    id: Uuid,
    name: z.string(),
    system_prompt: z.string().optional().meta({ description: 'Left out when the agent has none.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    graph: AgentGraph,
  })
  .meta({ id: 'AgentWithGraph' });
export type AgentWithGraph = z.infer<typeof AgentWithGraph>;

export const AgentCreateBody = wrapped('agent', z.object({
  name: RequiredText,
  system_prompt: z.string().optional(),
}));
export type AgentInput = z.infer<typeof AgentCreateBody>['agent'];

export const AgentUpdateBody = wrapped('agent', z.object({
  name: RequiredText.optional(),
  system_prompt: z.string().optional(),
  graph: AgentGraphInput.optional().meta({ description: 'Graph definition for the agent; replaces the whole graph.' }),
}));
export type AgentPatch = z.infer<typeof AgentUpdateBody>['agent'];

export const AgentResponse = data(Agent);
export const AgentWithGraphResponse = data(AgentWithGraph);
export const AgentListResponse = list(Agent);
