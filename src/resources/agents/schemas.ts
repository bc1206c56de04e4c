import { z } from 'zod';
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

const GraphNode = z.object({
  id: RequiredText.meta({ description: 'Unique identifier for the node in this definition' }),
  nodeable_id: z.string().optional(),
  name: RequiredText,
  type: z.enum(['DefaultNode', 'WebhookNode', 'WhatsappTemplateNode', 'KnowledgeBaseNode', 'HandoffNode', 'WarmEndNode']),
  prompt: z.string().optional(),
  global: z.boolean().optional(),
  global_condition: z.string().optional(),
  config: Json.optional(),
  tool_ids: z.array(z.string()).max(100).optional(),
  webhook: z
    .object({
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
    .optional(),
  whatsapp_template: z
    .object({
      phone_number: z.string().optional(),
      template_parameters: Json.optional(),
      wait_for_response: z.boolean().optional(),
      whatsapp_config_id: z.string().optional(),
      whatsapp_template_id: z.string().optional(),
      whatsapp_node_id: z.string().optional(),
    })
    .optional(),
  knowledge_base: z.object({ key: z.string().optional(), knowledge_base_text: z.string().optional() }).optional(),
  warm_end: z.object({ timeout_minutes: z.number().int().optional() }).optional(),
});

const GraphEdge = z.object({
  id: z.string().optional(),
  from: RequiredText,
  to: RequiredText,
  label: z.string().optional(),
  conditions: Json.optional(),
});

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
export const AgentGraph = z.object({
  metadata: Json.optional(),
  nodes: z.array(GraphNode).max(1000).optional(),
  edges: z.array(GraphEdge).max(5000).optional(),
  tools: z.array(GraphTool).max(500).optional(),
});
export type AgentGraph = z.infer<typeof AgentGraph>;

export const AgentCreateBody = z.object({
  agent: z.object({
    name: RequiredText,
    system_prompt: z.string().optional(),
  }),
});
export type AgentInput = z.infer<typeof AgentCreateBody>['agent'];

export const AgentUpdateBody = z.object({
  agent: z.object({
    name: RequiredText.optional(),
    system_prompt: z.string().optional(),
    graph: AgentGraph.optional().meta({ description: 'Graph definition for the agent' }),
  }),
});
export type AgentPatch = z.infer<typeof AgentUpdateBody>['agent'];

export const AgentResponse = data(Agent);
export const AgentListResponse = list(Agent);
