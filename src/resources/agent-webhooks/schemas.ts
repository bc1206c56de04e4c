import { z } from 'zod';
import { RequiredText, Timestamp, Uuid, WebUrl } from '../../lib/schemas.js';
import { CustomHeaders } from '../whatsapp-webhooks/schemas.js';

/** The events an agent webhook can subscribe to (Kapso's agent webhooks guide). */
export const AGENT_WEBHOOK_EVENTS = ['agent_execution_started', 'agent_execution_ended', 'agent_execution_failed', 'agent_execution_handoff'] as const;
export type AgentWebhookEvent = (typeof AGENT_WEBHOOK_EVENTS)[number];

export const AgentWebhook = z
  .object({
    id: Uuid,
    agent_id: Uuid,
    url: z.string().meta({ format: 'uri' }),
    secret_key: z.string().meta({ description: 'Signs each delivery (X-Webhook-Signature).' }),
    events: z.array(z.enum(AGENT_WEBHOOK_EVENTS)),
    active: z.boolean(),
    headers: z.record(z.string(), z.string()).nullable().meta({ description: 'Custom headers sent with each delivery; null when none.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'AgentWebhook' });
export type AgentWebhook = z.infer<typeof AgentWebhook>;

const eventList = z.array(z.enum(AGENT_WEBHOOK_EVENTS)).superRefine((list, ctx) => {
  if (list.length === 0) ctx.addIssue({ code: 'custom', message: "can't be blank" });
  if (new Set(list).size !== list.length) ctx.addIssue({ code: 'custom', message: 'must not name an event twice' });
});

/** The fields of an agent webhook as the control plane and the fixtures write them. */
export const agentWebhookFields = {
  url: WebUrl.pipe(z.string().max(2048)).meta({ format: 'uri', example: 'http://127.0.0.1:3000/webhooks/kapso-agent', description: 'Where deliveries go (http or https).' }),
  secret_key: RequiredText.pipe(z.string().max(256)).meta({ description: 'The Secret Key of the agent\'s "API & Webhooks" settings.' }),
  events: eventList.meta({ description: 'Events to receive (default: all four).' }),
  active: z.boolean().meta({ description: 'Default true.' }),
  headers: CustomHeaders.nullable(),
};

export const AgentWebhookInput = z.object({
  ...agentWebhookFields,
  events: agentWebhookFields.events.default([...AGENT_WEBHOOK_EVENTS]),
  active: agentWebhookFields.active.default(true),
  headers: agentWebhookFields.headers.optional(),
});
export type AgentWebhookInput = z.infer<typeof AgentWebhookInput>;

export const AgentWebhookPatch = z.object(agentWebhookFields).partial();
export type AgentWebhookPatch = z.infer<typeof AgentWebhookPatch>;
