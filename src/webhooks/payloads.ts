// The bodies of Kapso's webhooks, built from the stored records at the moment of the event (inside
// its transaction), so every retry sends the very bytes of the first attempt. Shapes follow Kapso's
// documentation (payload-schemas.ts validates them in the tests; docs/webhooks.md shows them):
//   v2: `message` in Meta's shape (wamid id, Unix-seconds timestamp, type and the type's block)
//       with a `kapso` block; `conversation` with a `kapso` summary; is_new_conversation; phone_number_id.
//   v1: the legacy shape: the API's own message (message_type, content) and conversation, and a
//       nested whatsapp_config.
import { newId, newWamid } from '../lib/ids.js';
import type { Db } from '../db/database.js';
import type { ExecutionRef } from '../lib/events.js';
import { displayPhone } from '../lib/phone.js';
import type { Repositories } from '../lib/resource.js';
import type { ExecutionDetails } from '../resources/agent-webhooks/repository.js';
import type { ConversationRecord } from '../resources/whatsapp-conversations/repository.js';
import type { MessageRecord } from '../resources/whatsapp-messages/repository.js';
import type { PayloadVersion } from '../resources/whatsapp-webhooks/schemas.js';
import { AGENT_EVENT_STATUS } from './payload-schemas.js';

export type Payload = Record<string, unknown>;
type Status = 'received' | 'sent' | 'delivered' | 'read' | 'failed';

/** The agent_execution.* bus event and the agent webhook event it is sent as. */
export const AGENT_EVENTS = {
  'agent_execution.started': 'agent_execution_started',
  'agent_execution.ended': 'agent_execution_ended',
  'agent_execution.failed': 'agent_execution_failed',
  'agent_execution.handoff': 'agent_execution_handoff',
} as const;
export type AgentWebhookEventName = (typeof AGENT_EVENTS)[keyof typeof AGENT_EVENTS];

const unix = (iso: string) => String(Math.floor(Date.parse(iso) / 1000));
const MEDIA = new Set(['image', 'video', 'audio', 'document']);

/** Kapso's webhooks say `completed` where the API says a message was `processed`. */
const processingStatus = (s: MessageRecord['processing_status']) => (s === 'processed' ? 'completed' : 'pending');

/** The last path segment of a URL, for media_data.filename. */
function fileName(url: string, fallback: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '') || fallback;
  } catch {
    return fallback;
  }
}

const compact = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));

/** The message type's block in Meta's shape (`text: {body}`, `image: {id, mime_type, caption}`...). */
function metaBlock(m: MessageRecord): unknown {
  const d = m.message_type_data as Record<string, any>;
  switch (m.message_type) {
    case 'text':
      return { body: String(d.text ?? m.content) };
    case 'image': case 'video': case 'audio': case 'document':
      return compact({ id: d.media_id, link: m.media_url ?? undefined, mime_type: d.mime_type, caption: d.caption, filename: d.filename });
    case 'location':
      return compact({ latitude: d.latitude, longitude: d.longitude, name: d.location_name, address: d.location_address });
    case 'template': {
      const components: Record<string, unknown>[] = [];
      if (d.header_type && d.header_params !== undefined) {
        const type = String(d.header_type);
        components.push({
          type: 'header',
          parameters: [type === 'text' ? { type: 'text', text: d.header_params } : { type, [type]: compact({ link: d.header_params, filename: d.header_filename }) }],
        });
      }
      const values = Array.isArray(d.template_params) ? (d.template_params as unknown[]) : [];
      if (values.length > 0) components.push({ type: 'body', parameters: values.map((text) => ({ type: 'text', text: String(text) })) });
      return { name: d.template_name, language: { code: d.template_language }, components };
    }
    case 'interactive': {
      if (d.reply_option_id !== undefined) {
        const kind = d.interactive_type === 'list' ? 'list_reply' : 'button_reply';
        return { type: kind, [kind]: { id: d.reply_option_id, title: d.reply_option_title ?? d.reply_option_id } };
      }
      const framed = {
        type: d.interactive_type,
        ...(d.header_text !== undefined && { header: { type: 'text', text: d.header_text } }),
        body: { text: d.body_text ?? m.content },
        ...(d.footer_text !== undefined && { footer: { text: d.footer_text } }),
      };
      const action = d.interactive_type === 'list'
        ? { button: d.list_button_text ?? 'Options', sections: d.sections ?? [] }
        : { buttons: ((d.buttons ?? []) as { id: string; title: string }[]).map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) };
      return { ...framed, action };
    }
    case 'reaction':
      return { message_id: d.reacted_to_message_id, emoji: d.reaction_emoji };
    case 'contacts':
      return d.contacts;
  }
}

