import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, paged, PathId, RequiredText, Timestamp, Uuid, WebUrl } from '../../lib/schemas.js';

/** The events a WhatsApp webhook can subscribe to (Kapso's event types page). */
export const WEBHOOK_EVENTS = [
  'whatsapp.message.received',
  'whatsapp.message.sent',
  'whatsapp.message.delivered',
  'whatsapp.message.read',
  'whatsapp.message.failed',
  'whatsapp.conversation.created',
  'whatsapp.conversation.ended',
  'whatsapp.conversation.inactive',
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Events that can be buffered into batches: Kapso supports only this one ("currently only supports whatsapp.message.received"). */
export const BUFFERABLE_EVENTS = ['whatsapp.message.received'] as const;

export const PAYLOAD_VERSIONS = ['v2', 'v1'] as const;
export type PayloadVersion = (typeof PAYLOAD_VERSIONS)[number];

/** Headers every delivery sets itself: a webhook's custom headers cannot replace them. */
export const RESERVED_HEADERS = [
  'content-type', 'content-length', 'host', 'connection', 'transfer-encoding', 'x-webhook-event', 'x-webhook-signature',
  'x-idempotency-key', 'x-webhook-payload-version', 'x-webhook-batch', 'x-batch-size',
] as const;

/** An HTTP header name (RFC 9110 token). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header value a request can carry: visible characters, spaces and tabs, no line breaks. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const MAX_HEADERS = 20;

/** Custom headers sent with each delivery: names and values an HTTP request can carry, none of the delivery's own. */
export const CustomHeaders = z
  .record(z.string(), z.string().max(1024))
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_HEADERS) ctx.addIssue({ code: 'custom', message: `must have at most ${MAX_HEADERS} headers` });
    const seen = new Set<string>();
    for (const name of names) {
      const lower = name.toLowerCase();
      if (!TOKEN.test(name) || name.length > 256) ctx.addIssue({ code: 'custom', message: `has an invalid header name: ${JSON.stringify(name.slice(0, 40))}` });
      else if ((RESERVED_HEADERS as readonly string[]).includes(lower)) ctx.addIssue({ code: 'custom', message: `cannot set ${name}: every delivery sets it` });
      else if (seen.has(lower)) ctx.addIssue({ code: 'custom', message: `names ${name} twice` });
      if (!FIELD_VALUE.test(headers[name]!)) ctx.addIssue({ code: 'custom', message: `has an invalid value for ${name} (no line breaks or control characters)` });
      seen.add(lower);
    }
  })
  .meta({ description: 'Custom headers sent with each delivery (not Content-Type or the X-Webhook-* headers).', example: { 'X-Custom-Header': 'custom-value' } });

