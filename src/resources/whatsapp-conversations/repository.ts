// WhatsApp conversations: a customer's phone number on one WhatsApp config. A number has at most
// one active conversation per config (a partial unique index says so too): new messages reuse it,
// otherwise a new one opens. last_active_at moves with every message; last_inbound_at is where
// the 24-hour window runs from.
import { isConstraintError } from '../../db/constraints.js';
import { RecordInvalid } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import { displayPhone, normalizePhone } from '../../lib/phone.js';
import type { RepoContext } from '../../lib/resource.js';
import type { JsonObject } from '../../lib/schemas.js';
import { MessageList, UnreadMessages } from '../whatsapp-messages/repository.js';
import type { WhatsappConversation } from './schemas.js';

/** A conversation as stored. */
export interface ConversationRecord {
  id: string;
  whatsapp_config_id: string;
  phone_number: string;
  status: 'active' | 'ended';
  last_active_at: string;
  last_inbound_at: string | null;
  last_outbound_at: string | null;
  ended_at: string | null;
  metadata: JsonObject;
  /** Who handles the conversation on a shared number (thread control): Kapso's app, or another one. Absent: Kapso. */
  thread_owner?: 'kapso' | 'other';
  created_at: string;
  updated_at: string;
}

type ConversationRow = Omit<ConversationRecord, 'metadata'> & { metadata: string; contact_name: string | null };

const STORED = `w.id, w.whatsapp_config_id, w.phone_number, w.status, w.last_active_at, w.last_inbound_at, w.last_outbound_at,
  w.ended_at, w.metadata, w.thread_owner, w.created_at, w.updated_at`;
const COLUMNS = `${STORED}, ct.profile_name AS contact_name`;
const CONTACT = 'LEFT JOIN whatsapp_contacts ct ON ct.project_id = w.project_id AND ct.wa_id = w.phone_number';
const TYPE = 'whatsapp_conversation';

export function toConversation(row: Pick<ConversationRow, 'id' | 'phone_number' | 'status' | 'last_active_at' | 'whatsapp_config_id' | 'contact_name'>): WhatsappConversation {
  const conversation: WhatsappConversation = {
    id: row.id,
    phone_number: displayPhone(row.phone_number),
    status: row.status,
    last_active_at: row.last_active_at,
    whatsapp_config_id: row.whatsapp_config_id,
  };
  if (row.contact_name !== null) conversation.contact_name = row.contact_name;
  return conversation;
}

const toRecord = ({ contact_name: _name, ...row }: ConversationRow): ConversationRecord => ({ ...row, metadata: JSON.parse(row.metadata) as JsonObject });

/** GET /whatsapp_conversations: by last activity, newest first; the main spec's filters and the later revision's. */
export const ConversationList = defineList<ConversationRow, WhatsappConversation>({
  name: 'whatsapp_conversations',
  table: 'whatsapp_conversations',
  alias: 'w',
  join: `${CONTACT} JOIN whatsapp_configs c ON c.project_id = w.project_id AND c.id = w.whatsapp_config_id`,
  // One contact per (project, number) at most; the config is a NOT NULL foreign key.
  joinKeepsRows: true,
  columns: COLUMNS,
  scope: ['project_id'],
  order: 'last_active_at',
  filters: {
    status: 'eq',
    last_active_at: ['gteq', 'lteq'],
    whatsapp_config_id: 'eq',
    whatsapp_config_customer_id: { predicates: ['eq'], column: 'c.customer_id', label: 'Customer ID of the WhatsApp config' },
    phone_number: { predicates: ['eq'], normalize: normalizePhone, label: 'Phone number (any spelling)' },
  },
  pagination: 'meta',
  map: toConversation,
});

/** A conversation as the inspector's inbox lists it: the API's shape, its times, its last message and how many inbound messages are unread. */
export interface ConversationOverview extends WhatsappConversation {
  last_inbound_at: string | null;
  last_outbound_at: string | null;
  ended_at: string | null;
  created_at: string;
  last_message: { id: string; direction: 'inbound' | 'outbound'; message_type: string; content: string; status: string; created_at: string } | null;
  unread_count: number;
}

type OverviewRow = ConversationRow & { last_message: string | null; unread_count: number };

