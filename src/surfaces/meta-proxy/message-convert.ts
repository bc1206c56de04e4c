// Between Meta's message shape and the inbox's rows, both ways: a send body becomes the fields
// the one send path takes (src/resources/whatsapp-messages), and a stored message becomes Meta's
// shape with Kapso's `kapso` block, selected by `fields` (docs/meta-proxy.md "Messages").
import { graphInvalidParameter } from '../../errors.js';
import { displayPhone } from '../../lib/phone.js';
import type { JsonObject } from '../../lib/schemas.js';
import type { MessageRecord, SendRequest } from '../../resources/whatsapp-messages/repository.js';
import type { TemplateParameters } from '../../resources/whatsapp-templates/schemas.js';
import { topLevel } from './fields.js';
import { KAPSO_FIELDS, MESSAGE_TYPES, type GraphMessage, type KapsoField, type SendBody } from './message-schemas.js';

type Fields = SendRequest['fields'];
const bad = (message: string) => graphInvalidParameter(message);
const blank = (s: string | undefined) => s === undefined || s.trim() === '';

/** What a media ID names for a send: its type and file name (undefined: no such media in the project). */
export type MediaLookup = (mediaId: string) => { mime_type: string; filename: string | null } | undefined;

/** The media of a media message: by link, or by the proxy's media ID (which must exist). */
function media(kind: 'image' | 'video' | 'audio' | 'document' | 'sticker', object: { id?: string | undefined; link?: string | undefined } | undefined, lookup: MediaLookup) {
  if (!object) throw bad(`${kind} can't be blank for ${kind} messages`);
  if (blank(object.id) && blank(object.link)) throw bad(`${kind} needs id or link`);
  if (!blank(object.id)) {
    const found = lookup(object.id!);
    if (!found) throw bad(`${kind}.id ${object.id} is not a media ID of this project (upload with POST /{phone_number_id}/media)`);
    return { media_id: object.id, mime_type: found.mime_type, filename: found.filename ?? undefined };
  }
  if (!/^https?:\/\/[^\s/]+/i.test(object.link!)) throw bad(`${kind}.link must be an http(s) URL`);
  return { media_url: object.link };
}

/** The values of a template send's body parameters: a list, or by name when the parameters are named. */
function templateParams(body: SendBody['template']): { params: TemplateParameters | undefined; header: Pick<Fields, 'header_type' | 'header_params' | 'header_filename'> } {
  const components = body?.components ?? [];
  const bodyComponent = components.find((c) => c.type.toLowerCase() === 'body');
  const values = (bodyComponent?.parameters ?? []).map((p) => ({ name: p.parameter_name, value: p.text ?? '' }));
  const params = values.length === 0 ? undefined
    : values.every((v) => v.name !== undefined) ? Object.fromEntries(values.map((v) => [v.name!, v.value])) : values.map((v) => v.value);
  const header = components.find((c) => c.type.toLowerCase() === 'header')?.parameters?.[0];
  if (!header) return { params, header: {} };
  const kind = header.type.toLowerCase();
  if (kind === 'text') return { params, header: { header_type: 'text', header_params: header.text } };
  if (kind === 'image' || kind === 'video' || kind === 'document') {
    const object = header[kind];
    return { params, header: { header_type: kind, header_params: object?.link ?? object?.id, header_filename: object?.filename } };
  }
  return { params, header: {} };
}

