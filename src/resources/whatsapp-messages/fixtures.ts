import { z } from 'zod';
import { before, FixtureAgo } from '../../db/fixtures.js';
import { newWamid } from '../../lib/ids.js';
import { fixturePart } from '../../lib/resource.js';
import { JsonObject } from '../../lib/schemas.js';
import { describe } from './render.js';
import { DEFAULT_ERROR, type MessageRecord, type WhatsappMessageRepository } from './repository.js';
import {
  AudioMessageData, ContactsMessageData, DocumentMessageData, ImageMessageData, InteractiveMessageData, LocationMessageData, MESSAGE_STATUSES,
  MESSAGE_TYPES, ReactionMessageData, TemplateMessageData, TextMessageData, VideoMessageData,
} from './schemas.js';

/** Each type's data, strict (an unknown key is a typo in the fixtures): made once, not per message. */
const DATA: Record<(typeof MESSAGE_TYPES)[number], z.ZodType> = {
  text: TextMessageData.strict(), image: ImageMessageData.strict(), video: VideoMessageData.strict(), audio: AudioMessageData.strict(),
  document: DocumentMessageData.strict(), location: LocationMessageData.strict(), template: TemplateMessageData.strict(),
  interactive: InteractiveMessageData.strict(), reaction: ReactionMessageData.strict(), contacts: ContactsMessageData.strict(),
};

const at = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/**
 * `whatsapp_conversations[].messages[]`: a conversation's messages in the API's shape (phone
 * number from the conversation). `message_type_data` is checked against its type's shape;
 * `content` defaults to the rendering of the data (a template message gives its own). `ago`
 * places the message relative to the moment the fixtures load (an open 24-hour window).
 * Status defaults: inbound received, outbound read; their times follow created_at.
 */
export const whatsappMessageFixtures = fixturePart({
  key: 'messages',
  parent: 'whatsappConversations',
  schema: z
    .object({
      direction: z.enum(['inbound', 'outbound']),
      message_type: z.enum(MESSAGE_TYPES).default('text'),
      content: z.string().optional(),
      status: z.enum(MESSAGE_STATUSES).optional(),
      whatsapp_message_id: z.string().regex(/^wamid\.[A-Za-z0-9_=-]+$/, 'must be wamid. and URL-safe base64').optional(),
      media_url: z.url().optional(),
      message_type_data: JsonObject,
      metadata: JsonObject.default({}),
      error: z.object({ code: z.number().int(), title: z.string(), message: z.string(), error_data: z.object({ details: z.string() }) }).optional(),
      ago: FixtureAgo.optional(),
    })
    .superRefine((m, ctx) => {
      // jitless, as the document around it (db/fixtures.ts): parsed once per start.
      const parsed = DATA[m.message_type].safeParse(m.message_type_data, { jitless: true });
      if (!parsed.success) ctx.addIssue({ code: 'custom', path: ['message_type_data'], message: `is not ${m.message_type} data: ${parsed.error.issues[0]?.message}` });
      if (m.message_type === 'template' && m.content === undefined) ctx.addIssue({ code: 'custom', path: ['content'], message: 'is required for template messages (the filled body)' });
      const status = m.status ?? (m.direction === 'inbound' ? 'received' : 'read');
      const allowed = m.direction === 'inbound' ? ['received', 'read'] : ['sent', 'delivered', 'read', 'failed'];
      if (!allowed.includes(status)) ctx.addIssue({ code: 'custom', path: ['status'], message: `must be one of ${allowed.join(', ')} for ${m.direction} messages` });
    }),
  insert: (repo: WhatsappMessageRepository, m, { projectId, parent, now }) => {
    const conversation = repo.conversation(projectId, parent.id)!;
    const created_at = m.ago === undefined ? m.created_at : before(now, m.ago);
    const status = m.status ?? (m.direction === 'inbound' ? 'received' : 'read');
    const outbound = m.direction === 'outbound';
    const delivered_at = outbound && (status === 'delivered' || status === 'read') ? at(created_at, 2_000) : null;
    const read_at = status === 'read' ? at(created_at, outbound ? 45_000 : 30_000) : null;
    const failed_at = status === 'failed' ? at(created_at, 2_000) : null;
    const record: MessageRecord = {
      id: m.id,
      conversation_id: conversation.id,
      whatsapp_config_id: conversation.whatsapp_config_id,
      phone_number: conversation.phone_number,
      direction: m.direction,
      message_type: m.message_type,
      content: m.content ?? describe(m.message_type, m.message_type_data),
      status,
      processing_status: 'processed',
      whatsapp_message_id: m.whatsapp_message_id ?? newWamid(conversation.phone_number, m.id),
      media_url: m.media_url ?? null,
      message_type_data: m.message_type_data as MessageRecord['message_type_data'],
      metadata: m.metadata,
      template_id: null,
      error: status === 'failed' ? (m.error ?? DEFAULT_ERROR) : null,
      sent_at: outbound ? created_at : null,
      delivered_at,
      read_at,
      failed_at,
      created_at,
      updated_at: m.ago === undefined && m.updated_at !== m.created_at ? m.updated_at : (failed_at ?? read_at ?? delivered_at ?? created_at),
    };
    repo.insert(projectId, record);
  },
});
