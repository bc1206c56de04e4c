import { z } from 'zod';
import { PathId, RequiredText, Timestamp, Uuid } from '../../lib/schemas.js';
import { AgentExecution, EXECUTION_MOVES } from '../../resources/agent-executions/schemas.js';

export const ExecutionIdParams = z.object({ id: PathId });

export const ExecutionStatusBody = z
  .object({
    status: z.enum(EXECUTION_MOVES).meta({
      description: 'running, paused, handoff (the agent hands the conversation to a person), ended, or failed (reads ended on /api/v1). '
        + 'ended and failed are final and set ended_at.',
    }),
    reason: RequiredText.refine((s) => s.length <= 1000, { message: 'is too long (at most 1000 characters)' }).optional().meta({ description: 'With handoff: the handoff_reason; with failed: why it failed.' }),
    project_id: z.string().optional().meta({ description: 'The project holding the execution (default: the X-API-Key\'s project, else the only project holding it).' }),
  })
  .superRefine((b, ctx) => {
    if (b.reason !== undefined && b.status !== 'handoff' && b.status !== 'failed') {
      ctx.addIssue({ code: 'custom', path: ['reason'], message: 'is only given with status handoff or failed' });
    }
  });

/** An execution as the control plane shows it: the API's shape, whether it failed and why, and its conversation. */
export const AdminExecution = AgentExecution.extend({
  failed: z.boolean().meta({ description: 'true for an execution that failed (status ended on /api/v1).' }),
  reason: z.string().nullable().meta({ description: 'The reason given with its last handoff or its failure.' }),
  whatsapp_conversation: z
    .object({
      id: Uuid.meta({ description: 'The association\'s ID (GET /api/v1/whatsapp_conversations/{conversation_id}/agent_executions/{id}).' }),
      conversation_id: Uuid,
      active: z.boolean(),
      handoff_reason: z.string().nullable(),
      updated_at: Timestamp,
    })
    .nullable()
    .meta({ description: 'The conversation the execution runs in; null when it was started without a phone number.' }),
});

export const AdminExecutionResponse = z.object({ data: AdminExecution });
