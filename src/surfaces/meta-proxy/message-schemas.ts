// The Meta proxy's messages in Meta's shape: what POST /{phone_number_id}/messages takes (every
// type the SDK sends, and mark-as-read), what a send answers, and a stored message as GET
// /{phone_number_id}/messages shows it (with the `kapso` block that `fields=kapso(...)` selects).
import { z } from 'zod';
import { ContactCard } from '../../resources/whatsapp-messages/schemas.js';
import { MessagingProduct, Paging } from './schemas.js';

const text = (max: number) => z.string().max(max);

/** A media object: uploaded (`id`, the proxy's media ID) or hosted (`link`). */
const MediaObject = z.object({
  id: z.string().max(256).optional().meta({ description: 'Media ID from POST /{phone_number_id}/media.' }),
  link: z.string().max(2048).optional().meta({ format: 'uri', description: 'http(s) URL of hosted media.' }),
  caption: text(1024).optional().meta({ description: 'Images, videos, documents (max 1024 characters).' }),
  filename: text(240).optional().meta({ description: 'Documents: the file name WhatsApp shows.' }),
});
const AudioObject = z.object({
  id: z.string().max(256).optional(),
  link: z.string().max(2048).optional().meta({ format: 'uri' }),
  voice: z.boolean().optional().meta({ description: 'A voice note (OGG/OPUS).' }),
});

const Name = z.object({
  formatted_name: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  middle_name: z.string().optional(),
  suffix: z.string().optional(),
  prefix: z.string().optional(),
});

/** A contact card to send: Meta's shape (the name nested; formatted_name or first_name needed). */
const ContactInput = z.object({
  addresses: ContactCard.shape.addresses.unwrap().max(20).optional(),
  birthday: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)').optional(),
  emails: z.array(z.object({ email: z.string().min(1), type: z.string().optional() })).max(20).optional(),
  name: Name,
  org: ContactCard.shape.org,
  phones: z.array(z.object({ phone: z.string().min(1), type: z.string().optional(), wa_id: z.string().optional() })).max(20).optional(),
  urls: z.array(z.object({ url: z.string().min(1), type: z.string().optional() })).max(20).optional(),
});

const HeaderMedia = MediaObject.pick({ id: true, link: true, caption: true, filename: true });

/** Interactive types the mock sends; the catalog and carousel ones need what it does not have (docs/meta-proxy.md). */
export const INTERACTIVE_TYPES = ['button', 'list', 'cta_url', 'flow', 'location_request_message', 'call_permission_request'] as const;
const NOT_EMULATED_INTERACTIVE = ['product', 'product_list', 'catalog_message', 'carousel', 'address_message'] as const;