/** An interactive message's fields: buttons and lists as /api/v1 has them; CTA URL, Flow, location and call-permission requests as one button. */
function interactive(i: NonNullable<SendBody['interactive']>): Fields {
  const common = { message_type: 'interactive' as const, body_text: i.body?.text, footer_text: i.footer?.text, header_text: i.header?.type === 'text' ? i.header.text : undefined };
  const needBody = () => {
    if (blank(i.body?.text)) throw bad(`interactive.body.text can't be blank for ${i.type} messages`);
  };
  const single = (id: string, title: string): Fields => ({ ...common, interactive_type: 'button', buttons: [{ id, title }] });
  switch (i.type) {
    case 'button': {
      needBody();
      const buttons = (i.action?.buttons ?? []).map((b) => ({ id: b.reply.id, title: b.reply.title }));
      if (buttons.length === 0) throw bad("interactive.action.buttons can't be blank for button messages (1 to 3)");
      if (new Set(buttons.map((b) => b.id)).size !== buttons.length) throw bad('interactive.action.buttons must have distinct ids');
      return { ...common, interactive_type: 'button', buttons };
    }
    case 'list': {
      needBody();
      const sections = i.action?.sections ?? [];
      if (sections.length === 0) throw bad("interactive.action.sections can't be blank for list messages");
      if (blank(i.action?.button)) throw bad("interactive.action.button can't be blank for list messages");
      const rows = sections.flatMap((s) => s.rows.map((r) => r.id));
      if (rows.length > 10) throw bad('interactive.action.sections must have at most 10 rows in all');
      if (new Set(rows).size !== rows.length) throw bad('interactive.action.sections must have distinct row ids');
      return { ...common, interactive_type: 'list', sections, list_button_text: i.action!.button };
    }
    case 'cta_url': {
      needBody();
      const p = i.action?.parameters;
      if (blank(p?.display_text) || blank(p?.url)) throw bad('interactive.action.parameters needs display_text and url for cta_url messages');
      if (!/^https?:\/\/[^\s/]+/i.test(p!.url!)) throw bad('interactive.action.parameters.url must be an http(s) URL');
      return single('cta_url', p!.display_text!);
    }
    case 'flow': {
      needBody();
      const p = i.action?.parameters;
      if (blank(p?.flow_id) && blank(p?.flow_name)) throw bad('interactive.action.parameters needs flow_id or flow_name for flow messages');
      if (blank(p?.flow_cta)) throw bad("interactive.action.parameters.flow_cta can't be blank for flow messages");
      return single('flow', p!.flow_cta!);
    }
    case 'location_request_message':
      needBody();
      return single('send_location', 'Send location');
    case 'call_permission_request':
      needBody();
      return single('call_permission_request', 'Allow calls');
    default:
      throw bad(`interactive.type ${i.type} is not emulated by kapso-mock (it needs a product catalog or Meta's native flows)`);
  }
}

/**
 * The fields of the one send path for a Meta send body (not a mark-as-read), and the object the
 * message is kept as for the proxy's own view. Throws Meta's (#100) for what the type lacks.
 */
export function sendRequestOf(body: SendBody, lookup: MediaLookup): SendRequest {
  const type = body.type ?? 'text';
  const object = body[type] as unknown;
  if (object === undefined) throw bad(`${type} can't be blank for ${type} messages`);
  const graph: JsonObject = { type, [type]: object as JsonObject, ...(body.context && { context: { id: body.context.message_id } }) };
  let fields: Fields;
  switch (type) {
    case 'text':
      if (blank(body.text!.body)) throw bad("text.body can't be blank");
      fields = { message_type: 'text', content: body.text!.body };
      break;
    case 'image': case 'video': case 'document':
      fields = { message_type: type, caption: body[type]!.caption, ...media(type, body[type], lookup) };
      if (type === 'document') fields.filename = body.document!.filename ?? fields.filename;
      else delete fields.filename;
      break;
    case 'audio':
      fields = { message_type: 'audio', ...media('audio', body.audio, lookup) };
      delete fields.filename;
      break;
    case 'sticker': {
      // /api/v1 has no sticker type: the row is an image (WebP); the proxy shows the sticker it was sent as.
      const m = media('sticker', body.sticker, lookup);
      if (m.mime_type !== undefined && m.mime_type !== 'image/webp') throw bad('sticker must be a WebP image (image/webp)');
      fields = { message_type: 'image', media_id: m.media_id, media_url: m.media_url, mime_type: 'image/webp' };
      break;
    }
    case 'location':
      fields = { message_type: 'location', latitude: body.location!.latitude, longitude: body.location!.longitude, location_name: body.location!.name, location_address: body.location!.address };
      break;
    case 'contacts':
      body.contacts!.forEach((c, n) => {
        if (blank(c.name.formatted_name) && blank(c.name.first_name)) throw bad(`contacts[${n}].name needs formatted_name or first_name`);
      });
      fields = { message_type: 'contacts', contacts: body.contacts };
      break;
    case 'interactive':
      fields = interactive(body.interactive!);
      break;
    case 'template': {
      const { params, header } = templateParams(body.template);
      fields = { message_type: 'template', template_name: body.template!.name, template_language: body.template!.language.code, template_params: params, ...header };
      break;
    }
    case 'reaction':
      fields = { message_type: 'reaction', reaction_emoji: body.reaction!.emoji, reacted_to_message_id: body.reaction!.message_id };
      break;
  }
  return { fields, graph };
}