const LAST_MESSAGE = `(SELECT json_object('id', m.id, 'direction', m.direction, 'message_type', m.message_type, 'content', m.content, 'status', m.status,
    'created_at', m.created_at)
  FROM whatsapp_messages m WHERE m.project_id = w.project_id AND m.conversation_id = w.id ORDER BY m.created_at DESC, m.id DESC LIMIT 1)`;
const UNREAD = UnreadMessages.countSql(['w.project_id', 'w.id']);
const OVERVIEW_COLUMNS = `${COLUMNS}, ${LAST_MESSAGE} AS last_message, ${UNREAD} AS unread_count`;

const toOverview = (row: OverviewRow): ConversationOverview => ({
  ...toConversation(row),
  last_inbound_at: row.last_inbound_at,
  last_outbound_at: row.last_outbound_at,
  ended_at: row.ended_at,
  created_at: row.created_at,
  last_message: row.last_message === null ? null : (JSON.parse(row.last_message) as ConversationOverview['last_message']),
  unread_count: row.unread_count,
});

/** Search text: a number in any spelling is matched by its digits ("+1 (555) 010" finds 15550102030), anything else as a name. */
const searchText = (text: string) => (/^[\d\s()+.-]+$/.test(text) && /\d/.test(text) ? text.replace(/\D/g, '') : text.toLowerCase());

/**
 * The control plane's inbox (GET /__admin/projects/{id}/conversations): the same order as the API's
 * list, with the last message, and one Ransack search over the contact's name or the number
 * (`q[contact_name_or_phone_number_cont]`, Ransack's `_or_` attribute).
 */
export const ConversationOverviewList = defineList<OverviewRow, ConversationOverview>({
  name: 'whatsapp_conversation_overview',
  table: 'whatsapp_conversations',
  alias: 'w',
  join: CONTACT,
  joinKeepsRows: true, // one contact per (project, number) at most
  columns: OVERVIEW_COLUMNS,
  scope: ['project_id'],
  order: 'last_active_at',
  filters: {
    id: 'eq',
    status: 'eq',
    whatsapp_config_id: 'eq',
    contact_name_or_phone_number: {
      predicates: ['cont'],
      column: "(ifnull(ct.profile_name, '') || ' ' || w.phone_number)",
      normalize: searchText,
      label: "The contact's name or the phone number (digits of any spelling)",
    },
  },
  pagination: 'meta',
  map: toOverview,
});

/** A conversation as the Meta proxy shows it: the stored one with its contact and its messages' summary. */
export interface NumberConversationRow extends ConversationRow {
  messages_count: number;
  /** JSON [id, wamid, message_type, created_at, content] of the newest message, or null. */
  last_message: string | null;
}

/**
 * GET /{phone_number_id}/conversations on the Meta proxy: a number's conversations by last activity,
 * newest first, by keyset cursor; the route maps the SDK's filters onto these keys.
 */
export const NumberConversationList = defineList<NumberConversationRow, NumberConversationRow>({
  name: 'whatsapp_conversations_by_number',
  table: 'whatsapp_conversations',
  alias: 'w',
  join: CONTACT,
  columns: `${COLUMNS},
    ${MessageList.countSql(['w.project_id', 'w.id'])} AS messages_count,
    (SELECT json_array(m.id, m.whatsapp_message_id, m.message_type, m.created_at, m.content) FROM whatsapp_messages m
     WHERE m.project_id = w.project_id AND m.conversation_id = w.id ORDER BY m.created_at DESC, m.id DESC LIMIT 1) AS last_message`,
  scope: ['project_id', 'whatsapp_config_id'],
  order: 'last_active_at',
  filters: {
    status: 'eq',
    last_active_at: ['gteq', 'lteq'],
    phone_number: { predicates: ['eq'], normalize: normalizePhone, label: 'Phone number (any spelling)' },
  },
  pagination: 'cursor',
});

/** Answers whether an agent execution keeps manual messages out of a conversation (the executions family registers one). */
export type SendGuard = (projectId: string, conversationId: string) => boolean;

