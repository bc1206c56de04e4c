// WhatsApp message templates. A template belongs to a WhatsApp Business Account (every config of
// the project with that business_account_id can send it) and to the customer of the config it
// was made for; it carries Meta's numeric template ID beside its UUID and Meta's components array,
// so the Meta proxy can list, create and approve the same rows per business account.
import { createHash, randomInt } from 'node:crypto';
import { RecordInvalid } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import { byCodeUnits } from '../../lib/order.js';
import type { RepoContext } from '../../lib/resource.js';
import type { JsonObject } from '../../lib/schemas.js';
import { bodyText, componentOf, parameterCount, type TemplateForSend } from './rules.js';
import type { MetaComponent, WhatsappTemplate } from './schemas.js';

/** A template as stored. */
export interface TemplateRecord extends TemplateForSend {
  id: string;
  meta_template_id: string;
  business_account_id: string;
  customer_id: string | null;
  category: WhatsappTemplate['category'];
  status: WhatsappTemplate['status'];
  metadata: JsonObject;
  created_at: string;
  updated_at: string;
}

interface TemplateRow extends Omit<TemplateRecord, 'components' | 'metadata'> {
  components: string;
  metadata: string;
  /** JSON array of [created_at, id] of the project's configs on the template's business account. */
  config_ids: string;
}

const STORED = `t.id, t.meta_template_id, t.business_account_id, t.customer_id, t.name, t.language_code, t.category, t.status,
  t.parameter_format, t.components, t.metadata, t.created_at, t.updated_at`;
// The configs that can send the template, as [created_at, id] pairs (sorted oldest first when mapped).
const COLUMNS = `${STORED},
  (SELECT json_group_array(json_array(c.created_at, c.id)) FROM whatsapp_configs c
   WHERE c.project_id = t.project_id AND c.business_account_id = t.business_account_id) AS config_ids`;

/** The configs' IDs, oldest config first (the one a send without a config goes from). */
const configIds = (json: string): string[] =>
  (JSON.parse(json) as [string, string][]).sort((a, b) => byCodeUnits(a[0], b[0]) || byCodeUnits(a[1], b[1])).map(([, id]) => id);

const toRecord = (row: TemplateRow): TemplateRecord => {
  const { config_ids: _ids, ...stored } = row;
  return { ...stored, components: JSON.parse(row.components) as MetaComponent[], metadata: JSON.parse(row.metadata) as JsonObject };
};

/** Meta's components array keyed by type, as /api/v1 shows them (the main spec types them as an object). */
function componentsObject(components: readonly MetaComponent[]): WhatsappTemplate['components'] {
  const out: WhatsappTemplate['components'] = {};
  const header = componentOf(components, 'HEADER');
  if (header?.format) out.header = { format: header.format, ...(header.text !== undefined && { text: header.text }), ...(header.example && { example: header.example }) };
  const body = componentOf(components, 'BODY');
  if (body) out.body = { text: body.text ?? '', ...(body.example && { example: body.example }) };
  const footer = componentOf(components, 'FOOTER');
  if (footer?.text !== undefined) out.footer = { text: footer.text };
  const buttons = componentOf(components, 'BUTTONS')?.buttons;
  if (buttons) out.buttons = buttons.map((b) => ({ type: b.type, text: b.text, ...(b.url !== undefined && { url: b.url }), ...(b.phone_number !== undefined && { phone_number: b.phone_number }) }));
  return out;
}

export function toTemplate(row: TemplateRow): WhatsappTemplate {
  const record = toRecord(row);
  return {
    id: record.id,
    name: record.name,
    language_code: record.language_code,
    category: record.category,
    status: record.status,
    content: bodyText(record.components),
    parameter_count: parameterCount(record.components),
    business_account_id: record.business_account_id,
    whatsapp_config_ids: configIds(row.config_ids),
    components: componentsObject(record.components),
    metadata: { meta_template_id: record.meta_template_id, parameter_format: record.parameter_format, ...record.metadata },
    created_at: record.created_at,
    updated_at: record.updated_at,
  };
}

