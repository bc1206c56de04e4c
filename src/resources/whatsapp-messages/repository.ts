// WhatsApp messages, and the one send path every door shares (a conversation's messages, a send by
// phone number, send_template; the Meta proxy later): the rules run before anything is written,
// in one transaction with the write, so a refused send stores nothing:
//   1. an agent execution in charge of the conversation blocks manual messages (conversations.sendBlocked),
//   2. the 24-hour window: a non-template message needs the number to have written within 24 hours (mock clock),
//   3. a template must exist on the config's business account, be approved and get its parameters.
// Then the conversation (opened when the number has no active one on the config), the contact,
// the message (sent, with a wamid) and the conversation's last_active_at, with their events.
// Outbound messages move sent -> delivered -> read (or failed) through moveStatus(): the control
// plane, or the scheduler when automatic statuses are on.
import { uniqueRules } from '../../db/constraints.js';
import { RecordInvalid, SendRefused } from '../../errors.js';
import { newId, newWamid } from '../../lib/ids.js';
import { defineCounter, defineList } from '../../lib/list-query.js';
import { displayPhone } from '../../lib/phone.js';
import type { RepoContext } from '../../lib/resource.js';
import type { JsonObject } from '../../lib/schemas.js';
import type { ConversationRecord } from '../whatsapp-conversations/repository.js';
import type { TemplateRecord } from '../whatsapp-templates/repository.js';
import { fillTemplate } from '../whatsapp-templates/rules.js';
import type { TemplateParameters } from '../whatsapp-templates/schemas.js';
import { draftOf, templateDraft, type DraftFields, type MessageDraft } from './render.js';
import type { MessageStatus, MessageTypeData, WhatsappMessage } from './schemas.js';

/** The customer-service window: a number can be sent free-form messages this long after it last wrote. */
export const WINDOW_MS = 24 * 60 * 60 * 1000;
export const OUTSIDE_WINDOW = 'Cannot send non-template messages outside the 24-hour window';

/** Meta's error object of a failed message. */
export interface MessageError {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
}

/** What a failed message carries when the control plane gives no error: Meta's "undeliverable". */
export const DEFAULT_ERROR: MessageError = {
  code: 131026,
  title: 'Message undeliverable',
  message: 'Message undeliverable',
  error_data: { details: 'Unable to deliver the message: the recipient may not be on WhatsApp or may not accept messages from this business.' },
};

/** A message as stored. */
export interface MessageRecord extends Omit<MessageDraft, 'message_type_data'> {
  id: string;
  conversation_id: string;
  whatsapp_config_id: string;
  phone_number: string;
  direction: 'inbound' | 'outbound';
  status: MessageStatus;
  processing_status: 'pending' | 'processed';
  whatsapp_message_id: string;
  message_type_data: MessageTypeData;
  error: MessageError | null;
  /** The message as the Meta proxy received it ({type, <type>: {...}, context?}); null from the other doors. */
  graph?: JsonObject | null;
  sent_at: string | null;
  delivered_at: string | null;
  read_at: string | null;
  failed_at: string | null;
  created_at: string;
  updated_at: string;
}

type MessageRow = Omit<MessageRecord, 'message_type_data' | 'metadata' | 'error' | 'graph'> & {
  message_type_data: string; metadata: string; error: string | null; graph: string | null;
};

const COLUMNS = `id, conversation_id, whatsapp_config_id, phone_number, direction, message_type, content, status, processing_status,
  whatsapp_message_id, media_url, message_type_data, metadata, template_id, error, graph, sent_at, delivered_at, read_at, failed_at, created_at, updated_at`;

const toRecord = (row: MessageRow): MessageRecord => ({
  ...row,
  message_type_data: JSON.parse(row.message_type_data) as MessageTypeData,
  metadata: JSON.parse(row.metadata) as JsonObject,
  error: row.error === null ? null : (JSON.parse(row.error) as MessageError),
  graph: row.graph === null ? null : (JSON.parse(row.graph) as JsonObject),
});