export function createWhatsappConversationRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[Omit<ConversationRecord, 'metadata'> & { metadata: string; project_id: string }]>(
    `INSERT INTO whatsapp_conversations (project_id, id, whatsapp_config_id, phone_number, status, last_active_at, last_inbound_at,
       last_outbound_at, ended_at, metadata, created_at, updated_at)
     VALUES (@project_id, @id, @whatsapp_config_id, @phone_number, @status, @last_active_at, @last_inbound_at,
       @last_outbound_at, @ended_at, @metadata, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], ConversationRow>(`SELECT ${COLUMNS} FROM whatsapp_conversations w ${CONTACT} WHERE w.project_id = ? AND w.id = ?`);
  const overviewById = db.prepare<[string, string], OverviewRow>(`SELECT ${OVERVIEW_COLUMNS} FROM whatsapp_conversations w ${CONTACT} WHERE w.project_id = ? AND w.id = ?`);
  const active = db.prepare<[string, string, string], ConversationRow>(
    `SELECT ${COLUMNS} FROM whatsapp_conversations w ${CONTACT} WHERE w.project_id = ? AND w.whatsapp_config_id = ? AND w.phone_number = ? AND w.status = 'active'`,
  );
  const lastInbound = db.prepare<[string, string, string], string | null>(
    'SELECT max(last_inbound_at) FROM whatsapp_conversations WHERE project_id = ? AND whatsapp_config_id = ? AND phone_number = ?',
  ).pluck();
  const setStatus = db.prepare<[string, string | null, string, string, string]>(
    'UPDATE whatsapp_conversations SET status = ?, ended_at = ?, updated_at = ? WHERE project_id = ? AND id = ?',
  );
  const touch = db.prepare<{ project: string; id: string; at: string; inbound: 0 | 1 }>(
    `UPDATE whatsapp_conversations SET
       last_active_at = max(last_active_at, @at),
       last_inbound_at = CASE WHEN @inbound = 1 THEN max(ifnull(last_inbound_at, ''), @at) ELSE last_inbound_at END,
       last_outbound_at = CASE WHEN @inbound = 0 THEN max(ifnull(last_outbound_at, ''), @at) ELSE last_outbound_at END,
       updated_at = @at
     WHERE project_id = @project AND id = @id`,
  );
  const holders = db.prepare<[string], string>('SELECT project_id FROM whatsapp_conversations WHERE id = ? ORDER BY project_id').pluck();
  const list = ConversationList.prepare(db);
  const overviews = ConversationOverviewList.prepare(db);
  const guards = new Set<SendGuard>();

  const oneActive = (write: () => void) => {
    try {
      write();
    } catch (err) {
      if (isConstraintError(err) && err.message.includes('whatsapp_conversations.project_id, whatsapp_conversations.whatsapp_config_id, whatsapp_conversations.phone_number')) {
        throw new RecordInvalid('Another conversation with this phone number is active on this WhatsApp configuration', { kind: 'validation' });
      }
      throw err;
    }
  };

  const write = (projectId: string, { thread_owner: _owner, ...c }: ConversationRecord) => insert.run({ ...c, metadata: JSON.stringify(c.metadata), project_id: projectId });
  const numberList = NumberConversationList.prepare(db);
  const numberOne = db.prepare<[string, string], NumberConversationRow>(
    `SELECT ${NumberConversationList.decl.columns} FROM whatsapp_conversations w ${CONTACT} WHERE w.project_id = ? AND w.id = ?`,
  );
  const setOwner = db.prepare<[string, string, string, string]>('UPDATE whatsapp_conversations SET thread_owner = ?, updated_at = ? WHERE project_id = ? AND id = ?');

  const changeStatus = (projectId: string, id: string, status: 'active' | 'ended'): WhatsappConversation | undefined => {
    const row = byId.get(projectId, id);
    if (!row) return undefined;
    if (row.status === status) return toConversation(row);
    const now = clock.iso();
    oneActive(() => setStatus.run(status, status === 'ended' ? now : null, now, projectId, id));
    if (status === 'ended') events.publish('whatsapp.conversation.ended', projectId, { conversation_id: id, whatsapp_config_id: row.whatsapp_config_id });
    else events.publish('record.updated', projectId, { type: TYPE, id });
    return toConversation({ ...row, status });
  };

  return {
    /** Writes a conversation as given (fixtures). */
    insert(projectId: string, c: ConversationRecord): void {
      oneActive(() => write(projectId, c));
    },

    get(projectId: string, id: string): WhatsappConversation | undefined {
      const row = byId.get(projectId, id);
      return row && toConversation(row);
    },

    /** The stored conversation. */
    record(projectId: string, id: string): ConversationRecord | undefined {
      const row = byId.get(projectId, id);
      return row && toRecord(row);
    },

    /** A number's conversations (the Meta proxy), most recently active first, one keyset page. */
    byNumber: (projectId: string, whatsappConfigId: string, query: Record<string, unknown>) => numberList.cursor([projectId, whatsappConfigId], query),

    /** One conversation with its messages' summary (the Meta proxy). */
    withSummary: (projectId: string, id: string): NumberConversationRow | undefined => numberOne.get(projectId, id),

    /** Thread control: who handles the conversation now. */
    setThreadOwner: db.transaction((projectId: string, id: string, owner: 'kapso' | 'other'): void => {
      setOwner.run(owner, clock.iso(), projectId, id);
      events.publish('record.updated', projectId, { type: TYPE, id });
    }),

    /** A page of the project's conversations, most recently active first. */
    list: (projectId: string, query: Record<string, unknown>) => list.page([projectId], query),

    /** The control plane's inbox: a page of overviews, most recently active first. */
    overviews: (projectId: string, query: Record<string, unknown>) => overviews.page([projectId], query),

    /** One conversation's overview. */
    overview(projectId: string, id: string): ConversationOverview | undefined {
      const row = overviewById.get(projectId, id);
      return row && toOverview(row);
    },

    /** Ends the conversation or opens it again; the same status changes nothing. */
    setStatus: db.transaction((projectId: string, id: string, status: 'active' | 'ended') => changeStatus(projectId, id, status)),

    /** The number's active conversation on the config. */
    active(projectId: string, whatsappConfigId: string, phone: string): ConversationRecord | undefined {
      const row = active.get(projectId, whatsappConfigId, phone);
      return row && toRecord(row);
    },

    /** Opens a conversation for the number on the config (call inside the message's transaction). */
    open(projectId: string, whatsappConfigId: string, phone: string): ConversationRecord {
      const now = clock.iso();
      const c: ConversationRecord = {
        id: newId(), whatsapp_config_id: whatsappConfigId, phone_number: phone, status: 'active', last_active_at: now,
        last_inbound_at: null, last_outbound_at: null, ended_at: null, metadata: {}, created_at: now, updated_at: now,
      };
      oneActive(() => write(projectId, c));
      events.publish('whatsapp.conversation.created', projectId, { conversation_id: c.id, whatsapp_config_id: whatsappConfigId });
      return c;
    },

    /** When the number last wrote to the config (any of its conversations), or undefined when it never did. */
    lastInboundAt(projectId: string, whatsappConfigId: string, phone: string): string | undefined {
      return lastInbound.get(projectId, whatsappConfigId, phone) ?? undefined;
    },

    /** A message moved the conversation: last_active_at and the direction's last time (call inside the message's transaction). */
    touch(projectId: string, id: string, direction: 'inbound' | 'outbound', at: string): void {
      touch.run({ project: projectId, id, at, inbound: direction === 'inbound' ? 1 : 0 });
    },

    /**
     * The one place that answers whether a manual message may not be sent now: an agent
     * execution on the conversation is active and not in handoff, failed or stopped. The agent
     * executions family registers its check with addSendGuard(); until then nothing blocks.
     */
    sendBlocked(projectId: string, conversationId: string): boolean {
      for (const guard of guards) if (guard(projectId, conversationId)) return true;
      return false;
    },

    /** Registers a check for sendBlocked(); the returned function removes it. */
    addSendGuard(guard: SendGuard): () => void {
      guards.add(guard);
      return () => guards.delete(guard);
    },

    /** The projects that hold a conversation with this ID (the control plane's lookups). */
    holders: (id: string): string[] => holders.all(id),
  };
}

export type WhatsappConversationRepository = ReturnType<typeof createWhatsappConversationRepository>;