const Interactive = z.object({
  type: z.enum([...INTERACTIVE_TYPES, ...NOT_EMULATED_INTERACTIVE]),
  body: z.object({ text: text(1024) }).optional(),
  header: z.object({
    type: z.enum(['text', 'image', 'video', 'document']),
    text: text(60).optional(),
    image: HeaderMedia.optional(),
    video: HeaderMedia.optional(),
    document: HeaderMedia.optional(),
  }).optional(),
  footer: z.object({ text: text(60) }).optional(),
  action: z.object({
    buttons: z.array(z.object({
      type: z.literal('reply'),
      reply: z.object({ id: z.string().min(1).max(256), title: z.string().min(1).max(20) }),
    })).min(1).max(3).optional(),
    button: text(20).optional().meta({ description: 'List messages: the text of the button that opens the list.' }),
    sections: z.array(z.object({
      title: text(24).optional(),
      rows: z.array(z.object({ id: z.string().min(1).max(200), title: z.string().min(1).max(24), description: text(72).optional() })).min(1).max(10),
    })).min(1).max(10).optional(),
    cards: z.array(z.object({
      card_index: z.number().int().optional(),
      type: z.string().optional(),
      header: z.object({ type: z.string().optional(), image: HeaderMedia.optional(), video: HeaderMedia.optional() }).optional(),
      body: z.object({ text: z.string() }).optional(),
      action: z.object({
        name: z.string().optional(),
        parameters: z.object({ display_text: z.string().optional(), url: z.string().optional() }).optional(),
        buttons: z.array(z.object({ type: z.string().optional(), quick_reply: z.object({ id: z.string(), title: z.string() }).optional() })).optional(),
      }).optional(),
    })).optional().meta({ description: 'Carousel cards (not emulated).' }),
    name: z.string().optional().meta({ description: 'cta_url, flow, send_location, call_permission_request.' }),
    parameters: z.object({
      display_text: text(20).optional(),
      url: z.string().max(2048).optional(),
      country: z.string().optional(),
      values: z.object({
        name: z.string().optional(), phone_number: z.string().optional(), in_pin_code: z.string().optional(), house_number: z.string().optional(),
        floor_number: z.string().optional(), tower_number: z.string().optional(), building_name: z.string().optional(), address: z.string().optional(),
        landmark_area: z.string().optional(), city: z.string().optional(), state: z.string().optional(),
      }).optional(),
      saved_addresses: z.array(z.object({ id: z.string(), value: z.record(z.string(), z.unknown()) })).optional(),
      validation_errors: z.record(z.string(), z.unknown()).optional(),
      flow_message_version: z.string().optional(),
      flow_id: z.string().optional(),
      flow_name: z.string().optional(),
      flow_cta: text(30).optional(),
      mode: z.enum(['draft', 'published']).optional(),
      flow_token: z.string().optional(),
      flow_action: z.enum(['navigate', 'data_exchange']).optional(),
      flow_action_payload: z.object({ screen: z.string().optional(), data: z.record(z.string(), z.unknown()).optional() }).optional(),
      catalog_id: z.string().optional(),
      product_retailer_id: z.string().optional(),
      sections: z.array(z.object({ title: z.string().optional(), product_items: z.array(z.object({ product_retailer_id: z.string() })) })).optional(),
      thumbnail_product_retailer_id: z.string().optional(),
      request_message: z.string().max(1024).optional().meta({ description: 'Location requests (the SDK sends it).' }),
    }).optional(),
  }).optional(),
});

/** A template component of a send: its parameters fill the template's placeholders. */
const TemplateComponent = z.looseObject({
  type: z.enum(['header', 'body', 'button', 'HEADER', 'BODY', 'BUTTON']),
  sub_type: z.string().optional(),
  index: z.union([z.string(), z.number()]).optional(),
  parameters: z.array(z.looseObject({
    type: z.string(),
    text: z.string().optional(),
    parameter_name: z.string().optional(),
    image: HeaderMedia.optional(),
    video: HeaderMedia.optional(),
    document: HeaderMedia.optional(),
  })).optional(),
});

export const MESSAGE_TYPES = ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contacts', 'interactive', 'template', 'reaction'] as const;
export type GraphMessageType = (typeof MESSAGE_TYPES)[number];

/** POST /{phone_number_id}/messages: a message of any type, or a mark-as-read (`status: "read"`). */
export const SendBody = z
  .object({
    messaging_product: MessagingProduct,
    recipient_type: z.enum(['individual', 'group']).optional(),
    biz_opaque_callback_data: text(512).optional(),
    messaging_account_id: z.string().optional(),
    paid_messaging_account_id: z.string().optional(),
    to: z.string().max(64).optional().meta({ description: 'The customer\'s phone number, any common spelling.' }),
    recipient: z.string().max(160).optional().meta({ description: 'A business-scoped user ID (not emulated: give `to`).' }),
    type: z.enum(MESSAGE_TYPES).optional().meta({ description: 'Default text.' }),
    context: z.object({ message_id: z.string() }).optional().meta({ description: 'Reply to this message (its wamid).' }),
    text: z.object({ body: text(4096), preview_url: z.boolean().optional() }).optional(),
    image: MediaObject.optional(),
    video: MediaObject.optional(),
    audio: AudioObject.optional(),
    document: MediaObject.optional(),
    sticker: MediaObject.optional(),
    location: z.object({
      latitude: z.number().min(-90).max(90), longitude: z.number().min(-180).max(180), name: text(1000).optional(), address: text(1000).optional(),
    }).optional(),
    contacts: z.array(ContactInput).min(1).max(257).optional(),
    interactive: Interactive.optional(),
    template: z.object({
      name: z.string().min(1).max(512),
      language: z.object({ code: z.string().min(1).max(20), policy: z.string().optional() }),
      components: z.array(TemplateComponent).optional(),
    }).optional(),
    reaction: z.object({ message_id: z.string().min(1), emoji: z.string().max(16) }).optional(),
    status: z.literal('read').optional().meta({ description: 'Mark-as-read: with message_id (an inbound message\'s wamid).' }),
    message_id: z.string().optional(),
    typing_indicator: z.object({ type: z.literal('text') }).optional(),
  })
  .meta({ id: 'GraphSendMessage' });