/** When the message reached each status, in order, up to the one the event is about. */
function statusSteps(m: MessageRecord, upTo: Status): { status: 'sent' | 'delivered' | 'read' | 'failed'; at: string }[] {
  const steps: { status: 'sent' | 'delivered' | 'read' | 'failed'; at: string }[] = [];
  const sentAt = m.sent_at ?? m.created_at;
  steps.push({ status: 'sent', at: sentAt });
  if (upTo === 'sent') return steps;
  if (upTo === 'failed') {
    if (m.delivered_at !== null && m.failed_at !== null && m.delivered_at <= m.failed_at) steps.push({ status: 'delivered', at: m.delivered_at });
    steps.push({ status: 'failed', at: m.failed_at ?? m.updated_at });
    return steps;
  }
  steps.push({ status: 'delivered', at: m.delivered_at ?? m.updated_at });
  if (upTo === 'read') steps.push({ status: 'read', at: m.read_at ?? m.updated_at });
  return steps;
}

export function createPayloadBuilder(db: Db, repos: Repositories) {
  const contactName = db.prepare<[string, string], string | null>('SELECT profile_name FROM whatsapp_contacts WHERE project_id = ? AND wa_id = ?').pluck();
  const lastMessage = db.prepare<[string, string], { id: string; whatsapp_message_id: string; message_type: string; content: string; direction: 'inbound' | 'outbound'; created_at: string }>(
    `SELECT id, whatsapp_message_id, message_type, content, direction, created_at FROM whatsapp_messages
     WHERE project_id = ? AND conversation_id = ? ORDER BY created_at DESC, id DESC LIMIT 1`,
  );

  const config = (projectId: string, id: string) => {
    const c = repos.whatsappConfigs.get(projectId, id);
    if (!c) throw new Error(`no WhatsApp config ${id}`);
    return c;
  };

  const conversationV2 = (projectId: string, c: ConversationRecord, phoneNumberId: string) => {
    const last = lastMessage.get(projectId, c.id);
    return {
      id: c.id,
      phone_number: displayPhone(c.phone_number),
      status: c.status,
      last_active_at: c.last_active_at,
      created_at: c.created_at,
      updated_at: c.updated_at,
      metadata: c.metadata,
      phone_number_id: phoneNumberId,
      kapso: {
        contact_name: contactName.get(projectId, c.phone_number) ?? null,
        messages_count: repos.whatsappMessages.countIn(projectId, c.id),
        last_message_id: last?.whatsapp_message_id ?? null,
        last_message_type: last?.message_type ?? null,
        last_message_timestamp: last?.created_at ?? null,
        last_message_text: last?.content ?? null,
        last_inbound_at: c.last_inbound_at,
        last_outbound_at: c.last_outbound_at,
      },
    };
  };

  const conversationV1 = (projectId: string, c: ConversationRecord) => ({
    id: c.id,
    phone_number: displayPhone(c.phone_number),
    status: c.status,
    last_active_at: c.last_active_at,
    created_at: c.created_at,
    updated_at: c.updated_at,
    metadata: c.metadata,
    whatsapp_config_id: c.whatsapp_config_id,
    contact_name: contactName.get(projectId, c.phone_number) ?? null,
  });

  const configV1 = (projectId: string, id: string) => {
    const c = config(projectId, id);
    return { id: c.id, name: c.name, phone_number_id: c.phone_number_id, business_account_id: c.business_account_id };
  };

  const sinceMessage = (projectId: string, conversationId: string) => {
    const last = lastMessage.get(projectId, conversationId);
    return last ? { id: last.id, whatsapp_message_id: last.whatsapp_message_id, direction: last.direction, created_at: last.created_at } : null;
  };

  const messageV2 = (m: MessageRecord, status: Status) => {
    const steps = m.direction === 'outbound' ? statusSteps(m, status) : [];
    const at = steps.length > 0 ? steps[steps.length - 1]!.at : m.created_at;
    const hasMedia = MEDIA.has(m.message_type);
    const error = m.error;
    return {
      id: m.whatsapp_message_id,
      timestamp: unix(at),
      type: m.message_type,
      ...(m.direction === 'inbound' ? { from: m.phone_number } : { to: m.phone_number }),
      [m.message_type]: metaBlock(m),
      kapso: {
        direction: m.direction,
        status,
        processing_status: processingStatus(m.processing_status),
        origin: 'cloud_api',
        has_media: hasMedia,
        content: m.content,
        message_type_data: m.message_type_data,
        ...(hasMedia && m.media_url !== null && {
          media_url: m.media_url,
          media_data: {
            url: m.media_url,
            filename: (m.message_type_data as { filename?: string }).filename ?? fileName(m.media_url, m.message_type),
            content_type: (m.message_type_data as { mime_type: string }).mime_type,
          },
        }),
        ...(m.direction === 'outbound' && {
          statuses: steps.map((s) => ({
            id: m.whatsapp_message_id,
            status: s.status,
            timestamp: unix(s.at),
            recipient_id: m.phone_number,
            ...(s.status === 'failed' && error && { errors: [{ code: error.code, title: error.title, message: error.message, error_data: error.error_data }] }),
          })),
        }),
      },
    };
  };

  const messageV1 = (m: MessageRecord, status: Status) => ({
    id: m.id,
    whatsapp_message_id: m.whatsapp_message_id,
    phone_number: displayPhone(m.phone_number),
    message_type: m.message_type,
    content: m.content,
    direction: m.direction,
    status,
    processing_status: m.processing_status,
    origin: 'cloud_api',
    has_media: MEDIA.has(m.message_type),
    ...(m.media_url !== null && { media_url: m.media_url }),
    message_type_data: m.message_type_data,
    metadata: m.metadata,
    ...(status === 'failed' && m.error && { error: m.error }),
    created_at: m.created_at,
    updated_at: m.updated_at,
  });

  return {
    /** A whatsapp.message.* event about a stored message. */
    message(projectId: string, messageId: string, status: Status, version: PayloadVersion): Payload {
      const m = repos.whatsappMessages.record(projectId, messageId);
      if (!m) throw new Error(`no message ${messageId}`);
      const c = repos.whatsappConversations.record(projectId, m.conversation_id)!;
      // A message that opened its conversation (the first one in it); status events never are.
      const isNew = (status === 'received' || status === 'sent') && repos.whatsappMessages.countIn(projectId, c.id) === 1;
      if (version === 'v1') {
        return { message: messageV1(m, status), conversation: conversationV1(projectId, c), whatsapp_config: configV1(projectId, c.whatsapp_config_id), is_new_conversation: isNew };
      }
      const phoneNumberId = config(projectId, c.whatsapp_config_id).phone_number_id;
      return { message: messageV2(m, status), conversation: conversationV2(projectId, c, phoneNumberId), is_new_conversation: isNew, phone_number_id: phoneNumberId };
    },

    /** whatsapp.conversation.created or .ended. */
    conversation(projectId: string, conversationId: string, version: PayloadVersion): Payload {
      const c = repos.whatsappConversations.record(projectId, conversationId);
      if (!c) throw new Error(`no conversation ${conversationId}`);
      if (version === 'v1') return { conversation: conversationV1(projectId, c), whatsapp_config: configV1(projectId, c.whatsapp_config_id) };
      const phoneNumberId = config(projectId, c.whatsapp_config_id).phone_number_id;
      return { conversation: conversationV2(projectId, c, phoneNumberId), phone_number_id: phoneNumberId };
    },

    /** whatsapp.conversation.inactive after `minutes` without messages. */
    inactive(projectId: string, conversationId: string, minutes: number, version: PayloadVersion): Payload {
      const c = repos.whatsappConversations.record(projectId, conversationId);
      if (!c) throw new Error(`no conversation ${conversationId}`);
      const since = sinceMessage(projectId, c.id);
      if (version === 'v1') {
        return { conversation: conversationV1(projectId, c), whatsapp_config: configV1(projectId, c.whatsapp_config_id), since_message: since, inactivity: { minutes } };
      }
      const phoneNumberId = config(projectId, c.whatsapp_config_id).phone_number_id;
      return { conversation: conversationV2(projectId, c, phoneNumberId), since_message: since, inactivity: { minutes }, phone_number_id: phoneNumberId };
    },

    /** An agent webhook's event, with the guide's payload. `at`: when it happened (the bus event's time). */
    agent(projectId: string, event: AgentWebhookEventName, ref: ExecutionRef, at: string, details: ExecutionDetails | undefined): Payload {
      const agent = repos.agents.get(projectId, ref.agent_id);
      const status = AGENT_EVENT_STATUS[event];
      const ended = event === 'agent_execution_ended' || event === 'agent_execution_failed';
      return {
        event,
        agent_execution: {
          id: ref.execution_id,
          started_at: details?.started_at ?? at,
          ended_at: details?.ended_at ?? (ended ? at : null),
          status,
          agent_id: ref.agent_id,
        },
        agent: { id: ref.agent_id, name: agent?.name ?? '' },
        ...(event === 'agent_execution_handoff' && {
          handoff: { node_name: details?.handoff_node ?? 'Handoff', handoff_datetime: at, handoff_reason: ref.reason ?? null },
        }),
        ...(event === 'agent_execution_failed' && {
          failure: { error: { message: ref.reason ?? 'The agent execution failed', type: details?.error_type ?? 'ExecutionError' }, failed_at: at },
        }),
      };
    },

    /** A sample of an event for POST /__admin/webhooks/{id}/test: real in shape, made-up in content (IDs are new, the number is Meta's test number). */
    sample(event: string, version: PayloadVersion, context: { phoneNumberId: string; config: { id: string; name: string; business_account_id: string }; agent?: { id: string; name: string } }, at: string): Payload {
      if (event.startsWith('agent_execution_')) {
        const agent = context.agent!;
        const name = event as AgentWebhookEventName;
        const ended = name === 'agent_execution_ended' || name === 'agent_execution_failed';
        return {
          event: name,
          agent_execution: { id: newId(), started_at: at, ended_at: ended ? at : null, status: AGENT_EVENT_STATUS[name], agent_id: agent.id },
          agent,
          ...(name === 'agent_execution_handoff' && { handoff: { node_name: 'Escalate to Human', handoff_datetime: at, handoff_reason: 'Test webhook from kapso-mock' } }),
          ...(name === 'agent_execution_failed' && { failure: { error: { message: 'Test webhook from kapso-mock', type: 'TestError' }, failed_at: at }, }),
        };
      }
      const phone = '15550000000';
      const conversation: ConversationRecord = {
        id: newId(), whatsapp_config_id: context.config.id, phone_number: phone, status: event === 'whatsapp.conversation.ended' ? 'ended' : 'active',
        last_active_at: at, last_inbound_at: at, last_outbound_at: null, ended_at: null, metadata: {}, created_at: at, updated_at: at,
      };
      const status = event.startsWith('whatsapp.message.') ? (event.split('.').pop() as Status) : 'received';
      const outbound = status !== 'received';
      const message: MessageRecord = {
        id: newId(), conversation_id: conversation.id, whatsapp_config_id: context.config.id, phone_number: phone,
        direction: outbound ? 'outbound' : 'inbound', status, processing_status: 'processed', whatsapp_message_id: newWamid(phone),
        message_type: 'text', content: 'This is a test webhook from kapso-mock', message_type_data: { text: 'This is a test webhook from kapso-mock' },
        metadata: {}, media_url: null, template_id: null,
        error: status === 'failed' ? { code: 131047, title: 'Re-engagement message', message: 'Re-engagement message', error_data: { details: 'More than 24 hours have passed since the recipient last replied to the sender number.' } } : null,
        sent_at: outbound ? at : null, delivered_at: status === 'delivered' || status === 'read' ? at : null, read_at: status === 'read' ? at : null,
        failed_at: status === 'failed' ? at : null, created_at: at, updated_at: at,
      };
      const summary = {
        contact_name: 'Test Contact', messages_count: 1, last_message_id: message.whatsapp_message_id, last_message_type: 'text',
        last_message_timestamp: at, last_message_text: message.content, last_inbound_at: at, last_outbound_at: null,
      };
      const c2 = {
        id: conversation.id, phone_number: displayPhone(phone), status: conversation.status, last_active_at: at, created_at: at, updated_at: at,
        metadata: {}, phone_number_id: context.phoneNumberId, kapso: summary,
      };
      const c1 = {
        id: conversation.id, phone_number: displayPhone(phone), status: conversation.status, last_active_at: at, created_at: at, updated_at: at,
        metadata: {}, whatsapp_config_id: context.config.id, contact_name: 'Test Contact',
      };
      const whatsappConfig = { id: context.config.id, name: context.config.name, phone_number_id: context.phoneNumberId, business_account_id: context.config.business_account_id };
      const since = { id: message.id, whatsapp_message_id: message.whatsapp_message_id, direction: message.direction, created_at: at };
      if (event === 'whatsapp.conversation.inactive') {
        return version === 'v1'
          ? { conversation: c1, whatsapp_config: whatsappConfig, since_message: since, inactivity: { minutes: 60 } }
          : { conversation: c2, since_message: since, inactivity: { minutes: 60 }, phone_number_id: context.phoneNumberId };
      }
      if (event.startsWith('whatsapp.conversation.')) {
        return version === 'v1' ? { conversation: c1, whatsapp_config: whatsappConfig } : { conversation: c2, phone_number_id: context.phoneNumberId };
      }
      return version === 'v1'
        ? { message: messageV1(message, status), conversation: c1, whatsapp_config: whatsappConfig, is_new_conversation: true }
        : { message: messageV2(message, status), conversation: c2, is_new_conversation: true, phone_number_id: context.phoneNumberId };
    },

    /** A buffered batch of one conversation's events (Kapso's batch format). */
    batch(type: string, items: { seq: number; body: string }[], windowMs: number, conversationId: string): Payload {
      return {
        type,
        batch: true,
        data: items.map((i) => JSON.parse(i.body) as unknown),
        batch_info: {
          size: items.length,
          window_ms: windowMs,
          first_sequence: items[0]!.seq,
          last_sequence: items[items.length - 1]!.seq,
          conversation_id: conversationId,
        },
      };
    },
  };
}

export type PayloadBuilder = ReturnType<typeof createPayloadBuilder>;
