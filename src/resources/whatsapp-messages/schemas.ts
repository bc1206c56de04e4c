import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, JsonObject, paged, PathId, queryText, Timestamp, Uuid } from '../../lib/schemas.js';
import { HEADER_TYPES, TemplateParameters } from '../whatsapp-templates/schemas.js';

export const MESSAGE_TYPES = ['text', 'image', 'video', 'audio', 'document', 'template', 'location', 'interactive', 'reaction', 'contacts'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export const MEDIA_TYPES = ['image', 'video', 'audio', 'document'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];
/** Outbound messages live sent -> delivered -> read (or failed); inbound ones are received, then read once marked. */
export const MESSAGE_STATUSES = ['received', 'sent', 'delivered', 'read', 'failed'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

// ---------------------------------------------------------------------------------------------
// message_type_data, one shape per message_type (the spec's *MessageData components).

const MediaData = {
  caption: z.string().optional(),
  media_id: z.string().optional(),
  mime_type: z.string(),
};

export const TextMessageData = z.object({ text: z.string() }).meta({ id: 'TextMessageData' });
export const ImageMessageData = z.object(MediaData).meta({ id: 'ImageMessageData' });
export const VideoMessageData = z.object(MediaData).meta({ id: 'VideoMessageData' });
export const AudioMessageData = z.object({ media_id: z.string().optional(), mime_type: z.string() }).meta({ id: 'AudioMessageData' });
export const DocumentMessageData = z.object({ ...MediaData, filename: z.string().optional() }).meta({ id: 'DocumentMessageData' });
export const LocationMessageData = z
  .object({ latitude: z.number(), longitude: z.number(), location_name: z.string().optional(), location_address: z.string().optional() })
  .meta({ id: 'LocationMessageData' });
export const TemplateMessageData = z
  .object({
    template_name: z.string(),
    template_language: z.string(),
    template_params: z.array(z.string()).meta({ description: 'The values in the order of the body\'s placeholders.' }),
    header_type: z.enum(HEADER_TYPES).optional(),
    header_params: z.string().optional(),
    header_filename: z.string().optional(),
  })
  .meta({ id: 'TemplateMessageData' });

const Button = z.object({ id: z.string(), title: z.string() });
const ListRow = z.object({ id: z.string(), title: z.string(), description: z.string().optional() });
const Section = z.object({ title: z.string().optional(), rows: z.array(ListRow) });

export const InteractiveMessageData = z
  .object({
    interactive_type: z.enum(['button', 'list']),
    body_text: z.string().optional(),
    header_text: z.string().optional(),
    footer_text: z.string().optional(),
    buttons: z.array(Button).optional(),
    sections: z.array(Section).optional(),
    reply_option_id: z.string().optional(),
    reply_option_title: z.string().optional(),
    list_button_text: z.string().optional(),
  })
  .meta({ id: 'InteractiveMessageData' });
export const ReactionMessageData = z
  .object({ reaction_emoji: z.string(), reacted_to_message_id: z.string().meta({ description: 'The WhatsApp message ID (wamid.…) reacted to.' }) })
  .meta({ id: 'ReactionMessageData' });

/** A contact card as stored and shown (Meta's shape: the name nested). */
export const ContactCard = z.object({
  name: z.object({
    formatted_name: z.string(),
    first_name: z.string().optional(),
    last_name: z.string().optional(),
    middle_name: z.string().optional(),
    prefix: z.string().optional(),
    suffix: z.string().optional(),
  }),
  birthday: z.string().optional(),
  phones: z.array(z.object({ phone: z.string(), type: z.string().optional(), wa_id: z.string().optional() })).optional(),
  emails: z.array(z.object({ email: z.string(), type: z.string().optional() })).optional(),
  addresses: z.array(z.object({
    street: z.string().optional(),
    city: z.string().optional(),
    state: z.string().optional(),
    zip: z.string().optional(),
    country: z.string().optional(),
    country_code: z.string().optional(),
    type: z.string().optional(),
  })).optional(),
  org: z.object({ company: z.string().optional(), department: z.string().optional(), title: z.string().optional() }).optional(),
  urls: z.array(z.object({ url: z.string(), type: z.string().optional() })).optional(),
});
export type ContactCard = z.infer<typeof ContactCard>;

export const ContactsMessageData = z.object({ contacts: z.array(ContactCard) }).meta({ id: 'ContactsMessageData' });

export const MessageTypeData = z
  .union([
    TextMessageData, ImageMessageData, VideoMessageData, AudioMessageData, DocumentMessageData,
    LocationMessageData, TemplateMessageData, InteractiveMessageData, ReactionMessageData, ContactsMessageData,
  ])
  .meta({ description: 'Type-specific data: the shape of the message_type.' });
export type MessageTypeData = z.infer<typeof MessageTypeData>;

export const WhatsappMessage = z
  .object({
    id: Uuid,
    phone_number: z.string().meta({ description: 'The customer\'s number (E.164), whichever the direction.' }),
    message_type: z.enum(MESSAGE_TYPES),
    content: z.string().meta({ description: 'Human-readable rendering of the message.' }),
    direction: z.enum(['inbound', 'outbound']),
    status: z.enum(MESSAGE_STATUSES).meta({ description: 'Outbound: sent, delivered, read or failed. Inbound: received, or read once marked.' }),
    processing_status: z.enum(['pending', 'processed']),
    whatsapp_message_id: z.string().meta({ description: 'Meta\'s message ID (wamid.…).' }),
    metadata: JsonObject.meta({ description: 'Type-specific metadata.' }),
    media_url: z.string().optional().meta({ description: 'The attached media\'s URL (image, video, audio, document); left out when there is none.' }),
    message_type_data: MessageTypeData,
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'WhatsappMessage' });
export type WhatsappMessage = z.infer<typeof WhatsappMessage>;

// ---------------------------------------------------------------------------------------------
// Sending: the fields every send takes, checked per message_type.

const text = (max: number) => z.string().max(max);

const ButtonInput = z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) });
const RowInput = z.object({ id: z.string().min(1).max(200), title: z.string().min(1).max(24), description: z.string().max(72).optional() });
const SectionInput = z.object({ title: z.string().max(24).optional(), rows: z.array(RowInput).min(1).max(10) });

