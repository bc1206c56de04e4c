// A message's three faces, from what a send (or a simulated inbound message) gives: the
// message_type_data in the shape of its type, the human-readable `content` an inbox lists, and
// the type-specific `metadata`. Pure functions: the repository resolves what needs the database
// (a template, the message a reaction answers) and passes it in.
import type { JsonObject } from '../../lib/schemas.js';
import type { FilledTemplate, TemplateForSend } from '../whatsapp-templates/rules.js';
import { HEADER_TYPES } from '../whatsapp-templates/schemas.js';
import type { ContactCard, ContactCardInput, MediaType, MessageType, MessageTypeData } from './schemas.js';

/** What is stored for a message besides its direction, status and IDs. */
export interface MessageDraft {
  message_type: MessageType;
  content: string;
  message_type_data: MessageTypeData;
  metadata: JsonObject;
  media_url: string | null;
  template_id: string | null;
}

/** The fields of a send or a simulated message that the renderers read (validated per type by the schemas). */
export interface DraftFields {
  message_type: MessageType;
  content?: string | undefined;
  media_url?: string | undefined;
  media_id?: string | undefined;
  mime_type?: string | undefined;
  caption?: string | undefined;
  filename?: string | undefined;
  latitude?: number | undefined;
  longitude?: number | undefined;
  location_name?: string | undefined;
  location_address?: string | undefined;
  interactive_type?: 'button' | 'list' | undefined;
  body_text?: string | undefined;
  header_text?: string | undefined;
  footer_text?: string | undefined;
  buttons?: { id: string; title: string }[] | undefined;
  sections?: { title?: string | undefined; rows: { id: string; title: string; description?: string | undefined }[] }[] | undefined;
  list_button_text?: string | undefined;
  reply_option_id?: string | undefined;
  reply_option_title?: string | undefined;
  reaction_emoji?: string | undefined;
  contacts?: ContactCardInput[] | undefined;
}

const LABEL: Record<MediaType, string> = { image: 'Image', video: 'Video', audio: 'Audio', document: 'Document' };
const DEFAULT_MIME: Record<MediaType, string> = { image: 'image/jpeg', video: 'video/mp4', audio: 'audio/ogg', document: 'application/pdf' };
const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp',
  mp4: 'video/mp4', '3gp': 'video/3gpp',
  ogg: 'audio/ogg', opus: 'audio/ogg', mp3: 'audio/mpeg', m4a: 'audio/mp4', aac: 'audio/aac', amr: 'audio/amr',
  pdf: 'application/pdf', txt: 'text/plain', csv: 'text/csv',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint', pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

/** The last path segment of a URL ("invoice-1042.pdf"), if it has one. */
function fileNameOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const name = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return name === '' ? undefined : name;
  } catch {
    return undefined;
  }
}

/** The MIME type from a file name's extension, else the type's usual one. */
export function mimeTypeOf(type: MediaType, ...names: (string | undefined)[]): string {
  for (const name of names) {
    const ext = name?.split('.').pop()?.toLowerCase();
    const mime = ext === undefined ? undefined : MIME_BY_EXTENSION[ext];
    if (mime && mime.split('/')[0] === DEFAULT_MIME[type].split('/')[0]) return mime;
    if (mime && type === 'document') return mime;
  }
  return DEFAULT_MIME[type];
}

/** Meta's nested contact card from the flat or nested spelling; formatted_name made from the parts when absent. */
export function contactCard(input: ContactCardInput): ContactCard {
  const name = { ...input.name };
  for (const key of ['formatted_name', 'first_name', 'last_name'] as const) if (name[key] === undefined && input[key] !== undefined) name[key] = input[key];
  const formatted = name.formatted_name?.trim()
    || [name.prefix, name.first_name, name.middle_name, name.last_name, name.suffix].filter((p) => p?.trim()).join(' ');
  const card: ContactCard = { name: { ...name, formatted_name: formatted } };
  for (const key of ['birthday', 'phones', 'emails', 'addresses', 'org', 'urls'] as const) {
    if (input[key] !== undefined) (card as Record<string, unknown>)[key] = input[key];
  }
  return card;
}