/** GET /whatsapp_templates: newest first, with every filter of the spec (and the later revision's). */
export const TemplateList = defineList<TemplateRow, WhatsappTemplate>({
  name: 'whatsapp_templates',
  table: 'whatsapp_templates',
  alias: 't',
  columns: COLUMNS,
  scope: ['project_id'],
  filters: {
    name: 'cont',
    language_code: 'eq',
    category: 'eq',
    status: 'eq',
    customer_id: 'eq',
    business_account_id: 'eq',
  },
  pagination: 'meta',
  map: toTemplate,
});

/** Meta's template statuses as the proxy shows them (its spec's enum has no DISABLED: a disabled template reads REJECTED). */
export const META_STATUS: Record<WhatsappTemplate['status'], 'PENDING' | 'APPROVED' | 'REJECTED'> = {
  draft: 'PENDING', submitted: 'PENDING', approved: 'APPROVED', rejected: 'REJECTED', disabled: 'REJECTED',
};

/**
 * GET /{business_account_id}/message_templates on the Meta proxy: a business account's templates,
 * newest first, by keyset cursor, with Meta's filters (the route maps them onto these keys).
 */
export const BusinessTemplateList = defineList<TemplateRow, TemplateRecord>({
  name: 'whatsapp_templates_by_business_account',
  table: 'whatsapp_templates',
  alias: 't',
  columns: COLUMNS,
  scope: ['project_id', 'business_account_id'],
  filters: {
    name: 'eq',
    language_code: 'eq',
    category: 'eq',
    status: { predicates: ['in'] },
  },
  pagination: 'cursor',
  map: toRecord,
});

/** What the Meta proxy's create takes (Meta's fields). */
export interface TemplateDraft {
  name: string;
  language: string;
  category: WhatsappTemplate['category'];
  parameter_format: 'POSITIONAL' | 'NAMED';
  components: MetaComponent[];
}

/** A Meta template ID for a fixture template without one: 15 digits derived from its UUID, the same on every load. */
export const metaTemplateIdFor = (id: string): string =>
  String(100_000_000_000_000n + (BigInt(`0x${createHash('sha256').update(id).digest('hex').slice(0, 15)}`) % 900_000_000_000_000n));

