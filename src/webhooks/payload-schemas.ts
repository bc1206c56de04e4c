// The bodies kapso-mock sends, one schema per event, written from Kapso's documentation
// (docs.kapso.ai: platform/webhooks/event-types, advanced, legacy; build-agents/agent-webhooks).
// The tests validate every body a receiver gets against these; docs/webhooks.md shows examples.
// Strict objects: a field Kapso does not document is a mistake here, not a surprise for a receiver.
import { z } from 'zod';

const Iso = z.iso.datetime({ offset: true });
/** Unix seconds as a string, as Meta writes them ("1730092800"). */
const UnixSeconds = z.string().regex(/^\d{10}$/);
const Wamid = z.string().startsWith('wamid.');
const Uuid = z.uuid();
const Digits = z.string().regex(/^\d{7,15}$/);
const E164 = z.string().regex(/^\+\d{7,15}$/);
const Json = z.record(z.string(), z.unknown());

const MESSAGE_TYPES = ['text', 'image', 'video', 'audio', 'document', 'template', 'location', 'interactive', 'reaction', 'contacts'] as const;

// ---------------------------------------------------------------------------------------------
// v2: Meta's message shape with a kapso block; the conversation with a kapso summary.

/** One of Meta's status objects (`message.kapso.statuses[]`); a failed one carries Meta's error. */
export const MetaStatus = z.strictObject({
  id: Wamid,
  status: z.enum(['sent', 'delivered', 'read', 'failed']),
  timestamp: UnixSeconds,
  recipient_id: Digits,
  errors: z.array(z.strictObject({
    code: z.number().int(),
    title: z.string(),
    message: z.string(),
    error_data: z.strictObject({ details: z.string() }).optional(),
  })).min(1).optional(),
});

const MediaBlock = z.strictObject({
  id: z.string().optional(),
  link: z.string().optional(),
  mime_type: z.string(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});

const Interactive = z.union([
  z.strictObject({ type: z.literal('button_reply'), button_reply: z.strictObject({ id: z.string(), title: z.string() }) }),
  z.strictObject({ type: z.literal('list_reply'), list_reply: z.strictObject({ id: z.string(), title: z.string(), description: z.string().optional() }) }),
  z.strictObject({
    type: z.enum(['button', 'list']),
    header: z.strictObject({ type: z.literal('text'), text: z.string() }).optional(),
    body: z.strictObject({ text: z.string() }),
    footer: z.strictObject({ text: z.string() }).optional(),
    action: z.union([
      z.strictObject({ buttons: z.array(z.strictObject({ type: z.literal('reply'), reply: z.strictObject({ id: z.string(), title: z.string() }) })) }),
      z.strictObject({
        button: z.string(),
        sections: z.array(z.strictObject({
          title: z.string().optional(),
          rows: z.array(z.strictObject({ id: z.string(), title: z.string(), description: z.string().optional() })),
        })),
      }),
    ]),
  }),
]);

/** The type's own block, as Meta names it (`text: {body}`, `image: {...}`...). */
const typeBlocks = {
  text: z.strictObject({ body: z.string() }),
  image: MediaBlock,
  video: MediaBlock,
  audio: MediaBlock,
  document: MediaBlock,
  location: z.strictObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }),
  template: z.strictObject({
    name: z.string(),
    language: z.strictObject({ code: z.string() }),
    components: z.array(z.strictObject({ type: z.enum(['header', 'body']), parameters: z.array(Json) })),
  }),
  interactive: Interactive,
  reaction: z.strictObject({ message_id: z.string(), emoji: z.string() }),
  contacts: z.array(Json).min(1),
};

export const KapsoMessageBlock = z.strictObject({
  direction: z.enum(['inbound', 'outbound']),
  status: z.enum(['received', 'sent', 'delivered', 'read', 'failed']),
  processing_status: z.enum(['pending', 'completed']),
  origin: z.enum(['cloud_api', 'business_app', 'history_sync']),
  has_media: z.boolean(),
  content: z.string(),
  message_type_data: Json,
  media_url: z.string().optional(),
  media_data: z.strictObject({ url: z.string(), filename: z.string(), content_type: z.string() }).optional(),
  statuses: z.array(MetaStatus).min(1).optional(),
});

