import { z } from 'zod';
import { railsParams } from '../../lib/route.js';
import { data, PathId, RequiredText, Timestamp, Uuid } from '../../lib/schemas.js';

export const TEST_CHAT_STATUSES = ['processing', 'completed', 'error'] as const;
export type TestChatStatus = (typeof TEST_CHAT_STATUSES)[number];

export const ChatTurn = z.object({
  role: z.enum(['user', 'assistant']),
  content: z.string(),
});
export type ChatTurn = z.infer<typeof ChatTurn>;

export const AgentTestChat = z
  .object({
    id: Uuid,
    agent_id: Uuid,
    agent_snapshot_id: Uuid.optional().meta({ description: 'The snapshot the chat talks to; left out for a chat with the agent itself.' }),
    status: z.enum(TEST_CHAT_STATUSES),
    conversation: z.array(ChatTurn).meta({ description: 'Every turn so far; the reply being processed appears when the chat is completed.' }),
    error: z.string().nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'AgentTestChat' });
export type AgentTestChat = z.infer<typeof AgentTestChat>;

export const AgentChatParams = z.object({ agent_id: PathId.meta({ example: 'a1000000-0000-4000-8000-000000000001' }) });
export const SnapshotChatParams = z.object({ agent_snapshot_id: PathId.meta({ example: '5a100000-0000-4000-8000-000000000001' }) });
export const TestChatParams = z.object({ id: PathId.meta({ example: 'cc100000-0000-4000-8000-000000000001' }) });

/** A test chat stands in for a WhatsApp conversation: a message is at most as long as a WhatsApp text (4096 characters). */
export const MAX_MESSAGE = 4096;
/** A resume payload, as JSON text. */
export const MAX_PAYLOAD = 16_384;

/** `{message, agent_test_chat_id?}`: no wrapper; Kapso reads both straight from params, so their problems are 400s. */
export const TestChatCreateBody = railsParams(
  z.object({
    message: RequiredText.refine((s) => s.length <= MAX_MESSAGE, { message: `is too long (at most ${MAX_MESSAGE} characters)` })
      .meta({ description: `Message to send to the agent (at most ${MAX_MESSAGE} characters)`, maxLength: MAX_MESSAGE }),
    agent_test_chat_id: PathId.optional().meta({ description: 'Optional ID of an existing test chat to continue the conversation' }),
  }),
  ['message', 'agent_test_chat_id'],
);

export const TestChatResumeBody = z
  .object({
    message: z
      .object({
        type: z.enum(['payload']).optional().meta({ description: "Message type (always 'payload' for resume)" }),
        content: z
          .record(z.string(), z.unknown())
          .refine((c) => JSON.stringify(c).length <= MAX_PAYLOAD, { message: `is too long (at most ${MAX_PAYLOAD} characters as JSON)` })
          .optional()
          .meta({ description: `The payload content as a JSON object (at most ${MAX_PAYLOAD} characters as JSON)` }),
      })
      .optional()
      .meta({ description: 'Optional payload message to send when resuming' }),
  })
  // Fastify hands a request without a body to validation as null.
  .nullish();

export const TestChatResponse = data(AgentTestChat);

/** The spec's 402 body. */
export const InsufficientCreditsBody = z
  .object({ error: z.string().meta({ example: 'Insufficient credits. Go to https://app.kapso.ai/projects/{project_id}/billing' }) })
  .meta({ description: 'Payment required - Insufficient credits' });

/** The spec's 422 body for a chat that is not completed. */
export const CannotResumeBody = z
  .object({
    error: z.string().meta({ example: 'Test chat cannot be resumed' }),
    message: z.string().meta({ example: 'This test chat is not in a completed state' }),
  })
  .meta({ description: 'Test chat cannot be resumed' });