export function toMessage(record: MessageRecord): WhatsappMessage {
  const message: WhatsappMessage = {
    id: record.id,
    phone_number: displayPhone(record.phone_number),
    message_type: record.message_type,
    content: record.content,
    direction: record.direction,
    status: record.status,
    processing_status: record.processing_status,
    whatsapp_message_id: record.whatsapp_message_id,
    metadata: record.metadata,
    message_type_data: record.message_type_data,
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
  if (record.media_url !== null) message.media_url = record.media_url;
  return message;
}

/** GET /whatsapp_conversations/{id}/whatsapp_messages: newest first. */
export const MessageList = defineList<MessageRow, WhatsappMessage>({
  name: 'whatsapp_messages',
  table: 'whatsapp_messages',
  columns: COLUMNS,
  scope: ['project_id', 'conversation_id'],
  pagination: 'meta',
  map: (row) => toMessage(toRecord(row)),
});

/** A conversation's unread messages (inbound, not marked read), kept by triggers: the inbox's unread_count. */
export const UnreadMessages = defineCounter({
  name: 'whatsapp_messages_unread',
  table: 'whatsapp_messages',
  scope: ['project_id', 'conversation_id'],
  where: (row) => `${row}.direction = 'inbound' AND ${row}.status = 'received'`,
  whereColumns: ['direction', 'status'],
});

/**
 * GET /{phone_number_id}/messages on the Meta proxy: a number's messages, newest first, by keyset
 * cursor, with the SDK's filters (the route maps direction, status, since, until and
 * conversation_id onto these keys). Rows stay records: the proxy draws Meta's shape from them.
 */
export const NumberMessageList = defineList<MessageRow, MessageRecord>({
  name: 'whatsapp_messages_by_number',
  table: 'whatsapp_messages',
  columns: COLUMNS,
  scope: ['project_id', 'whatsapp_config_id'],
  filters: {
    direction: 'eq',
    status: { predicates: ['in'] },
    conversation_id: 'eq',
    created_at: ['gteq', 'lteq'],
  },
  pagination: 'cursor',
  map: (row) => toRecord(row),
});

/** Where a send goes: a conversation, or a number on a config (its active conversation, or a new one). */
export type SendTarget = { conversationId: string } | { whatsappConfigId: string; phone: string };

/** What to send: the validated fields of the body; `template` when the caller found it by ID (send_template). */
export interface SendRequest {
  fields: DraftFields & {
    template_name?: string | undefined;
    template_language?: string | undefined;
    template_params?: TemplateParameters | undefined;
    header_type?: string | undefined;
    header_params?: string | undefined;
    header_filename?: string | undefined;
    reacted_to_message_id?: string | undefined;
  };
  template?: TemplateRecord;
  /** The message as the Meta proxy received it, kept beside the row (its own shape for what /api/v1 has no type for). */
  graph?: JsonObject;
}

export interface SendOptions {
  /** The 24-hour window rule (settings.messagingWindow). */
  enforceWindow: boolean;
  /** Whether an active agent execution blocks the send (manual messages; default true). */
  checkBlocked?: boolean;
  /** X-Kapso-Take-Control on the Meta proxy: a send on a conversation another app handles takes it back instead of being refused. */
  takeControl?: boolean;
}

export interface SendResult {
  message: WhatsappMessage;
  conversation: ConversationRecord;
  isNewConversation: boolean;
}

export interface ReceiveRequest {
  whatsappConfigId: string;
  phone: string;
  /** The sender's WhatsApp profile name: names a new contact, renames an existing one. */
  profileName?: string | undefined;
  fields: DraftFields & { reacted_to_message_id?: string | undefined };
  /** A wamid to use instead of a new one (deterministic tests). */
  whatsappMessageId?: string | undefined;
}

/** Outbound statuses in the order a message lives them; failed ends it. */
const ORDER: Record<string, number> = { sent: 0, delivered: 1, read: 2 };
const STATUS_EVENT = { delivered: 'whatsapp.message.delivered', read: 'whatsapp.message.read', failed: 'whatsapp.message.failed' } as const;
const TYPE = 'whatsapp_message';
/** Messages moved per round of the automatic statuses (the scheduler calls again while more are due). */
const BATCH = 500;

export function createWhatsappMessageRepository({ db, clock, events, repos }: RepoContext) {
  const insert = db.prepare<[MessageRow & { project_id: string }]>(
    `INSERT INTO whatsapp_messages (project_id, ${COLUMNS}) VALUES (@project_id, @id, @conversation_id, @whatsapp_config_id, @phone_number,
       @direction, @message_type, @content, @status, @processing_status, @whatsapp_message_id, @media_url, @message_type_data, @metadata,
       @template_id, @error, @graph, @sent_at, @delivered_at, @read_at, @failed_at, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], MessageRow>(`SELECT ${COLUMNS} FROM whatsapp_messages WHERE project_id = ? AND id = ?`);
  const inConversation = db.prepare<[string, string, string, string], { id: string; whatsapp_message_id: string }>(
    `SELECT id, whatsapp_message_id FROM whatsapp_messages
     WHERE project_id = ? AND conversation_id = ? AND (id = ? OR whatsapp_message_id = ?)`,
  );
  const setStatus = db.prepare<[{
    project: string; id: string; status: string; error: string | null; delivered_at: string | null; read_at: string | null; failed_at: string | null; at: string;
  }]>(
    `UPDATE whatsapp_messages SET status = @status, error = @error, delivered_at = @delivered_at, read_at = @read_at, failed_at = @failed_at,
       updated_at = @at WHERE project_id = @project AND id = @id`,
  );
  const holders = db.prepare<[string], string>('SELECT project_id FROM whatsapp_messages WHERE id = ? ORDER BY project_id').pluck();
  const configHolders = db.prepare<[string], string>('SELECT project_id FROM whatsapp_configs WHERE id = ? ORDER BY project_id').pluck();
  const earliestSent = db.prepare<[], string | null>(
    "SELECT min(sent_at) FROM whatsapp_messages WHERE direction = 'outbound' AND status = 'sent'",
  ).pluck();
  const earliestDelivered = db.prepare<[], string | null>(
    "SELECT min(delivered_at) FROM whatsapp_messages WHERE direction = 'outbound' AND status = 'delivered'",
  ).pluck();
  const awaitingDelivery = db.prepare<[string, number], { project_id: string; id: string; since: string }>(
    `SELECT project_id, id, sent_at AS since FROM whatsapp_messages
     WHERE direction = 'outbound' AND status = 'sent' AND sent_at <= ? ORDER BY sent_at LIMIT ?`,
  );
  const awaitingRead = db.prepare<[string, number], { project_id: string; id: string; since: string }>(
    `SELECT project_id, id, delivered_at AS since FROM whatsapp_messages
     WHERE direction = 'outbound' AND status = 'delivered' AND delivered_at <= ? ORDER BY delivered_at LIMIT ?`,
  );
  const firstConfig = db.prepare<[{ project: string; customer: string | null }], string>(
    'SELECT id FROM whatsapp_configs WHERE project_id = @project AND (@customer IS NULL OR customer_id = @customer) ORDER BY created_at, id LIMIT 1',
  ).pluck();
  const list = MessageList.prepare(db);
  UnreadMessages.prepare(db);
  const numberList = NumberMessageList.prepare(db);
  const byWamid = db.prepare<[string, string, string], MessageRow>(
    `SELECT ${COLUMNS} FROM whatsapp_messages WHERE project_id = ? AND whatsapp_config_id = ? AND whatsapp_message_id = ?`,
  );
  const unique = uniqueRules({ 'whatsapp_messages.project_id, whatsapp_messages.whatsapp_message_id': 'Whatsapp message has already been taken' });

  const write = (projectId: string, m: MessageRecord) =>
    unique(() => insert.run({
      ...m,
      message_type_data: JSON.stringify(m.message_type_data),
      metadata: JSON.stringify(m.metadata),
      error: m.error === null ? null : JSON.stringify(m.error),
      graph: m.graph ? JSON.stringify(m.graph) : null,
      project_id: projectId,
    }));

  const refOf = (m: MessageRecord) => ({ message_id: m.id, conversation_id: m.conversation_id, whatsapp_config_id: m.whatsapp_config_id });

  /** The message a reaction answers: by ID or wamid, in the same conversation. */
  const reactedTo = (projectId: string, conversationId: string | undefined, ref: string | undefined) => {
    const found = conversationId === undefined || ref === undefined ? undefined : inConversation.get(projectId, conversationId, ref.toLowerCase(), ref);
    if (!found) throw new RecordInvalid('reacted_to_message_id must be a message of this conversation', { kind: 'validation' });
    return found;
  };

  /** The draft of an outbound message, after the template rules (they need the config's business account). */
  const outboundDraft = (projectId: string, whatsappConfigId: string, phone: string, conversationId: string | undefined, request: SendRequest): MessageDraft => {
    const f = request.fields;
    if (f.message_type !== 'template') return draftOf(f, f.message_type === 'reaction' ? reactedTo(projectId, conversationId, f.reacted_to_message_id) : undefined);
    let template = request.template;
    if (!template) {
      const waba = repos.whatsappConfigs.get(projectId, whatsappConfigId)?.business_account_id;
      template = waba === undefined ? undefined : repos.whatsappTemplates.findByName(projectId, waba, f.template_name ?? '', f.template_language);
      if (!template) {
        const language = f.template_language ? ` (${f.template_language})` : '';
        throw new SendRefused('template_missing', `Template ${f.template_name}${language} not found on this WhatsApp configuration's business account`);
      }
    }
    // The user asked WhatsApp to stop marketing messages from the business: Kapso refuses before Meta is reached.
    if (template.category === 'MARKETING' && repos.whatsappContacts.marketingStopped(projectId, phone)) {
      throw new SendRefused('marketing_stopped', 'Contact stopped marketing messages on this WhatsApp number');
    }
    const filled = fillTemplate(template, {
      params: f.template_params, header_type: f.header_type, header_params: f.header_params, header_filename: f.header_filename,
    });
    return templateDraft(template, filled);
  };

  const windowOpen = (projectId: string, whatsappConfigId: string, phone: string, now: number): boolean => {
    const last = repos.whatsappConversations.lastInboundAt(projectId, whatsappConfigId, phone);
    return last !== undefined && now - Date.parse(last) <= WINDOW_MS;
  };

  const sendTx = db.transaction((projectId: string, target: SendTarget, request: SendRequest, opts: SendOptions): SendResult => {
    const conversations = repos.whatsappConversations;
    let conversation = 'conversationId' in target
      ? conversations.record(projectId, target.conversationId)
      : conversations.active(projectId, target.whatsappConfigId, target.phone);
    if (!conversation && 'conversationId' in target) throw new Error(`no conversation ${target.conversationId}`);
    const whatsappConfigId = conversation?.whatsapp_config_id ?? (target as { whatsappConfigId: string }).whatsappConfigId;
    const phone = conversation?.phone_number ?? (target as { phone: string }).phone;
    const now = clock.now();

    if (conversation && opts.checkBlocked !== false && conversations.sendBlocked(projectId, conversation.id)) {
      throw new SendRefused('blocked', 'An agent execution is active on this conversation');
    }
    if (request.fields.message_type !== 'template' && opts.enforceWindow && !windowOpen(projectId, whatsappConfigId, phone, now)) {
      throw new SendRefused('window', OUTSIDE_WINDOW);
    }
    // On a shared number another app may handle the conversation (thread control): only templates get through,
    // unless the send takes the conversation back (X-Kapso-Take-Control).
    if (conversation && conversation.thread_owner === 'other' && request.fields.message_type !== 'template') {
      if (!opts.takeControl) throw new SendRefused('thread', 'Another app controls this conversation. Automated Service messages are blocked; templates are still allowed.');
      conversations.setThreadOwner(projectId, conversation.id, 'kapso');
    }
    const draft = outboundDraft(projectId, whatsappConfigId, phone, conversation?.id, request);

    const isNewConversation = conversation === undefined;
    if (!conversation) {
      conversation = conversations.open(projectId, whatsappConfigId, phone);
      const config = repos.whatsappConfigs.get(projectId, whatsappConfigId);
      repos.whatsappContacts.touch(projectId, phone, { customerId: config?.customer_id ?? null });
    }
    const at = clock.iso();
    const message: MessageRecord = {
      ...draft,
      id: newId(),
      conversation_id: conversation.id,
      whatsapp_config_id: whatsappConfigId,
      phone_number: phone,
      direction: 'outbound',
      status: 'sent',
      processing_status: 'processed',
      whatsapp_message_id: newWamid(phone),
      error: null,
      graph: request.graph ?? null,
      sent_at: at,
      delivered_at: null,
      read_at: null,
      failed_at: null,
      created_at: at,
      updated_at: at,
    };
    write(projectId, message);
    conversations.touch(projectId, conversation.id, 'outbound', at);
    events.publish('whatsapp.message.sent', projectId, refOf(message));
    return { message: toMessage(message), conversation: conversations.record(projectId, conversation.id)!, isNewConversation };
  });

  const receiveTx = db.transaction((projectId: string, r: ReceiveRequest): SendResult => {
    const conversations = repos.whatsappConversations;
    const config = repos.whatsappConfigs.get(projectId, r.whatsappConfigId);
    if (!config) throw new Error(`no WhatsApp config ${r.whatsappConfigId}`);
    let conversation = conversations.active(projectId, r.whatsappConfigId, r.phone);
    const reaction = r.fields.message_type === 'reaction' ? reactedTo(projectId, conversation?.id, r.fields.reacted_to_message_id) : undefined;
    const draft = draftOf(r.fields, reaction);
    const isNewConversation = conversation === undefined;
    conversation ??= conversations.open(projectId, r.whatsappConfigId, r.phone);
    repos.whatsappContacts.touch(projectId, r.phone, { profileName: r.profileName, customerId: config.customer_id ?? null });
    const at = clock.iso();
    const message: MessageRecord = {
      ...draft,
      id: newId(),
      conversation_id: conversation.id,
      whatsapp_config_id: r.whatsappConfigId,
      phone_number: r.phone,
      direction: 'inbound',
      status: 'received',
      processing_status: 'processed',
      whatsapp_message_id: r.whatsappMessageId ?? newWamid(r.phone),
      error: null,
      sent_at: null,
      delivered_at: null,
      read_at: null,
      failed_at: null,
      created_at: at,
      updated_at: at,
    };
    write(projectId, message);
    conversations.touch(projectId, conversation.id, 'inbound', at);
    events.publish('whatsapp.message.received', projectId, refOf(message));
    return { message: toMessage(message), conversation: conversations.record(projectId, conversation.id)!, isNewConversation };
  });

  /** Moves an outbound message's status at `at`, with the events of every step it passes; the same status changes nothing. */
  const move = (projectId: string, current: MessageRecord, status: 'sent' | 'delivered' | 'read' | 'failed', error: MessageError | undefined, at: string): MessageRecord => {
    if (current.direction !== 'outbound') throw new RecordInvalid('Only outbound messages have a delivery status', { kind: 'validation' });
    if (error && status !== 'failed') throw new RecordInvalid('error is only given with status failed', { kind: 'validation' });
    if (current.status === status && status !== 'failed') return current;
    if (current.status === 'failed') {
      if (status === 'failed') return current;
      throw new RecordInvalid('A failed message keeps its status', { kind: 'validation' });
    }
    const next = { ...current, updated_at: at };
    const steps: ('delivered' | 'read' | 'failed')[] = [];
    if (status === 'failed') {
      if (current.status === 'read') throw new RecordInvalid('A read message cannot fail', { kind: 'validation' });
      Object.assign(next, { status, failed_at: at, error: error ?? DEFAULT_ERROR });
      steps.push('failed');
    } else {
      if (ORDER[status]! < ORDER[current.status]!) throw new RecordInvalid(`Cannot move a ${current.status} message back to ${status}`, { kind: 'validation' });
      next.status = status;
      if (ORDER[status]! >= 1 && current.delivered_at === null) {
        next.delivered_at = at;
        steps.push('delivered');
      }
      if (status === 'read') {
        next.read_at = at;
        steps.push('read');
      }
    }
    setStatus.run({
      project: projectId, id: current.id, status: next.status, error: next.error === null ? null : JSON.stringify(next.error),
      delivered_at: next.delivered_at, read_at: next.read_at, failed_at: next.failed_at, at,
    });
    for (const step of steps) events.publish(STATUS_EVENT[step], projectId, refOf(next));
    return next;
  };

  const moveTx = db.transaction((projectId: string, id: string, status: 'sent' | 'delivered' | 'read' | 'failed', error: MessageError | undefined, at: string) => {
    const row = byId.get(projectId, id);
    return row && move(projectId, toRecord(row), status, error, at);
  });

  const markReadTx = db.transaction((projectId: string, id: string): { found: false } | { found: true; inbound: boolean; message: WhatsappMessage } => {
    const row = byId.get(projectId, id);
    if (!row) return { found: false };
    const message = toRecord(row);
    if (message.direction !== 'inbound') return { found: true, inbound: false, message: toMessage(message) };
    if (message.status === 'read') return { found: true, inbound: true, message: toMessage(message) };
    const at = clock.iso();
    setStatus.run({ project: projectId, id, status: 'read', error: row.error, delivered_at: row.delivered_at, read_at: at, failed_at: row.failed_at, at });
    events.publish('record.updated', projectId, { type: TYPE, id });
    return { found: true, inbound: true, message: toMessage({ ...message, status: 'read', read_at: at, updated_at: at }) };
  });

  /** One round of automatic statuses: what was sent `deliveredAfterMs` ago is delivered, what was delivered `readAfterMs` ago is read. */
  const autoRound = db.transaction((now: number, deliveredAfterMs: number, readAfterMs: number): void => {
    for (const m of awaitingDelivery.all(new Date(now - deliveredAfterMs).toISOString(), BATCH)) {
      moveTx(m.project_id, m.id, 'delivered', undefined, new Date(Date.parse(m.since) + deliveredAfterMs).toISOString());
    }
    for (const m of awaitingRead.all(new Date(now - readAfterMs).toISOString(), BATCH)) {
      moveTx(m.project_id, m.id, 'read', undefined, new Date(Date.parse(m.since) + readAfterMs).toISOString());
    }
  });

  return {
    /** Writes a message as given (fixtures) and moves its conversation's times. */
    insert(projectId: string, message: MessageRecord): void {
      write(projectId, message);
      repos.whatsappConversations.touch(projectId, message.conversation_id, message.direction, message.created_at);
    },

    get(projectId: string, id: string): WhatsappMessage | undefined {
      const row = byId.get(projectId, id);
      return row && toMessage(toRecord(row));
    },

    /** How many messages a conversation holds, from the list's maintained counter. */
    countIn(projectId: string, conversationId: string): number {
      return list.total([projectId, conversationId]);
    },

    /** The stored message (status times, error). */
    record(projectId: string, id: string): MessageRecord | undefined {
      const row = byId.get(projectId, id);
      return row && toRecord(row);
    },

    /** A page of a conversation's messages, newest first. */
    list: (projectId: string, conversationId: string, query: Record<string, unknown>) => list.page([projectId, conversationId], query),

    /** A number's messages (the Meta proxy), newest first, one keyset page. */
    byNumber: (projectId: string, whatsappConfigId: string, query: Record<string, unknown>) => numberList.cursor([projectId, whatsappConfigId], query),

    /** The message with this WhatsApp message ID on a config (the Meta proxy names messages so). */
    byWhatsappId(projectId: string, whatsappConfigId: string, wamid: string): MessageRecord | undefined {
      const row = byWamid.get(projectId, whatsappConfigId, wamid);
      return row && toRecord(row);
    },

    /** Sends an outbound message under the rules above; throws SendRefused (nothing stored) when one refuses it. */
    send: (projectId: string, target: SendTarget, request: SendRequest, opts: SendOptions): SendResult => sendTx.immediate(projectId, target, request, opts),

    /** Stores a message a WhatsApp user sent to the config (the control plane's simulation). */
    receive: (projectId: string, request: ReceiveRequest): SendResult => receiveTx.immediate(projectId, request),

    /** Marks an inbound message read (an already read one is left as it is). */
    markRead: (projectId: string, id: string) => markReadTx.immediate(projectId, id),

    /** Moves an outbound message to a status (undefined: no such message); RecordInvalid for a move a message cannot make. */
    moveStatus(projectId: string, id: string, status: 'sent' | 'delivered' | 'read' | 'failed', error?: MessageError): MessageRecord | undefined {
      return moveTx.immediate(projectId, id, status, error, clock.iso());
    },

    /** When the next automatic status is due (mock-clock ms), or undefined when no message waits for one. */
    nextAutoStatus(deliveredAfterMs: number, readAfterMs: number): number | undefined {
      const sent = earliestSent.get();
      const delivered = earliestDelivered.get();
      const due = [sent && Date.parse(sent) + deliveredAfterMs, delivered && Date.parse(delivered) + readAfterMs].filter((t): t is number => typeof t === 'number');
      return due.length === 0 ? undefined : Math.min(...due);
    },

    /** Moves what is due at `now` one round along sent -> delivered -> read. */
    runAutoStatus(now: number, deliveredAfterMs: number, readAfterMs: number): void {
      autoRound.immediate(now, deliveredAfterMs, readAfterMs);
    },

    /** The config a send by phone number goes from when it names none: the project's (or the customer's) first, by creation. */
    defaultConfig(projectId: string, customerId?: string): string | undefined {
      return firstConfig.get({ project: projectId, customer: customerId ?? null });
    },

    /** The conversation a fixture message belongs to. */
    conversation: (projectId: string, id: string): ConversationRecord | undefined => repos.whatsappConversations.record(projectId, id),

    /** The projects that hold a message with this ID (the control plane's lookups). */
    holders: (id: string): string[] => holders.all(id),

    /** The projects that hold a WhatsApp config with this ID (the inbound simulation names one). */
    configHolders: (id: string): string[] => configHolders.all(id),
  };
}

export type WhatsappMessageRepository = ReturnType<typeof createWhatsappMessageRepository>;
