// A conversation as WhatsApp shows it: bubbles by direction (the business, that is the app under
// development, on the right), times, delivery ticks, media, locations, interactive messages and
// their replies, reactions under the message they answer, templates with their parameters marked.
import { clockTime, dayLabel, h, icon } from './dom.js';

const TICKS = {
  sent: { text: '✓', label: 'Sent' },
  delivered: { text: '✓✓', label: 'Delivered' },
  read: { text: '✓✓', label: 'Read' },
  failed: { text: '!', label: 'Failed' },
};

/** Meta error codes offered when failing a message by hand. */
export const FAILURES = [
  { code: 131026, title: 'Message undeliverable' },
  { code: 131047, title: 'Re-engagement message' },
  { code: 131049, title: 'Meta chose not to deliver' },
  { code: 131051, title: 'Unsupported message type' },
];

/** Is a media URL the mock's own (then its preview loads at once; others only when asked: nothing leaves the machine unasked)? */
const isLocal = (url) => {
  try {
    return new URL(url, location.href).origin === location.origin;
  } catch {
    return false;
  }
};

function mediaPreview(m) {
  const data = m.message_type_data ?? {};
  const kind = m.message_type;
  const url = m.media_url;
  const label = `${kind[0].toUpperCase()}${kind.slice(1)}`;
  const element = () => {
    if (kind === 'image') return h('img', { src: url, alt: data.caption || 'Image', class: 'media-img', loading: 'lazy' });
    if (kind === 'video') return h('video', { src: url, controls: true, class: 'media-video', 'aria-label': data.caption || 'Video' });
    return h('audio', { src: url, controls: true, 'aria-label': 'Audio' });
  };
  if (kind === 'document') {
    return h('div', { class: 'doc' },
      h('span', { class: 'doc-icon' }, icon('file', 28)),
      h('span', { class: 'doc-name' }, data.filename ?? 'document', h('small', null, data.mime_type ?? '')),
      url ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, 'Open') : null);
  }
  if (!url) return h('div', { class: 'media-card' }, `${label} · media ID ${data.media_id ?? '?'} · ${data.mime_type ?? ''}`);
  if (isLocal(url)) return element();
  const card = h('div', { class: 'media-card' },
    h('span', null, `${label} · ${data.mime_type ?? ''}`),
    h('span', { class: 'media-url' }, url),
    h('button', {
      type: 'button', class: 'small',
      onclick: () => card.replaceWith(element()),
    }, 'Load preview'));
  return card;
}

function locationCard(m) {
  const d = m.message_type_data ?? {};
  const osm = `https://www.openstreetmap.org/?mlat=${d.latitude}&mlon=${d.longitude}#map=16/${d.latitude}/${d.longitude}`;
  return h('div', { class: 'location' },
    h('span', { class: 'pin' }, icon('pin', 28)),
    h('div', null,
      h('strong', null, d.location_name ?? 'Location'),
      d.location_address ? h('div', null, d.location_address) : null,
      h('small', null, `${d.latitude}, ${d.longitude}`),
      h('div', null, h('a', { href: osm, target: '_blank', rel: 'noopener noreferrer' }, 'Open map'))));
}

/** The template's filled text, with each parameter value marked where it appears. */
function templateBody(m) {
  const d = m.message_type_data ?? {};
  const values = (d.template_params ?? []).filter((v) => typeof v === 'string' && v !== '');
  const text = m.content ?? '';
  const parts = [];
  let rest = text;
  while (rest !== '' && values.length > 0) {
    let best;
    for (const v of values) {
      const at = rest.indexOf(v);
      if (at !== -1 && (best === undefined || at < best.at)) best = { at, v };
    }
    if (!best) break;
    parts.push(rest.slice(0, best.at), h('mark', { title: 'Template parameter' }, best.v));
    rest = rest.slice(best.at + best.v.length);
  }
  parts.push(rest);
  return h('div', { class: 'template' },
    h('div', { class: 'template-label' }, `Template · ${d.template_name ?? ''} (${d.template_language ?? ''})`),
    d.header_type && d.header_type !== 'text' && m.media_url ? mediaPreview({ ...m, message_type: d.header_type === 'document' ? 'document' : d.header_type === 'video' ? 'video' : 'image', message_type_data: { filename: d.header_filename, mime_type: '' } }) : null,
    d.header_type === 'text' && d.header_params ? h('strong', { class: 'header-text' }, d.header_params) : null,
    h('p', { class: 'text' }, parts));
}

/**
 * An interactive message: the business's buttons or list (each a way for the customer to answer,
 * through `reply(option, type)`), or the customer's reply.
 */
function interactive(m, reply) {
  const d = m.message_type_data ?? {};
  if (d.reply_option_id !== undefined) {
    return h('div', { class: 'reply' },
      h('span', { class: 'reply-kind' }, d.interactive_type === 'list' ? 'List reply' : 'Button reply'),
      h('p', { class: 'text' }, d.reply_option_title ?? ''),
      h('small', null, `id: ${d.reply_option_id}`));
  }
  const answer = (option, type) => h('button', {
    type: 'button', class: 'option', 'aria-label': `Reply "${option.title}" as the customer`,
    onclick: () => reply(option, type),
  }, option.title);
  return h('div', { class: 'interactive' },
    d.header_text ? h('strong', { class: 'header-text' }, d.header_text) : null,
    h('p', { class: 'text' }, d.body_text ?? m.content),
    d.footer_text ? h('small', { class: 'footer-text' }, d.footer_text) : null,
    d.buttons ? h('div', { class: 'options', role: 'group', 'aria-label': 'Buttons' }, d.buttons.map((b) => answer(b, 'button'))) : null,
    d.sections ? h('details', { class: 'list-menu' },
      h('summary', null, icon('list', 16), ` ${d.list_button_text ?? 'Options'}`),
      d.sections.map((s) => h('div', { class: 'section' },
        s.title ? h('div', { class: 'section-title' }, s.title) : null,
        h('div', { class: 'options column' }, s.rows.map((r) => answer(r, 'list')))))) : null);
}