/** `message` of a v2 message event: Meta's fields, the type's block, and the kapso block. */
export const MessageV2 = z
  .strictObject({
    id: Wamid,
    timestamp: UnixSeconds,
    type: z.enum(MESSAGE_TYPES),
    from: Digits.optional(),
    to: Digits.optional(),
    ...Object.fromEntries(Object.entries(typeBlocks).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof typeBlocks]: z.ZodOptional<(typeof typeBlocks)[K]> },
    kapso: KapsoMessageBlock,
  })
  .superRefine((m, ctx) => {
    const blocks = Object.keys(typeBlocks).filter((k) => (m as Record<string, unknown>)[k] !== undefined);
    if (blocks.length !== 1 || blocks[0] !== m.type) ctx.addIssue({ code: 'custom', message: `the ${m.type} message must carry exactly its own block, has: ${blocks.join(', ')}` });
    if ((m.kapso.direction === 'inbound') !== (m.from !== undefined) || (m.kapso.direction === 'outbound') !== (m.to !== undefined)) {
      ctx.addIssue({ code: 'custom', message: 'an inbound message has from, an outbound one to' });
    }
    if ((m.kapso.direction === 'outbound') !== (m.kapso.statuses !== undefined)) ctx.addIssue({ code: 'custom', message: 'outbound messages carry their statuses' });
  });

export const ConversationKapsoBlock = z.strictObject({
  contact_name: z.string().nullable(),
  messages_count: z.number().int().min(0),
  last_message_id: Wamid.nullable(),
  last_message_type: z.enum(MESSAGE_TYPES).nullable(),
  last_message_timestamp: Iso.nullable(),
  last_message_text: z.string().nullable(),
  last_inbound_at: Iso.nullable(),
  last_outbound_at: Iso.nullable(),
});

export const ConversationV2 = z.strictObject({
  id: Uuid,
  phone_number: E164,
  status: z.enum(['active', 'ended']),
  last_active_at: Iso,
  created_at: Iso,
  updated_at: Iso,
  metadata: Json,
  phone_number_id: z.string(),
  kapso: ConversationKapsoBlock,
});

export const MessageEventV2 = z.strictObject({
  message: MessageV2,
  conversation: ConversationV2,
  is_new_conversation: z.boolean(),
  phone_number_id: z.string(),
});

export const ConversationEventV2 = z.strictObject({
  conversation: ConversationV2,
  phone_number_id: z.string(),
});

/** The message a quiet spell is counted from. */
export const SinceMessage = z.strictObject({
  id: Uuid,
  whatsapp_message_id: Wamid,
  direction: z.enum(['inbound', 'outbound']),
  created_at: Iso,
});

export const ConversationInactiveV2 = z.strictObject({
  conversation: ConversationV2,
  since_message: SinceMessage.nullable(),
  inactivity: z.strictObject({ minutes: z.number().int().min(1).max(1440) }),
  phone_number_id: z.string(),
});

// ---------------------------------------------------------------------------------------------
// v1 (legacy): the API's own message and conversation shapes, a nested whatsapp_config.

const WhatsappConfigV1 = z.strictObject({
  id: Uuid,
  name: z.string(),
  phone_number_id: z.string(),
  business_account_id: z.string(),
});

export const MessageV1 = z.strictObject({
  id: Uuid,
  whatsapp_message_id: Wamid,
  phone_number: E164,
  message_type: z.enum(MESSAGE_TYPES),
  content: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  status: z.enum(['received', 'sent', 'delivered', 'read', 'failed']),
  processing_status: z.enum(['pending', 'processed']),
  origin: z.enum(['cloud_api', 'business_app', 'history_sync']),
  has_media: z.boolean(),
  media_url: z.string().optional(),
  message_type_data: Json,
  metadata: Json,
  error: z.strictObject({ code: z.number().int(), title: z.string(), message: z.string(), error_data: z.strictObject({ details: z.string() }) }).optional(),
  created_at: Iso,
  updated_at: Iso,
});

export const ConversationV1 = z.strictObject({
  id: Uuid,
  phone_number: E164,
  status: z.enum(['active', 'ended']),
  last_active_at: Iso,
  created_at: Iso,
  updated_at: Iso,
  metadata: Json,
  whatsapp_config_id: Uuid,
  contact_name: z.string().nullable(),
});