const NameInput = z.object({
  formatted_name: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  middle_name: z.string().optional(),
  prefix: z.string().optional(),
  suffix: z.string().optional(),
});

/** A contact card to send: the name nested (the later revision) or flat (the main spec); one of formatted_name and first_name is needed. */
export const ContactCardInput = z.object({
  name: NameInput.optional(),
  formatted_name: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  birthday: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)').optional(),
  phones: z.array(z.object({ phone: z.string().min(1), type: z.string().optional(), wa_id: z.string().optional() })).max(20).optional(),
  emails: z.array(z.object({ email: z.string().min(1), type: z.string().optional() })).max(20).optional(),
  addresses: ContactCard.shape.addresses.unwrap().max(20).optional(),
  org: ContactCard.shape.org,
  urls: z.array(z.object({ url: z.string().min(1), type: z.string().optional() })).max(20).optional(),
});
export type ContactCardInput = z.infer<typeof ContactCardInput>;

const messageFields = {
  content: text(4096).optional().meta({ description: 'The text of a text message.' }),
  message_type: z.enum(MESSAGE_TYPES).default('text'),
  media_url: z.string().max(2048).optional().meta({ description: 'URL of the media (image, video, audio, document): http(s).' }),
  media_id: z.string().max(256).optional().meta({ description: 'WhatsApp media ID to send instead of a URL.' }),
  media_file: z.string().optional().meta({ format: 'binary', description: 'Not accepted in a JSON body: give media_url or media_id.' }),
  caption: text(1024).optional(),
  filename: text(240).optional(),
  latitude: z.number().min(-90).max(90).optional(),
  longitude: z.number().min(-180).max(180).optional(),
  location_name: text(1000).optional(),
  location_address: text(1000).optional(),
  interactive_type: z.enum(['button', 'list']).optional(),
  body_text: text(1024).optional(),
  header_text: text(60).optional(),
  footer_text: text(60).optional(),
  buttons: z.array(ButtonInput).max(3).optional(),
  sections: z.array(SectionInput).max(10).optional(),
  list_button_text: text(20).optional(),
  template_name: z.string().max(512).optional(),
  template_language: z.string().max(20).optional(),
  template_params: TemplateParameters.optional(),
  header_type: z.enum(HEADER_TYPES).optional(),
  header_params: z.string().max(2048).optional(),
  header_filename: text(240).optional(),
  reaction_emoji: z.string().max(16).optional().meta({ description: 'The emoji; an empty string takes a reaction back.' }),
  reacted_to_message_id: z.string().max(256).optional().meta({ description: 'The message reacted to: its ID or its WhatsApp message ID (wamid.…), in the same conversation.' }),
  contacts: z.array(ContactCardInput).min(1).max(257).optional(),
};

type Fields = z.infer<z.ZodObject<typeof messageFields>>;

