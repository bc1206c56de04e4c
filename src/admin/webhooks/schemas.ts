import { z } from 'zod';
import { PathId, Timestamp, Uuid } from '../../lib/schemas.js';
import { AGENT_WEBHOOK_EVENTS, AgentWebhook, AgentWebhookInput, AgentWebhookPatch } from '../../resources/agent-webhooks/schemas.js';
import { WEBHOOK_EVENTS } from '../../resources/whatsapp-webhooks/schemas.js';

const ProjectChoice = z.string().optional().meta({ description: 'The project of the record (default: the X-API-Key header\'s, else the one project holding the ID).' });

/** Filters of the delivery list, as query parameters or a JSON body. */
const filterFields = {
  project_id: z.string().optional().meta({ description: 'Only this project\'s deliveries (or the project of an X-API-Key header).' }),
  webhook_id: z.string().optional().meta({ description: 'Only this webhook\'s (a WhatsApp or an agent webhook).' }),
  event: z.string().optional().meta({ description: 'Only this event (whatsapp.message.received, agent_execution_ended...).' }),
  status: z.enum(['pending', 'delivered', 'failed']).optional().meta({ description: 'pending: not yet delivered (waiting, retrying, or a batch still collecting).' }),
  conversation_id: z.string().optional().meta({ description: 'Only deliveries about this conversation.' }),
};

export const DeliveryQuery = z.object({
  ...filterFields,
  limit: z.coerce.number().int().min(1).optional().meta({ description: 'At most this many deliveries (newest first).' }),
});

export const DeliveryWaitBody = z.object({
  ...filterFields,
  count: z.number().int().min(1).max(10_000).default(1).meta({ description: 'How many matching deliveries to wait for (those already there count).' }),
  timeout_ms: z.number().int().min(0).max(60_000).default(5000),
});

const Attempt = z.object({
  at: Timestamp.meta({ description: 'When the attempt started (mock clock).' }),
  status: z.number().int().nullable().meta({ description: 'The receiver\'s HTTP status; null when it gave none.' }),
  error: z.string().nullable().meta({ description: 'Why the attempt failed without an answer: refused, timed out, a host outside webhook_hosts...' }),
  duration_ms: z.number().meta({ description: 'Real milliseconds the attempt took.' }),
  response_body: z.string().nullable().meta({ description: 'The start of the receiver\'s answer (512 characters at most).' }),
  duplicate: z.literal(true).optional().meta({ description: 'The second copy sent by the webhook_duplicate_rate fault.' }),
});

export const WebhookDelivery = z
  .object({
    id: Uuid,
    project_id: z.string(),
    webhook_kind: z.enum(['whatsapp', 'agent']),
    webhook_id: Uuid,
    event: z.string(),
    url: z.string(),
    conversation_id: z.string().nullable(),
    status: z.enum(['pending', 'delivered', 'failed']),
    origin: z.enum(['event', 'fallback', 'redelivery', 'test']).meta({
      description: 'event: an event on the bus or an inactivity timer; fallback: an event of a failed batch sent on its own; redelivery; test: POST /__admin/webhooks/{id}/test.',
    }),
    redelivery_of: Uuid.nullable(),
    fallback_of: Uuid.nullable().meta({ description: 'The failed batch this event fell back from.' }),
    batch: z.object({ size: z.number().int(), window_ms: z.number().int(), open: z.boolean().meta({ description: 'Still collecting events.' }) }).nullable(),
    sequence: z.number().int().meta({ description: 'The order deliveries were made in (a batch\'s first_sequence and last_sequence count in it).' }),
    payload_version: z.string(),
    idempotency_key: Uuid.meta({ description: 'X-Idempotency-Key: the same on every attempt (and on a redelivery).' }),
    headers: z.record(z.string(), z.string()).meta({ description: 'Every header sent (the signature, never the secret); a batch still collecting shows the webhook\'s custom headers.' }),
    payload: z.unknown().meta({ description: 'The body, parsed (a batch still collecting: the batch as it would go now).' }),
    attempt_count: z.number().int(),
    attempts: z.array(Attempt),
    next_attempt_at: Timestamp.nullable().meta({ description: 'When the next attempt goes (mock clock); null while one is in flight and once finished.' }),
    created_at: Timestamp,
    delivered_at: Timestamp.nullable(),
    failed_at: Timestamp.nullable(),
    error: z.string().nullable().meta({ description: 'Why it failed: the last attempt\'s error, or a cancellation.' }),
  })
  .meta({ id: 'AdminWebhookDelivery' });

export const DeliveryListResponse = z.object({ data: z.array(WebhookDelivery), meta: z.object({ count: z.number().int() }) });
export const DeliveryWaitResponse = z.object({ data: z.array(WebhookDelivery), meta: z.object({ count: z.number().int(), timed_out: z.boolean() }) });
export const DeliveryResponse = z.object({ data: WebhookDelivery });

export const DeliveryParams = z.object({ id: PathId });
export const ProjectBody = z.object({ project_id: ProjectChoice });

export const WebhookTestBody = z.object({
  event_type: z.enum([...WEBHOOK_EVENTS, ...AGENT_WEBHOOK_EVENTS]).optional()
    .meta({ description: 'The event to send a sample of (default whatsapp.message.received, or agent_execution_started for an agent webhook).' }),
  project_id: ProjectChoice,
});

export const AgentParams = z.object({ agent_id: PathId });
export const AgentWebhookParams = z.object({ id: PathId });
export const AgentWebhookCreateBody = AgentWebhookInput.extend({ project_id: ProjectChoice });
export const AgentWebhookUpdateBody = AgentWebhookPatch.extend({ project_id: ProjectChoice });
export const AgentWebhookResponse = z.object({ data: AgentWebhook });
export const AgentWebhookListResponse = z.object({ data: z.array(AgentWebhook) });