export const MessageEventV1 = z.strictObject({
  message: MessageV1,
  conversation: ConversationV1,
  whatsapp_config: WhatsappConfigV1,
  is_new_conversation: z.boolean(),
});

export const ConversationEventV1 = z.strictObject({
  conversation: ConversationV1,
  whatsapp_config: WhatsappConfigV1,
});

export const ConversationInactiveV1 = z.strictObject({
  conversation: ConversationV1,
  whatsapp_config: WhatsappConfigV1,
  since_message: SinceMessage.nullable(),
  inactivity: z.strictObject({ minutes: z.number().int().min(1).max(1440) }),
});

// ---------------------------------------------------------------------------------------------
// Batches and agent webhooks.

/** A buffered batch (Kapso's "Advanced features" page): the events of one conversation in one body. */
export const batchOf = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    type: z.literal('whatsapp.message.received'),
    batch: z.literal(true),
    data: z.array(item).min(1).max(100),
    batch_info: z.strictObject({
      size: z.number().int().min(1),
      window_ms: z.number().int().min(1000).max(60_000),
      first_sequence: z.number().int(),
      last_sequence: z.number().int(),
      conversation_id: Uuid,
    }),
  }).refine((b) => b.batch_info.size === b.data.length && b.batch_info.first_sequence <= b.batch_info.last_sequence, 'batch_info must describe data');

export const AGENT_EVENT_STATUS = {
  agent_execution_started: 'started',
  agent_execution_ended: 'completed',
  agent_execution_failed: 'failed',
  agent_execution_handoff: 'handoff',
} as const;

export const AgentEvent = z
  .strictObject({
    event: z.enum(['agent_execution_started', 'agent_execution_ended', 'agent_execution_failed', 'agent_execution_handoff']),
    agent_execution: z.strictObject({
      id: Uuid,
      started_at: Iso,
      ended_at: Iso.nullable(),
      status: z.enum(['started', 'completed', 'failed', 'handoff']),
      agent_id: Uuid,
    }),
    agent: z.strictObject({ id: Uuid, name: z.string() }),
    handoff: z.strictObject({ node_name: z.string(), handoff_datetime: Iso, handoff_reason: z.string().nullable() }).optional(),
    failure: z.strictObject({ error: z.strictObject({ message: z.string(), type: z.string() }), failed_at: Iso }).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.agent_execution.status !== AGENT_EVENT_STATUS[p.event]) ctx.addIssue({ code: 'custom', message: 'status must follow the event' });
    if ((p.event === 'agent_execution_handoff') !== (p.handoff !== undefined)) ctx.addIssue({ code: 'custom', message: 'handoff goes with agent_execution_handoff' });
    if ((p.event === 'agent_execution_failed') !== (p.failure !== undefined)) ctx.addIssue({ code: 'custom', message: 'failure goes with agent_execution_failed' });
  });

const MESSAGE_EVENTS = ['whatsapp.message.received', 'whatsapp.message.sent', 'whatsapp.message.delivered', 'whatsapp.message.read', 'whatsapp.message.failed'];

/**
 * The schema of the body sent for an event (X-Webhook-Event) in a payload version
 * (X-Webhook-Payload-Version), batched or not (X-Webhook-Batch).
 */
export function payloadSchema(event: string, version: 'v1' | 'v2', batch = false): z.ZodType {
  let single: z.ZodType;
  if (event.startsWith('agent_execution_')) single = AgentEvent;
  else if (MESSAGE_EVENTS.includes(event)) single = version === 'v2' ? MessageEventV2 : MessageEventV1;
  else if (event === 'whatsapp.conversation.inactive') single = version === 'v2' ? ConversationInactiveV2 : ConversationInactiveV1;
  else if (event.startsWith('whatsapp.conversation.')) single = version === 'v2' ? ConversationEventV2 : ConversationEventV1;
  else throw new Error(`no payload schema for ${event}`);
  // A message event's message is in the status the event names (a delivered event: delivered).
  const status = event.split('.').pop();
  const typed = MESSAGE_EVENTS.includes(event)
    ? single.refine((p) => {
      const message = (p as { message: { status?: string; kapso?: { status: string } } }).message;
      return (version === 'v2' ? message.kapso?.status : message.status) === status;
    }, `the message's status must be ${status}`)
    : single;
  return batch ? batchOf(typed) : typed;
}