/** The text an inbox shows for a message of this type and data (templates show their filled body, given by the caller). */
export function describe(type: MessageType, data: Record<string, any>): string {
  switch (type) {
    case 'text':
      return String(data.text ?? '');
    case 'image': case 'video': case 'audio': case 'document': {
      const label = type === 'document' && data.filename ? `[Document: ${data.filename}]` : `[${LABEL[type]}]`;
      return data.caption ? `${label} ${data.caption}` : label;
    }
    case 'location': {
      const place = [data.location_name, data.location_address].filter(Boolean).join(', ');
      return `[Location] ${place || `${data.latitude}, ${data.longitude}`}`;
    }
    case 'interactive':
      return String(data.reply_option_title ?? data.body_text ?? '');
    case 'reaction':
      return data.reaction_emoji ? `Reacted ${data.reaction_emoji}` : 'Removed a reaction';
    case 'contacts': {
      const names = ((data.contacts ?? []) as ContactCard[]).map((c) => c.name.formatted_name);
      return names.length === 1 ? `Contact: ${names[0]}` : `Contacts: ${names.join(', ')}`;
    }
    case 'template':
      return String(data.template_name ?? '');
  }
}

const compact = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * The draft of a message of any type but template. `reactedTo` is the WhatsApp message ID of the
 * message a reaction answers (the repository found it in the conversation).
 */
export function draftOf(f: DraftFields, reactedTo?: { id: string; whatsapp_message_id: string }): MessageDraft {
  const draft = (data: MessageTypeData, metadata: JsonObject, media_url: string | null = null): MessageDraft =>
    ({ message_type: f.message_type, content: describe(f.message_type, data), message_type_data: data, metadata, media_url, template_id: null });
  switch (f.message_type) {
    case 'text':
      return draft({ text: f.content ?? '' }, { preview_url: /https?:\/\//i.test(f.content ?? '') });
    case 'image': case 'video': case 'audio': case 'document': {
      const filename = f.message_type === 'document' ? (f.filename ?? fileNameOf(f.media_url) ?? 'document') : undefined;
      const mime_type = f.mime_type ?? mimeTypeOf(f.message_type, filename, fileNameOf(f.media_url));
      const data = f.message_type === 'audio'
        ? compact({ media_id: f.media_id, mime_type })
        : compact({ caption: f.caption, media_id: f.media_id, mime_type, filename });
      return draft(data as MessageTypeData, { media_source: f.media_url ? 'link' : 'media_id' }, f.media_url ?? null);
    }
    case 'location': {
      const data = compact({ latitude: f.latitude!, longitude: f.longitude!, location_name: f.location_name, location_address: f.location_address });
      return draft(data, { maps_url: `https://maps.google.com/?q=${f.latitude},${f.longitude}` });
    }
    case 'interactive': {
      const data = compact({
        interactive_type: f.interactive_type!,
        body_text: f.body_text,
        header_text: f.header_text,
        footer_text: f.footer_text,
        buttons: f.interactive_type === 'button' ? f.buttons : undefined,
        sections: f.interactive_type === 'list' ? f.sections?.map((s) => compact({ title: s.title, rows: s.rows.map((r) => compact(r)) })) : undefined,
        list_button_text: f.interactive_type === 'list' ? f.list_button_text : undefined,
        reply_option_id: f.reply_option_id,
        reply_option_title: f.reply_option_title,
      });
      const options = data.buttons ?? data.sections?.flatMap((s) => s.rows.map((r) => ({ id: r.id, title: r.title }))) ?? [];
      return draft(data, f.reply_option_id !== undefined ? { reply: true } : { options: options.map((o) => ({ id: o.id, title: o.title })) });
    }
    case 'reaction':
      return draft(
        { reaction_emoji: f.reaction_emoji ?? '', reacted_to_message_id: reactedTo?.whatsapp_message_id ?? '' },
        reactedTo ? { reacted_to: reactedTo.id } : {},
      );
    case 'contacts': {
      const contacts = (f.contacts ?? []).map(contactCard);
      return draft({ contacts }, { contacts_data: contacts });
    }
    case 'template':
      throw new Error('template drafts come from templateDraft()');
  }
}

/** The draft of a template message, from the template and what filling it gave. */
export function templateDraft(t: TemplateForSend & { id: string }, filled: FilledTemplate): MessageDraft {
  const data = compact({
    template_name: t.name,
    template_language: t.language_code,
    template_params: filled.values,
    header_type: HEADER_TYPES.find((h) => h === filled.header?.type),
    header_params: filled.header?.params,
    header_filename: filled.header?.filename,
  });
  return {
    message_type: 'template',
    content: filled.content,
    message_type_data: data,
    metadata: { template_id: t.id, template_name: t.name, template_language: t.language_code, template_params: filled.named ?? filled.values },
    media_url: filled.header && filled.header.type !== 'text' && filled.header.type !== 'location' ? filled.header.params ?? null : null,
    template_id: t.id,
  };
}
