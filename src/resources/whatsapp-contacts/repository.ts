// WhatsApp contacts: one per phone number (wa_id, digits only) and project. Addressed by UUID or
// by any spelling of the number. Conversations and inbound messages create them as needed.
import { uniqueRules } from '../../db/constraints.js';
import { RecordInvalid } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import { applyPatch } from '../../lib/patch.js';
import { normalizePhone } from '../../lib/phone.js';
import type { RepoContext } from '../../lib/resource.js';
import type { JsonObject } from '../../lib/schemas.js';
import type { ContactInput, ContactPatch, WhatsappContact } from './schemas.js';

export interface ContactRow {
  id: string;
  wa_id: string;
  profile_name: string | null;
  customer_id: string | null;
  metadata: string;
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, wa_id, profile_name, customer_id, metadata, created_at, updated_at';
const TYPE = 'whatsapp_contact';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toContact(row: ContactRow): WhatsappContact {
  return {
    id: row.id,
    wa_id: row.wa_id,
    ...(row.profile_name !== null && { profile_name: row.profile_name }),
    customer_id: row.customer_id,
    metadata: JSON.parse(row.metadata) as JsonObject,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

/** Digits of a partial number typed into a "contains" filter (`555 010` finds 15550102030). */
const digitsOf = (text: string) => text.replace(/\D/g, '') || undefined;

/** GET /whatsapp_contacts: the project's contacts, newest first, with the later revision's filters. */
export const ContactList = defineList<ContactRow, WhatsappContact>({
  name: 'whatsapp_contacts',
  table: 'whatsapp_contacts',
  columns: COLUMNS,
  scope: ['project_id'],
  filters: {
    customer_id: 'eq',
    profile_name: 'cont',
    wa_id: { predicates: ['cont'], normalize: digitsOf, label: 'Phone number (digits)' },
  },
  pagination: 'meta',
  map: toContact,
});

/** A contact as the Meta proxy shows it: with the display name the business gave it. */
export interface ProxyContactRow extends ContactRow {
  display_name: string | null;
  marketing_stopped_at: string | null;
}

const PROXY_COLUMNS = `${COLUMNS}, display_name, marketing_stopped_at`;

/** GET /{phone_number_id}/contacts on the Meta proxy: the project's contacts, newest first, by keyset cursor. */
export const ProxyContactList = defineList<ProxyContactRow, ProxyContactRow>({
  name: 'whatsapp_contacts_by_cursor',
  table: 'whatsapp_contacts',
  columns: PROXY_COLUMNS,
  scope: ['project_id'],
  filters: {
    wa_id: { predicates: ['eq'], normalize: normalizePhone, label: 'WhatsApp ID (any spelling of the number)' },
    customer_id: 'eq',
    has_customer: { predicates: ['eq'], column: '(whatsapp_contacts.customer_id IS NOT NULL)', values: { true: 1, false: 0 }, label: 'Has a customer' },
  },
  pagination: 'cursor',
});

/** A contact record as stored (fixtures, and the other inbox families' writes). */
export interface ContactRecord {
  id: string;
  wa_id: string;
  profile_name: string | null;
  customer_id: string | null;
  metadata: JsonObject;
  created_at: string;
  updated_at: string;
}

export function createWhatsappContactRepository({ db, clock, events, repos }: RepoContext) {
  const insert = db.prepare<[ContactRow & { project_id: string }]>(
    `INSERT INTO whatsapp_contacts (project_id, ${COLUMNS}) VALUES (@project_id, @id, @wa_id, @profile_name, @customer_id, @metadata, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], ContactRow>(`SELECT ${COLUMNS} FROM whatsapp_contacts WHERE project_id = ? AND id = ?`);
  const byWaId = db.prepare<[string, string], ContactRow>(`SELECT ${COLUMNS} FROM whatsapp_contacts WHERE project_id = ? AND wa_id = ?`);
  const update = db.prepare<[string | null, string, string, string, string]>(
    'UPDATE whatsapp_contacts SET profile_name = ?, metadata = ?, updated_at = ? WHERE project_id = ? AND id = ?',
  );
  const list = ContactList.prepare(db);
  const proxyList = ProxyContactList.prepare(db);
  const proxyByWaId = db.prepare<[string, string], ProxyContactRow>(`SELECT ${PROXY_COLUMNS} FROM whatsapp_contacts WHERE project_id = ? AND wa_id = ?`);
  const proxyUpdate = db.prepare<[string | null, string | null, string, string, string, string]>(
    'UPDATE whatsapp_contacts SET profile_name = ?, display_name = ?, metadata = ?, updated_at = ? WHERE project_id = ? AND id = ?',
  );
  const setMarketing = db.prepare<[string | null, string, string, string]>(
    'UPDATE whatsapp_contacts SET marketing_stopped_at = ?, updated_at = ? WHERE project_id = ? AND id = ?',
  );
  const unique = uniqueRules({ 'whatsapp_contacts.project_id, whatsapp_contacts.wa_id': 'Wa_id has already been taken' });

  const toRow = (c: ContactRecord): ContactRow => ({ ...c, metadata: JSON.stringify(c.metadata) });
  const requireCustomer = (projectId: string, customerId: string | null) => {
    if (customerId !== null && !repos.customers.get(projectId, customerId)) throw new RecordInvalid('Customer must exist');
  };

  /** The stored row for `{identifier}`: a UUID is an ID, anything else a phone number. */
  const find = (projectId: string, identifier: string): ContactRow | undefined => {
    if (UUID.test(identifier)) return byId.get(projectId, identifier.toLowerCase());
    const digits = normalizePhone(identifier);
    return digits === undefined ? undefined : byWaId.get(projectId, digits);
  };

  return {
    /** Writes a contact as given (fixtures); the customer must be the project's. */
    insert(projectId: string, contact: ContactRecord): void {
      requireCustomer(projectId, contact.customer_id);
      insert.run({ ...toRow(contact), project_id: projectId });
    },

    create: db.transaction((projectId: string, input: ContactInput): WhatsappContact => {
      const now = clock.iso();
      const customerId = input.customer_id ?? null;
      requireCustomer(projectId, customerId);
      const row = toRow({
        id: newId(), wa_id: input.wa_id, profile_name: input.profile_name ?? null, customer_id: customerId,
        metadata: input.metadata ?? {}, created_at: now, updated_at: now,
      });
      unique(() => insert.run({ ...row, project_id: projectId }));
      events.publish('record.created', projectId, { type: TYPE, id: row.id });
      return toContact(row);
    }),

    /** The contact with this UUID or phone number. */
    find(projectId: string, identifier: string): WhatsappContact | undefined {
      const row = find(projectId, identifier);
      return row && toContact(row);
    },

    /** The contact's ID for `{identifier}` (the notes' parent). */
    idOf(projectId: string, identifier: string): string | undefined {
      return find(projectId, identifier)?.id;
    },

    /** The contact of a phone number (digits). */
    byPhone(projectId: string, waId: string): WhatsappContact | undefined {
      const row = byWaId.get(projectId, waId);
      return row && toContact(row);
    },

    /** One keyset page of the project's contacts (the Meta proxy). */
    proxyList: (projectId: string, query: Record<string, unknown>) => proxyList.cursor([projectId], query),

    /** The contact of a number as the Meta proxy shows it. */
    proxyByPhone: (projectId: string, waId: string): ProxyContactRow | undefined => proxyByWaId.get(projectId, waId),

    /** The Meta proxy's update: profile_name, display_name (null clears it), metadata (replaced); updated_at moves only on a real change. */
    proxyUpdate: db.transaction((projectId: string, waId: string, patch: { profile_name?: string | undefined; display_name?: string | null | undefined; metadata?: JsonObject | undefined }) => {
      const row = proxyByWaId.get(projectId, waId);
      if (!row) return undefined;
      const next = {
        profile_name: patch.profile_name ?? row.profile_name,
        display_name: patch.display_name === undefined ? row.display_name : patch.display_name,
        metadata: patch.metadata === undefined ? row.metadata : JSON.stringify(patch.metadata),
      };
      if (next.profile_name === row.profile_name && next.display_name === row.display_name && next.metadata === row.metadata) return row;
      const at = clock.iso();
      proxyUpdate.run(next.profile_name, next.display_name, next.metadata, at, projectId, row.id);
      events.publish('record.updated', projectId, { type: TYPE, id: row.id });
      return { ...row, ...next, updated_at: at };
    }),

    /** Whether the number asked WhatsApp to stop marketing messages (a marketing template to it is refused). */
    marketingStopped: (projectId: string, waId: string): boolean => proxyByWaId.get(projectId, waId)?.marketing_stopped_at != null,

    /** The control plane: the user stops (or resumes) marketing messages; undefined when there is no such contact. */
    setMarketingStopped: db.transaction((projectId: string, waId: string, stopped: boolean): ProxyContactRow | undefined => {
      const row = proxyByWaId.get(projectId, waId);
      if (!row) return undefined;
      if ((row.marketing_stopped_at !== null) === stopped) return row;
      const at = clock.iso();
      setMarketing.run(stopped ? at : null, at, projectId, row.id);
      events.publish('record.updated', projectId, { type: TYPE, id: row.id });
      return { ...row, marketing_stopped_at: stopped ? at : null, updated_at: at };
    }),

    /** A page of the project's contacts, newest first, filtered as the query string asks. */
    list: (projectId: string, query: Record<string, unknown>) => list.page([projectId], query),

    /** Applies the fields given (metadata is replaced as a whole); updated_at moves only on a real change. */
    update: db.transaction((projectId: string, identifier: string, patch: ContactPatch): WhatsappContact | undefined => {
      const row = find(projectId, identifier);
      if (!row) return undefined;
      const current = toContact(row);
      const next = applyPatch(current, patch, ['profile_name', 'metadata']);
      if (!next) return current;
      next.updated_at = clock.iso();
      update.run(next.profile_name ?? null, JSON.stringify(next.metadata), next.updated_at, projectId, row.id);
      events.publish('record.updated', projectId, { type: TYPE, id: row.id });
      return next;
    }),

    /**
     * The contact of a number that wrote or was written to, made when it is new (with the
     * config's customer); a name WhatsApp reports replaces the stored one. Call inside the
     * message's transaction.
     */
    touch(projectId: string, waId: string, opts: { profileName?: string | undefined; customerId: string | null }): WhatsappContact {
      const row = byWaId.get(projectId, waId);
      const now = clock.iso();
      if (!row) {
        const created = toRow({
          id: newId(), wa_id: waId, profile_name: opts.profileName ?? null, customer_id: opts.customerId, metadata: {}, created_at: now, updated_at: now,
        });
        insert.run({ ...created, project_id: projectId });
        events.publish('record.created', projectId, { type: TYPE, id: created.id });
        return toContact(created);
      }
      if (opts.profileName === undefined || opts.profileName === row.profile_name) return toContact(row);
      update.run(opts.profileName, row.metadata, now, projectId, row.id);
      events.publish('record.updated', projectId, { type: TYPE, id: row.id });
      return toContact({ ...row, profile_name: opts.profileName, updated_at: now });
    },
  };
}

export type WhatsappContactRepository = ReturnType<typeof createWhatsappContactRepository>;