// ---------------------------------------------------------------------------------------------
// A stored message in Meta's shape.

/** What `fields` asks of a message: the base fields (undefined: all) and the kapso block's (empty: none). */
export interface MessageSelection {
  base: Set<string> | undefined;
  kapso: Set<KapsoField> | 'default';
}

const BASE_FIELDS = ['id', 'timestamp', 'type', 'from', 'to', 'context', ...MESSAGE_TYPES.filter((t) => t !== 'interactive'), 'interactive', 'kapso'];

/**
 * `fields` as Kapso's reference (and the SDK's buildKapsoFields) reads it: `kapso()` leaves the
 * block out, `kapso(*)` or `kapso(default)` gives its default fields, `kapso(a,b)` those; other
 * names choose Meta's fields (id always). Without `fields`: every Meta field and the default block.
 */
export function messageSelection(text: string | undefined): MessageSelection {
  if (text === undefined || text.trim() === '') return { base: undefined, kapso: 'default' };
  let kapso: MessageSelection['kapso'] = new Set();
  const base = new Set<string>();
  for (const part of topLevel(text)) {
    const match = /^kapso\((.*)\)$/.exec(part);
    if (match) {
      const names = match[1]!.split(',').map((n) => n.trim()).filter((n) => n !== '');
      if (names.includes('*') || names.includes('default')) kapso = 'default';
      else {
        for (const name of names) {
          if (!(KAPSO_FIELDS as readonly string[]).includes(name)) throw bad(`Tried accessing nonexisting field (kapso.${name}) on node type (WhatsAppMessage)`);
          if (kapso !== 'default') kapso.add(name as KapsoField);
        }
      }
      continue;
    }
    if (part === 'kapso') {
      kapso = 'default';
      continue;
    }
    if (!BASE_FIELDS.includes(part)) throw bad(`Tried accessing nonexisting field (${part}) on node type (WhatsAppMessage)`);
    base.add(part);
  }
  return { base: base.size === 0 ? undefined : base, kapso };
}

/** What a message's view needs beyond the row: the contact's name and the media's download link and size. */
export interface ViewContext {
  contactName: (phone: string) => string | null;
  mediaLink: (mediaId: string) => { url: string; byte_size: number; filename: string | null } | undefined;
}

const compact = <T extends Record<string, unknown>>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