export function createWhatsappTemplateRepository({ db, clock, events, repos }: RepoContext) {
  const insert = db.prepare<[Omit<TemplateRow, 'config_ids'> & { project_id: string }]>(
    `INSERT INTO whatsapp_templates (project_id, id, meta_template_id, business_account_id, customer_id, name, language_code, category, status,
       parameter_format, components, metadata, created_at, updated_at)
     VALUES (@project_id, @id, @meta_template_id, @business_account_id, @customer_id, @name, @language_code, @category, @status,
       @parameter_format, @components, @metadata, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], TemplateRow>(`SELECT ${COLUMNS} FROM whatsapp_templates t WHERE t.project_id = ? AND t.id = ?`);
  // Approved first, then the newest: a name in several languages without a language given picks one that can be sent.
  const byName = db.prepare<[{ project: string; waba: string; name: string; language: string | null }], TemplateRow>(
    `SELECT ${COLUMNS} FROM whatsapp_templates t
     WHERE t.project_id = @project AND t.business_account_id = @waba AND t.name = @name AND (@language IS NULL OR t.language_code = @language)
     ORDER BY t.status = 'approved' DESC, t.created_at DESC, t.id DESC LIMIT 1`,
  );
  const list = TemplateList.prepare(db);
  const businessList = BusinessTemplateList.prepare(db);
  const byMetaId = db.prepare<[string, string, string], TemplateRow>(
    `SELECT ${COLUMNS} FROM whatsapp_templates t WHERE t.project_id = ? AND t.business_account_id = ? AND t.meta_template_id = ?`,
  );
  const namedAll = db.prepare<[{ project: string; waba: string; name: string; language: string | null }], { id: string }>(
    `SELECT id FROM whatsapp_templates WHERE project_id = @project AND business_account_id = @waba AND name = @name
     AND (@language IS NULL OR language_code = @language)`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM whatsapp_templates WHERE project_id = ? AND id = ?');
  const change = db.prepare<[{ project: string; id: string; category: string; components: string; status: string; metadata: string; at: string }]>(
    `UPDATE whatsapp_templates SET category = @category, components = @components, status = @status, metadata = @metadata, updated_at = @at
     WHERE project_id = @project AND id = @id`,
  );
  const holders = db.prepare<[string], string>('SELECT project_id FROM whatsapp_templates WHERE id = ? ORDER BY project_id').pluck();
  const takenMetaId = db.prepare<[string], number>('SELECT 1 FROM whatsapp_templates WHERE meta_template_id = ?').pluck();
  const newMetaId = (): string => {
    for (;;) {
      const id = `1${String(randomInt(0, 100_000_000_000_000)).padStart(14, '0')}`;
      if (!takenMetaId.get(id)) return id;
    }
  };
  const firstSender = db.prepare<[{ project: string; waba: string; customer: string | null }], string>(
    `SELECT id FROM whatsapp_configs WHERE project_id = @project AND business_account_id = @waba AND (@customer IS NULL OR customer_id = @customer)
     ORDER BY created_at, id LIMIT 1`,
  ).pluck();

  const TYPE = 'whatsapp_template';

  return {
    /** Writes a template as given. */
    insert(projectId: string, t: TemplateRecord): void {
      insert.run({ ...t, components: JSON.stringify(t.components), metadata: JSON.stringify(t.metadata), project_id: projectId });
    },

    /** The business account and customer a template made for this config belongs to (undefined: no such config). */
    ownerOf(projectId: string, whatsappConfigId: string): { business_account_id: string; customer_id: string | null } | undefined {
      const config = repos.whatsappConfigs.get(projectId, whatsappConfigId);
      return config && { business_account_id: config.business_account_id, customer_id: config.customer_id ?? null };
    },

    get(projectId: string, id: string): WhatsappTemplate | undefined {
      const row = byId.get(projectId, id);
      return row && toTemplate(row);
    },

    /** The stored template (for sends). */
    record(projectId: string, id: string): TemplateRecord | undefined {
      const row = byId.get(projectId, id);
      return row && toRecord(row);
    },

    /**
     * The config a send_template without whatsapp_config_id goes from: the first (oldest) config on
     * the template's business account, of the customer when one is given.
     */
    firstSender(projectId: string, template: TemplateRecord, customerId?: string): string | undefined {
      return firstSender.get({ project: projectId, waba: template.business_account_id, customer: customerId ?? null });
    },

    /** The template a message names on a business account: by name, and language when given. */
    findByName(projectId: string, businessAccountId: string, name: string, language: string | undefined): TemplateRecord | undefined {
      const row = byName.get({ project: projectId, waba: businessAccountId, name, language: language ?? null });
      return row && toRecord(row);
    },

    /** One keyset page of a business account's templates (the Meta proxy). */
    byBusinessAccount: (projectId: string, businessAccountId: string, query: Record<string, unknown>) =>
      businessList.cursor([projectId, businessAccountId], query),

    /** A business account's template by Meta's template ID. */
    byMetaId(projectId: string, businessAccountId: string, metaId: string): TemplateRecord | undefined {
      const row = byMetaId.get(projectId, businessAccountId, metaId);
      return row && toRecord(row);
    },

    /**
     * A template made on a business account (the Meta proxy's create): it starts in review
     * (`submitted`, PENDING on the proxy) unless `approve` (the automatic review setting). The
     * customer is the one of the business account's first config.
     */
    create: db.transaction((projectId: string, businessAccountId: string, draft: TemplateDraft, approve: boolean): TemplateRecord => {
      if (namedAll.all({ project: projectId, waba: businessAccountId, name: draft.name, language: draft.language }).length > 0) {
        throw new RecordInvalid(`Message template "${draft.name}" already exists in ${draft.language}`, { graphCode: 2388024 });
      }
      const first = firstSender.get({ project: projectId, waba: businessAccountId, customer: null });
      const now = clock.iso();
      const record: TemplateRecord = {
        id: newId(), meta_template_id: newMetaId(), business_account_id: businessAccountId,
        customer_id: (first && repos.whatsappConfigs.get(projectId, first)?.customer_id) ?? null,
        name: draft.name, language_code: draft.language, category: draft.category, status: approve ? 'approved' : 'submitted',
        parameter_format: draft.parameter_format, components: draft.components, metadata: {}, created_at: now, updated_at: now,
      };
      insert.run({ ...record, components: JSON.stringify(record.components), metadata: JSON.stringify(record.metadata), project_id: projectId });
      events.publish('record.created', projectId, { type: TYPE, id: record.id });
      return record;
    }),

    /** Meta's edit (hsm_id): new components or category; the template goes back to review unless `approve`. */
    edit: db.transaction((projectId: string, id: string, patch: { category?: WhatsappTemplate['category'] | undefined; components?: MetaComponent[] | undefined }, approve: boolean) => {
      const row = byId.get(projectId, id);
      if (!row) return undefined;
      const current = toRecord(row);
      const category = patch.category ?? current.category;
      const components = patch.components ?? current.components;
      if (category === current.category && JSON.stringify(components) === JSON.stringify(current.components)) return current;
      const { rejected_reason: _reason, ...metadata } = current.metadata;
      const next: TemplateRecord = { ...current, category, components, status: approve ? 'approved' : 'submitted', metadata, updated_at: clock.iso() };
      change.run({ project: projectId, id, category, components: JSON.stringify(components), status: next.status, metadata: JSON.stringify(metadata), at: next.updated_at });
      events.publish('record.updated', projectId, { type: TYPE, id });
      return next;
    }),

    /** Deletes a business account's templates of a name (every language, or one) or one by ID; how many went. */
    deleteNamed: db.transaction((projectId: string, businessAccountId: string, name: string, language?: string): number => {
      const rows = namedAll.all({ project: projectId, waba: businessAccountId, name, language: language ?? null });
      for (const { id } of rows) {
        remove.run(projectId, id);
        events.publish('record.deleted', projectId, { type: TYPE, id });
      }
      return rows.length;
    }),

    deleteOne: db.transaction((projectId: string, id: string): void => {
      remove.run(projectId, id);
      events.publish('record.deleted', projectId, { type: TYPE, id });
    }),

    /** The review's outcome (the control plane): approved, or rejected with Meta's reason. */
    review: db.transaction((projectId: string, id: string, status: 'approved' | 'rejected', reason?: string): TemplateRecord | undefined => {
      const row = byId.get(projectId, id);
      if (!row) return undefined;
      const current = toRecord(row);
      const { rejected_reason: _reason, ...rest } = current.metadata;
      const metadata = status === 'rejected' ? { ...rest, rejected_reason: reason ?? 'INVALID_FORMAT' } : rest;
      if (current.status === status && JSON.stringify(metadata) === JSON.stringify(current.metadata)) return current;
      const at = clock.iso();
      change.run({ project: projectId, id, category: current.category, components: JSON.stringify(current.components), status, metadata: JSON.stringify(metadata), at });
      events.publish('record.updated', projectId, { type: TYPE, id });
      return { ...current, status, metadata, updated_at: at };
    }),

    /** The projects that hold a template with this ID (the control plane's lookups). */
    holders: (id: string): string[] => holders.all(id),

    /**
     * A page of templates. `customer_id`, `business_account_id` and `whatsapp_config_id` also come
     * as plain query parameters (the spec documents both spellings); a config stands for its business account.
     */
    list(projectId: string, query: Record<string, unknown>) {
      const q = { ...query };
      q['q[customer_id_eq]'] ??= q.customer_id;
      q['q[business_account_id_eq]'] ??= q.business_account_id;
      const configId = q['q[whatsapp_config_id_eq]'] ?? q.whatsapp_config_id;
      if (typeof configId === 'string' && configId.trim() !== '') {
        const waba = repos.whatsappConfigs.get(projectId, configId.trim().toLowerCase())?.business_account_id;
        // An unknown config matches nothing: no business account ID is an empty-looking control character.
        q['q[business_account_id_eq]'] = waba ?? '\u0000';
      }
      return list.page([projectId], q);
    },
  };
}

export type WhatsappTemplateRepository = ReturnType<typeof createWhatsappTemplateRepository>;