export type SendBody = z.infer<typeof SendBody>;

/** POST /{phone_number_id}/marketing_messages: a template only. */
export const MarketingBody = SendBody.pick({
  messaging_product: true, recipient_type: true, biz_opaque_callback_data: true, to: true, recipient: true, template: true,
}).extend({ type: z.literal('template').optional() }).meta({ id: 'GraphMarketingMessage' });

export const SendResponse = z
  .object({
    messaging_product: MessagingProduct,
    contacts: z.array(z.object({
      input: z.string(),
      wa_id: z.string().nullable(),
      user_id: z.string().nullable().optional().meta({ description: 'Sends to a business-scoped user ID (not emulated).' }),
    })),
    messages: z.array(z.object({
      id: z.string().meta({ description: 'wamid.…' }),
      message_status: z.enum(['accepted', 'held_for_quality_assessment']).optional(),
    })),
  })
  .meta({ id: 'GraphSendMessageResponse' });

/**
 * What a send answers; a mark-as-read answers Meta's `success: true` (what the SDK reads) in the
 * same shape, naming the message it marked (Kapso's proxy documents one response for both).
 */
export const SendOrReadResponse = SendResponse.extend({ success: z.boolean().optional().meta({ description: 'Mark-as-read only: true.' }) })
  .meta({ id: 'GraphSendOrReadResponse' });

// ---------------------------------------------------------------------------------------------
// A stored message in Meta's shape.

const KapsoMediaData = z.object({ url: z.string(), filename: z.string().optional(), content_type: z.string(), byte_size: z.number().int().optional() });

export const KAPSO_FIELDS = [
  'direction', 'status', 'processing_status', 'phone_number', 'has_media', 'media_data', 'media_url', 'whatsapp_conversation_id',
  'contact_name', 'message_type_data', 'content', 'flow_response', 'flow_token', 'flow_name', 'order_text',
] as const;
export type KapsoField = (typeof KAPSO_FIELDS)[number];

export const KapsoMessage = z
  .object({
    direction: z.enum(['inbound', 'outbound']).optional(),
    status: z.enum(['pending', 'sent', 'delivered', 'read', 'failed']).optional().meta({ description: 'An inbound message reads delivered, or read once marked.' }),
    processing_status: z.enum(['pending', 'processing', 'completed', 'failed']).optional(),
    phone_number: z.string().nullable().optional(),
    has_media: z.boolean().optional(),
    whatsapp_conversation_id: z.string().optional(),
    contact_name: z.string().nullable().optional(),
    content: z.string().nullable().optional(),
    media_data: KapsoMediaData.optional(),
    media_url: z.string().optional(),
    message_type_data: z.record(z.string(), z.unknown()).optional(),
    flow_response: z.record(z.string(), z.unknown()).optional(),
    flow_token: z.string().optional(),
    flow_name: z.string().optional(),
    order_text: z.string().optional(),
  })
  .meta({ id: 'KapsoMessageFields', description: 'Kapso\'s extensions, as `fields=kapso(...)` selects them (docs/meta-proxy.md).' });