/** The type-specific object of a message not sent through the proxy, from its /api/v1 data. */
function derived(m: MessageRecord): Record<string, unknown> | undefined {
  const d = m.message_type_data as Record<string, any>;
  switch (m.message_type) {
    case 'text': return { body: d.text ?? m.content };
    case 'image': case 'video': case 'document':
      return compact({ id: d.media_id, link: m.media_url ?? undefined, caption: d.caption, filename: d.filename, mime_type: d.mime_type });
    case 'audio': return compact({ id: d.media_id, link: m.media_url ?? undefined, mime_type: d.mime_type });
    case 'location': return compact({ latitude: d.latitude, longitude: d.longitude, name: d.location_name, address: d.location_address });
    case 'contacts': return d.contacts;
    case 'reaction': return { message_id: d.reacted_to_message_id, emoji: d.reaction_emoji };
    case 'template': return {
      name: d.template_name, language: { code: d.template_language },
      components: [
        ...(d.header_type ? [{ type: 'header', parameters: [d.header_type === 'text' ? { type: 'text', text: d.header_params } : { type: d.header_type, [d.header_type]: { link: d.header_params } }] }] : []),
        ...((d.template_params ?? []).length > 0 ? [{ type: 'body', parameters: (d.template_params as string[]).map((t) => ({ type: 'text', text: t })) }] : []),
      ],
    };
    case 'interactive':
      if (m.direction === 'inbound' && d.reply_option_id !== undefined) {
        return d.interactive_type === 'list'
          ? { type: 'list_reply', list_reply: { id: d.reply_option_id, title: d.reply_option_title ?? '' } }
          : { type: 'button_reply', button_reply: { id: d.reply_option_id, title: d.reply_option_title ?? '' } };
      }
      return undefined;
  }
}

const MEDIA = new Set(['image', 'video', 'audio', 'document', 'sticker']);

/** A stored message in Meta's shape, with the kapso block `selection` asks for. */
export function graphMessage(m: MessageRecord, selection: MessageSelection, ctx: ViewContext): GraphMessage {
  const g = m.graph as Record<string, any> | null | undefined;
  const type = (g?.type ?? m.message_type) as GraphMessage['type'];
  // An outbound interactive message has no `interactive` of Meta's reply shape: kapso.message_type_data describes it.
  const object = type === 'interactive' ? (m.direction === 'inbound' ? derived(m) : undefined) : (g?.[type] ?? derived(m));
  const full: Record<string, unknown> = {
    id: m.whatsapp_message_id,
    timestamp: String(Math.floor(Date.parse(m.created_at) / 1000)),
    type,
    ...(m.direction === 'inbound' ? { from: m.phone_number } : { to: m.phone_number }),
    ...(g?.context && { context: g.context }),
    ...(object !== undefined && { [type]: object }),
  };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(full)) if (key === 'id' || !selection.base || selection.base.has(key)) out[key] = value;
  if (!selection.base || selection.base.has('kapso')) {
    const block = kapsoBlock(m, type, ctx);
    const picked = selection.kapso === 'default' ? block : Object.fromEntries(Object.entries(block).filter(([k]) => (selection.kapso as Set<string>).has(k)));
    if (Object.keys(picked).length > 0 || selection.kapso === 'default') out.kapso = picked;
  }
  return out as GraphMessage;
}

function kapsoBlock(m: MessageRecord, type: string, ctx: ViewContext): Record<string, unknown> {
  const d = m.message_type_data as Record<string, any>;
  const hasMedia = MEDIA.has(type);
  const link = hasMedia && d.media_id ? ctx.mediaLink(d.media_id) : undefined;
  const url = link?.url ?? m.media_url ?? undefined;
  const g = m.graph as Record<string, any> | null | undefined;
  return compact({
    direction: m.direction,
    status: m.status === 'received' ? 'delivered' : m.status,
    processing_status: m.processing_status === 'processed' ? 'completed' : 'pending',
    phone_number: displayPhone(m.phone_number),
    has_media: hasMedia,
    whatsapp_conversation_id: m.conversation_id,
    contact_name: ctx.contactName(m.phone_number),
    content: m.content,
    ...(url !== undefined && {
      media_data: compact({ url, filename: link?.filename ?? d.filename, content_type: d.mime_type ?? 'application/octet-stream', byte_size: link?.byte_size }),
      media_url: url,
    }),
    ...(m.message_type !== 'text' && { message_type_data: type === 'interactive' && g?.interactive ? g.interactive : d }),
  });
}