/** The fields a message_type needs, as the 422s name them ("latitude can't be blank for location messages"). */
function requireFor(m: Fields & { content?: string | undefined }, ctx: z.RefinementCtx): void {
  const need = (field: string, present: boolean, why = `can't be blank for ${m.message_type} messages`) => {
    if (!present) ctx.addIssue({ code: 'custom', path: [field], message: why });
  };
  const blank = (s: string | undefined) => s === undefined || s.trim() === '';
  switch (m.message_type) {
    case 'text':
      need('content', !blank(m.content));
      break;
    case 'image': case 'video': case 'audio': case 'document':
      need('media_url', !blank(m.media_url) || !blank(m.media_id), `or media_id can't be blank for ${m.message_type} messages`);
      if (!blank(m.media_url) && !/^https?:\/\/[^\s/]+/i.test(m.media_url!)) need('media_url', false, 'must be an http(s) URL');
      break;
    case 'location':
      need('latitude', m.latitude !== undefined);
      need('longitude', m.longitude !== undefined);
      break;
    case 'template':
      need('template_name', !blank(m.template_name));
      break;
    case 'interactive':
      need('interactive_type', m.interactive_type !== undefined);
      need('body_text', !blank(m.body_text));
      if (m.interactive_type === 'button') {
        need('buttons', (m.buttons?.length ?? 0) > 0, "can't be blank for button messages (1 to 3)");
        const ids = (m.buttons ?? []).map((b) => b.id);
        if (new Set(ids).size !== ids.length) need('buttons', false, 'must have distinct ids');
      }
      if (m.interactive_type === 'list') {
        need('sections', (m.sections?.length ?? 0) > 0, "can't be blank for list messages");
        need('list_button_text', !blank(m.list_button_text), "can't be blank for list messages");
        const rows = (m.sections ?? []).flatMap((s) => s.rows.map((r) => r.id));
        if (rows.length > 10) need('sections', false, 'must have at most 10 rows in all');
        if (new Set(rows).size !== rows.length) need('sections', false, 'must have distinct row ids');
      }
      break;
    case 'reaction':
      need('reaction_emoji', m.reaction_emoji !== undefined);
      need('reacted_to_message_id', !blank(m.reacted_to_message_id));
      break;
    case 'contacts':
      need('contacts', (m.contacts?.length ?? 0) > 0);
      (m.contacts ?? []).forEach((c, i) => {
        const named = [c.name?.formatted_name, c.name?.first_name, c.formatted_name, c.first_name].some((n) => !blank(n));
        if (!named) ctx.addIssue({ code: 'custom', path: ['contacts', i, 'name'], message: 'needs formatted_name or first_name' });
      });
      break;
  }
}

/** The message of a conversation send: `content` is required, as the spec says (a text message's text). */
const ConversationMessage = z
  .object({ ...messageFields, content: text(4096).meta({ description: 'The text of a text message (required by the spec for every type; other types show their own rendering).' }) })
  .superRefine(requireFor);
export type ConversationMessageInput = z.infer<typeof ConversationMessage>;

export const MessageCreateBody = wrapped('message', ConversationMessage);

/** The message of a send by phone number (the later revision): the number in the message, or in the query. */
const StandaloneMessage = z
  .object({ ...messageFields, phone_number: z.string().max(64).optional().meta({ description: 'The number to send to (required here or in the query).' }) })
  .superRefine(requireFor);
export type MessageInput = z.infer<typeof StandaloneMessage>;

export const StandaloneMessageBody = wrapped('message', StandaloneMessage, {
  whatsapp_config_id: PathId.optional().meta({ description: 'The config to send from (also a query parameter).' }),
  customer_id: PathId.optional().meta({ description: 'Send from this customer\'s first config (also a query parameter).' }),
});

export const StandaloneMessageQuery = z.object({
  whatsapp_config_id: queryText('The config to send from.').meta({ format: 'uuid' }),
  customer_id: queryText('Send from this customer\'s first WhatsApp config.').meta({ format: 'uuid' }),
  phone_number: queryText('The number to send to (when the message does not give it).'),
});

export const MessagesParams = z.object({ conversation_id: PathId.meta({ example: 'ca100000-0000-4000-8000-000000000001' }) });
export const MessageParams = z.object({ id: PathId.meta({ example: 'ae100000-0000-4000-8000-000000000001' }) });
export const MarkAsReadQuery = z.object({
  typing_indicator: z
    .unknown()
    .optional()
    .transform((v) => v !== 'false')
    .meta({ type: 'boolean', default: true, description: 'Whether WhatsApp shows the typing indicator (accepted; the mock has no WhatsApp client to show it).' }),
});

export const MessageResponse = data(WhatsappMessage);
export const MessageListResponse = paged(WhatsappMessage);
