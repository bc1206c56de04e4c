import { z } from 'zod';
import { PhoneInput } from '../../lib/phone.js';
import { data, list, PathId, RequiredText, Timestamp, Uuid } from '../../lib/schemas.js';

/** The statuses /api/v1 shows (the spec's enum). A failed execution reads `ended` (API-DECISIONS). */
export const AGENT_EXECUTION_STATUSES = ['started', 'running', 'paused', 'ended', 'handoff'] as const;
export type AgentExecutionStatus = (typeof AGENT_EXECUTION_STATUSES)[number];

/** Where the control plane can move an execution; `failed` is its own move and event. */
export const EXECUTION_MOVES = ['running', 'paused', 'handoff', 'ended', 'failed'] as const;
export type ExecutionMove = (typeof EXECUTION_MOVES)[number];

export const AgentExecution = z
  .object({
    id: Uuid,
    agent_id: Uuid,
    thread_id: Uuid,
    status: z.enum(AGENT_EXECUTION_STATUSES).meta({ description: 'A failed execution reads ended (the control plane shows the failure).' }),
    started_at: Timestamp,
    ended_at: Timestamp.nullable(),
    duration: z.number().int().nullable().meta({ description: 'Duration in seconds (whole seconds from started_at to ended_at); null until it ends.' }),
  })
  .meta({ id: 'AgentExecution' });
export type AgentExecution = z.infer<typeof AgentExecution>;

// Path examples are seeded IDs (the Demo Project's), so the reference page's "Try it out" works as it is.
const AgentId = PathId.meta({ example: 'a1000000-0000-4000-8000-000000000001' });
export const ExecutionsParams = z.object({ agent_id: AgentId });
export const ExecutionParams = z.object({ agent_id: AgentId, execution_id: PathId.meta({ example: 'ec100000-0000-4000-8000-000000000001' }) });

/** A message is at most as long as a WhatsApp text. */
export const MAX_TEXT = 4096;
/** A structured message's content, as JSON text. */
export const MAX_CONTENT = 16_384;

const Text = RequiredText.refine((s) => s.length <= MAX_TEXT, { message: `is too long (at most ${MAX_TEXT} characters)` });

/** The structured message of the spec: `{type, content: {text?, ...}}`. */
const StructuredMessage = z
  .object({
    type: z.enum(['user_input', 'payload']).optional().meta({ description: 'The type of message to send (default user_input)', example: 'user_input' }),
    content: z
      .object({ text: Text.optional().meta({ description: 'The text content (for user_input type)', example: 'I need help with my order' }) })
      .catchall(z.unknown())
      .refine((c) => JSON.stringify(c).length <= MAX_CONTENT, { message: `is too long (at most ${MAX_CONTENT} characters as JSON)` })
      .optional()
      .meta({ description: 'The content of the message' }),
  })
  .meta({ description: 'Structured message to send to the agent' });
export type StructuredMessage = z.infer<typeof StructuredMessage>;

/** The customer's words in a message, when it has some: a legacy string, or a user_input's content.text. */
export function textOf(message: string | StructuredMessage | undefined): string | undefined {
  if (message === undefined || typeof message === 'string') return message;
  return (message.type ?? 'user_input') === 'user_input' ? message.content?.text : undefined;
}

export const ExecutionStartBody = z.object({
  message: z
    .union([Text.meta({ description: 'Legacy format - Initial message to send to the agent (string)', example: 'I need help with my order' }), StructuredMessage])
    .optional()
    .meta({ description: 'The input the agent starts with. With phone_number, its text is stored as the customer\'s inbound message.' }),
  phone_number: PhoneInput.optional().meta({
    description: 'WhatsApp phone number to associate with this execution: its active conversation on the agent\'s primary WhatsApp config is reused, or a new one opens.',
    example: '+1234567890',
  }),
  whatsapp_config_id: PathId.optional().meta({
    description: 'Later API revision: a WhatsApp config linked to the agent to use instead of its primary one.',
  }),
});
export type ExecutionStartInput = z.output<typeof ExecutionStartBody>;

export const ExecutionResumeBody = z
  .object({
    message: StructuredMessage.optional().meta({ description: 'Structured message to send when resuming the execution' }),
  })
  // Fastify hands a request without a body to validation as null.
  .nullish();


export const ExecutionResponse = data(AgentExecution);
/** Pagination in the headers only (Total, Total-Pages, Per-Page, Page, Link), as the spec documents. */
export const ExecutionListResponse = list(AgentExecution);
