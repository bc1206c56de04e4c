import { z } from 'zod';
import { data, paged, PathId, Timestamp, Uuid } from '../../lib/schemas.js';
import { AgentExecution } from '../agent-executions/schemas.js';

/** An agent execution in a conversation: the association, with the execution embedded. */
export const WhatsappConversationAgentExecution = z
  .object({
    id: Uuid,
    active: z.boolean().meta({ description: 'true until the execution ends (or fails, or another execution takes the conversation over).' }),
    handoff_reason: z.string().nullable().meta({ description: 'Why the execution handed the conversation to a person; null when it did not (or took it back).' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    agent_execution: AgentExecution,
  })
  .meta({ id: 'WhatsappConversationAgentExecution' });
export type WhatsappConversationAgentExecution = z.infer<typeof WhatsappConversationAgentExecution>;

// Path examples are seeded IDs (the Demo Project's), so the reference page's "Try it out" works as it is.
const ConversationId = PathId.meta({ example: 'ca100000-0000-4000-8000-000000000001' });
export const ConversationExecutionsParams = z.object({ conversation_id: ConversationId });
export const ConversationExecutionParams = z.object({
  conversation_id: ConversationId,
  id: PathId.meta({ description: 'ID of the association (not of the execution)', example: 'ce100000-0000-4000-8000-000000000004' }),
});

export const ConversationExecutionResponse = data(WhatsappConversationAgentExecution);
export const ConversationExecutionListResponse = paged(WhatsappConversationAgentExecution);