function contactsCard(m) {
  const contacts = m.message_type_data?.contacts ?? [];
  return h('div', { class: 'contacts' }, contacts.map((c) => h('div', { class: 'contact-card' },
    h('span', { class: 'avatar small' }, icon('person', 18)),
    h('div', null, h('strong', null, c.name?.formatted_name ?? ''), (c.phones ?? []).map((p) => h('div', null, h('small', null, p.phone)))))));
}

function body(m, reply) {
  const d = m.message_type_data ?? {};
  switch (m.message_type) {
    case 'text': return h('p', { class: 'text' }, d.text ?? m.content);
    case 'image': case 'video': case 'audio': case 'document':
      return [mediaPreview(m), d.caption ? h('p', { class: 'text' }, d.caption) : null];
    case 'location': return locationCard(m);
    case 'interactive': return interactive(m, reply);
    case 'template': return templateBody(m);
    case 'contacts': return contactsCard(m);
    case 'reaction': return h('p', { class: 'text' }, m.content);
    default: return h('p', { class: 'text' }, m.content);
  }
}

function ticks(m) {
  if (m.direction === 'inbound') {
    return m.status === 'read' ? h('span', { class: 'ticks seen', title: 'Marked read by the app', 'aria-label': 'Marked read by the app' }, 'read') : null;
  }
  const t = TICKS[m.status] ?? TICKS.sent;
  const when = { sent: m.sent_at, delivered: m.delivered_at, read: m.read_at, failed: m.failed_at }[m.status];
  return h('span', { class: ['ticks', m.status], 'aria-label': t.label, title: when ? `${t.label} at ${new Date(when).toLocaleString()}` : t.label, role: 'img' }, t.text);
}

/**
 * The actions on a message: an outbound one can be marked delivered, read or failed (the control
 * plane's message statuses); the customer can react to any message the business sent.
 */
function actions(m, act) {
  if (m.direction !== 'outbound') return null;
  const final = m.status === 'failed' || m.status === 'read';
  const select = h('select', { 'aria-label': 'Failure reason' }, FAILURES.map((f) => h('option', { value: String(f.code) }, `${f.code} ${f.title}`)));
  return h('details', { class: 'msg-actions' },
    h('summary', { 'aria-label': 'Message actions', title: 'Message actions' }, icon('more', 18)),
    h('div', { class: 'menu' },
      h('button', { type: 'button', disabled: final || m.status === 'delivered', onclick: () => act('delivered') }, 'Mark delivered'),
      h('button', { type: 'button', disabled: final, onclick: () => act('read') }, 'Mark read'),
      h('div', { class: 'fail-row' }, select,
        h('button', { type: 'button', disabled: m.status === 'read' || m.status === 'failed', onclick: () => act('failed', Number(select.value)) }, 'Mark failed')),
      h('button', { type: 'button', onclick: () => act('react', '👍') }, 'React 👍 as the customer')));
}

/**
 * The bubble of one message. `reactions`: the reactions that answer it; `act(kind, arg)` runs an
 * action on it; `reply(option, type)` answers an interactive message as the customer.
 */
export function renderMessage(m, { reactions = [], act, reply }) {
  const direction = m.direction === 'outbound' ? 'out' : 'in';
  const error = m.status === 'failed' && m.error
    ? h('div', { class: 'error-line', role: 'note' }, `Failed: ${m.error.code} ${m.error.title}${m.error.error_data?.details ? ` (${m.error.error_data.details})` : ''}`)
    : null;
  return h('li', { class: ['msg', direction], dataset: { id: m.id, status: m.status, type: m.message_type } },
    h('div', { class: 'bubble' },
      body(m, reply),
      h('div', { class: 'meta' },
        h('time', { datetime: m.created_at, title: new Date(m.created_at).toLocaleString() }, clockTime(m.created_at)),
        ticks(m))),
    reactions.length > 0 ? h('div', { class: 'reactions', 'aria-label': `Reactions: ${reactions.map((r) => r.message_type_data.reaction_emoji).join(' ')}` },
      reactions.map((r) => h('span', { title: r.direction === 'inbound' ? 'The customer reacted' : 'The business reacted' }, r.message_type_data.reaction_emoji))) : null,
    error,
    actions(m, act));
}

/** A day separator. */
export const daySeparator = (iso, now) => h('li', { class: 'day', role: 'separator' }, h('span', null, dayLabel(iso, now)));

/**
 * Splits messages (oldest first) into what is shown and the reactions each shown message carries:
 * a reaction is drawn under the message it answers (by wamid), as WhatsApp does; a reaction to a
 * message not on screen stays a line of its own. The newest reaction of each sender wins, and an
 * empty emoji takes it back.
 */
export function withReactions(messages) {
  const byWamid = new Map(messages.map((m) => [m.whatsapp_message_id, m]));
  const reactions = new Map();
  const shown = [];
  for (const m of messages) {
    const target = m.message_type === 'reaction' ? byWamid.get(m.message_type_data?.reacted_to_message_id) : undefined;
    if (!target) {
      shown.push(m);
      continue;
    }
    const list = (reactions.get(target.id) ?? []).filter((r) => r.direction !== m.direction);
    if (m.message_type_data.reaction_emoji) list.push(m);
    reactions.set(target.id, list);
  }
  return { shown, reactions };
}