const MediaOut = z.object({ id: z.string().optional(), link: z.string().optional(), caption: z.string().optional(), filename: z.string().optional(), mime_type: z.string().optional() });

export const GraphMessage = z
  .object({
    id: z.string().meta({ description: 'wamid.…' }),
    timestamp: z.string().meta({ description: 'Unix seconds, as a string.' }),
    type: z.enum(MESSAGE_TYPES),
    from: z.string().nullable().optional().meta({ description: 'Inbound: the customer\'s number (digits).' }),
    from_user_id: z.string().nullable().optional(),
    from_parent_user_id: z.string().nullable().optional(),
    to: z.string().nullable().optional().meta({ description: 'Outbound: the customer\'s number (digits).' }),
    to_user_id: z.string().nullable().optional(),
    to_parent_user_id: z.string().nullable().optional(),
    username: z.string().nullable().optional(),
    context: z.object({
      from: z.string().optional(), id: z.string().optional(),
      referred_product: z.object({ catalog_id: z.string().optional(), product_retailer_id: z.string().optional() }).optional(),
    }).optional(),
    text: z.object({ body: z.string(), preview_url: z.boolean().optional() }).optional(),
    image: MediaOut.optional(),
    video: MediaOut.optional(),
    audio: MediaOut.extend({ voice: z.boolean().optional() }).optional(),
    document: MediaOut.optional(),
    sticker: z.object({ id: z.string().optional(), link: z.string().optional(), mime_type: z.string().optional(), animated: z.boolean().optional() }).optional(),
    location: z.object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
    contacts: z.array(ContactCard).optional(),
    order: z.object({ catalog_id: z.string().optional(), product_items: z.array(z.record(z.string(), z.unknown())).optional(), order_text: z.string().optional() }).optional(),
    interactive: z.object({
      type: z.enum(['button_reply', 'list_reply', 'nfm_reply']),
      button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
      list_reply: z.object({ id: z.string(), title: z.string(), description: z.string().optional() }).optional(),
      nfm_reply: z.object({ name: z.string().optional(), response_json: z.string().optional(), body: z.string().optional() }).optional(),
    }).optional().meta({ description: 'An inbound interactive reply. An outbound interactive message is described in kapso.message_type_data.' }),
    template: z.object({
      name: z.string(),
      language: z.object({ code: z.string() }),
      components: z.array(z.record(z.string(), z.unknown())).optional(),
    }).optional(),
    reaction: z.object({ message_id: z.string(), emoji: z.string() }).optional(),
    kapso: KapsoMessage.optional(),
  })
  .meta({ id: 'GraphMessage' });
export type GraphMessage = z.input<typeof GraphMessage>;

export const MessageListResponse = z.object({ data: z.array(GraphMessage), paging: Paging });

export const MessageParams = z.object({
  version: z.string().meta({ description: 'Graph API version (any vNN.N).', example: 'v24.0' }),
  phone_number_id: z.string().meta({ description: 'WhatsApp Business Phone Number ID.' }),
  message_id: z.string().meta({ description: 'The message\'s WhatsApp ID (wamid.…).' }),
});

// The flat error bodies Kapso's proxy documents for a send.
export const InsufficientCredits = z
  .object({ error: z.string(), code: z.literal('insufficient_credits'), billing_url: z.string().meta({ format: 'uri' }) })
  .meta({ id: 'InsufficientCreditsError' });
export const MessageInFlight = z.object({ error: z.string() }).meta({ id: 'MessageInFlightError' });
export const ThreadOwnership = z
  .object({
    error: z.string(),
    code: z.enum(['thread_not_owner', 'thread_ownership_unknown', 'meta_business_agent_control']),
    thread_error: z.enum(['thread_not_owner', 'thread_ownership_unknown']),
  })
  .meta({ id: 'ThreadOwnershipError' });
export const MarketingStopped = z
  .object({ error: z.string(), code: z.literal('marketing_preference_stopped') })
  .meta({ id: 'MarketingPreferenceStoppedError' });