export const WhatsappWebhook = z
  .object({
    id: Uuid,
    url: z.string().meta({ format: 'uri', description: 'The URL that receives the deliveries.' }),
    secret_key: z.string().meta({ description: 'Secret key for webhook signature verification (HMAC-SHA256 of the body).' }),
    events: z.array(z.enum(WEBHOOK_EVENTS)).meta({ description: 'Events this webhook receives.' }),
    active: z.boolean().meta({ description: 'Whether this webhook is active: an inactive webhook receives nothing.' }),
    headers: z.record(z.string(), z.string()).nullable().meta({ description: 'Custom headers sent with each delivery; null when none.' }),
    buffer_enabled: z.boolean().meta({ description: 'Whether message buffering is enabled for batch delivery.' }),
    buffer_window_seconds: z.number().int().meta({ minimum: 1, maximum: 60, description: 'Seconds a conversation\'s buffered events are collected before the batch is sent.' }),
    max_buffer_size: z.number().int().meta({ minimum: 1, maximum: 100, description: 'A batch is sent as soon as it holds this many events.' }),
    buffer_events: z.array(z.enum(BUFFERABLE_EVENTS)).meta({ description: 'Events that are buffered (Kapso supports whatsapp.message.received only).' }),
    inactivity_minutes: z.number().int().meta({ minimum: 1, maximum: 1440, description: 'Minutes without messages before whatsapp.conversation.inactive.' }),
    payload_version: z.enum(PAYLOAD_VERSIONS).meta({ description: 'v2 (Meta\'s message shape with a kapso block, the default) or v1 (the legacy shape).' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'WhatsappWebhook' });
export type WhatsappWebhook = z.infer<typeof WhatsappWebhook>;

// Path examples are seeded IDs (the Demo Project's), so the reference page's "Try it out" works as it is.
export const ConfigWebhooksParams = z.object({ whatsapp_config_id: PathId.meta({ example: 'b1000000-0000-4000-8000-000000000001' }) });
export const WebhookParams = ConfigWebhooksParams.extend({ id: PathId.meta({ example: 'eb100000-0000-4000-8000-000000000001' }) });

/** A list of event names: each known, none twice; `required`: not empty. */
const eventList = <const T extends readonly [string, ...string[]]>(values: T, required: boolean) =>
  z.array(z.enum(values)).superRefine((list, ctx) => {
    if (required && list.length === 0) ctx.addIssue({ code: 'custom', message: "can't be blank" });
    if (new Set(list).size !== list.length) ctx.addIssue({ code: 'custom', message: 'must not name an event twice' });
  });

const fields = {
  url: WebUrl.pipe(z.string().max(2048)).meta({ format: 'uri', example: 'https://example.com/webhook', description: 'The URL that will receive webhook notifications (http or https).' }),
  secret_key: RequiredText.pipe(z.string().max(256)).meta({ example: 'your-secret-key-here', description: 'Secret key for webhook signature verification.' }),
  events: eventList(WEBHOOK_EVENTS, true).meta({ example: ['whatsapp.message.received', 'whatsapp.message.sent'], description: 'List of events this webhook should receive.' }),
  active: z.boolean().meta({ description: 'Whether this webhook is active (default true).' }),
  headers: CustomHeaders.nullable(),
  buffer_enabled: z.boolean().meta({ description: 'Whether message buffering is enabled for batch delivery (default false).' }),
  buffer_window_seconds: z.number().int().min(1).max(60).meta({ description: 'Time window in seconds to buffer messages before sending as batch (1-60, default 5).' }),
  max_buffer_size: z.number().int().min(1).max(100).meta({ description: 'Maximum number of messages to include in a single batch (1-100, default 50).' }),
  buffer_events: eventList(BUFFERABLE_EVENTS, false).meta({ description: 'Events that should be buffered (only whatsapp.message.received; default that one).' }),
  inactivity_minutes: z.number().int().min(1).max(1440).meta({ description: 'Minutes with no messages before whatsapp.conversation.inactive (1-1440, default 60).' }),
  payload_version: z.enum(PAYLOAD_VERSIONS).meta({ description: 'Payload format: v2 (default) or v1 (legacy).' }),
};

export const WebhookCreateBody = wrapped('whatsapp_webhook', z.object({
  url: fields.url,
  secret_key: fields.secret_key,
  events: fields.events,
  active: fields.active.default(true),
  headers: fields.headers.optional(),
  buffer_enabled: fields.buffer_enabled.default(false),
  buffer_window_seconds: fields.buffer_window_seconds.default(5),
  max_buffer_size: fields.max_buffer_size.default(50),
  buffer_events: fields.buffer_events.default(['whatsapp.message.received']),
  inactivity_minutes: fields.inactivity_minutes.default(60),
  payload_version: fields.payload_version.default('v2'),
}));
export type WebhookInput = z.infer<typeof WebhookCreateBody>['whatsapp_webhook'];

export const WebhookUpdateBody = wrapped('whatsapp_webhook', z.object(fields).partial());
export type WebhookPatch = z.infer<typeof WebhookUpdateBody>['whatsapp_webhook'];

export const WebhookResponse = data(WhatsappWebhook);
export const WebhookListResponse = paged(WhatsappWebhook);
