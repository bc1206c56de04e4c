import { uniqueRules } from '../../db/constraints.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import { applyPatch } from '../../lib/patch.js';
import type { RepoContext } from '../../lib/resource.js';
import type { ConfigInput, ConfigPatch, ProjectWhatsappConfig, WhatsappConfig } from './schemas.js';

/** A stored config: the API shape without the derived display_name, plus the write-only token. */
export interface ConfigRecord {
  id: string;
  customer_id: string | null;
  name: string;
  phone_number_id: string;
  business_account_id: string;
  webhook_verify_token: string | null;
  webhook_destination_url: string | null;
  access_token: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * Fields of the API's later revision that only the project-wide list shows, as stored (booleans as
 * 0/1). No operation of the main spec sets them: a created config has the defaults, fixtures may
 * give others.
 */
export interface PlatformColumns {
  kind: 'production' | 'sandbox';
  display_phone_number: string | null;
  is_coexistence: 0 | 1;
  webhook_verified_at: string | null;
  inbound_processing_enabled: 0 | 1;
  calls_enabled: 0 | 1;
}

/** What a config has when nothing says otherwise (the later revision's create defaults). */
export const DEFAULT_PLATFORM: PlatformColumns = {
  kind: 'production', display_phone_number: null, is_coexistence: 0, webhook_verified_at: null, inbound_processing_enabled: 1, calls_enabled: 0,
};

type PlatformConfigRow = ConfigRecord & PlatformColumns;

const COLUMNS = `id, customer_id, name, phone_number_id, business_account_id, webhook_verify_token,
  webhook_destination_url, access_token, created_at, updated_at`;
const PLATFORM_COLUMNS = `${COLUMNS}, kind, display_phone_number, is_coexistence, webhook_verified_at, inbound_processing_enabled, calls_enabled`;
const STORED = ['name', 'phone_number_id', 'business_account_id', 'webhook_verify_token', 'webhook_destination_url', 'access_token'] as const;
const TYPE = 'whatsapp_config';

/** A stored record from the fields of a create (or a fixture): absent optional fields are NULL. */
type Optional = 'webhook_verify_token' | 'webhook_destination_url' | 'access_token';
export function configRecord(
  fields: Omit<ConfigRecord, Optional> & { [K in Optional]?: string | null | undefined },
): ConfigRecord {
  return {
    id: fields.id,
    customer_id: fields.customer_id,
    name: fields.name,
    phone_number_id: fields.phone_number_id,
    business_account_id: fields.business_account_id,
    webhook_verify_token: fields.webhook_verify_token ?? null,
    webhook_destination_url: fields.webhook_destination_url ?? null,
    access_token: fields.access_token ?? null,
    created_at: fields.created_at,
    updated_at: fields.updated_at,
  };
}

/** Row -> API object. Plain-string fields with no value are left out (docs/behaviour.md), access_token never leaves. */
export function toWhatsappConfig(row: ConfigRecord): WhatsappConfig {
  const config: WhatsappConfig = {
    id: row.id,
    name: row.name,
    display_name: `${row.name} (+${row.phone_number_id})`,
    phone_number_id: row.phone_number_id,
    business_account_id: row.business_account_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  if (row.webhook_verify_token !== null) config.webhook_verify_token = row.webhook_verify_token;
  if (row.webhook_destination_url !== null) config.webhook_destination_url = row.webhook_destination_url;
  if (row.customer_id !== null) config.customer_id = row.customer_id;
  return config;
}

/**
 * Row -> the later revision's shape (GET /whatsapp_configs): no write-only fields (that revision
 * leaves out webhook_verify_token and webhook_destination_url too), its own fields added.
 */
export function toProjectWhatsappConfig(row: PlatformConfigRow): ProjectWhatsappConfig {
  const config: ProjectWhatsappConfig = {
    id: row.id,
    name: row.name,
    display_name: `${row.name} (+${row.phone_number_id})`,
    phone_number_id: row.phone_number_id,
    business_account_id: row.business_account_id,
    kind: row.kind,
    is_coexistence: row.is_coexistence === 1,
    webhook_verified_at: row.webhook_verified_at,
    inbound_processing_enabled: row.inbound_processing_enabled === 1,
    calls_enabled: row.calls_enabled === 1,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
  if (row.display_phone_number !== null) {
    config.display_phone_number = row.display_phone_number;
    config.display_phone_number_normalized = row.display_phone_number.replace(/\D/g, '');
  }
  if (row.customer_id !== null) config.customer_id = row.customer_id;
  return config;
}

/** GET /whatsapp_configs: every config of the project, newest first, with the later revision's filters. */
export const ProjectConfigList = defineList<PlatformConfigRow, ProjectWhatsappConfig>({
  name: 'project_whatsapp_configs',
  table: 'whatsapp_configs',
  columns: PLATFORM_COLUMNS,
  scope: ['project_id'],
  filters: { business_account_id: 'eq', name: 'cont', created_at: ['gteq', 'lteq'] },
  pagination: 'meta',
  map: toProjectWhatsappConfig,
});

/**
 * GET /whatsapp_configs?business_account_id=...: the same list scoped to one business account
 * (the plain parameter narrows the list before the q[...] filters apply, as a Rails scope does).
 */
export const BusinessAccountConfigList = defineList<PlatformConfigRow, ProjectWhatsappConfig>({
  ...ProjectConfigList.decl,
  name: 'business_account_whatsapp_configs',
  scope: ['project_id', 'business_account_id'],
});

/** GET /customers/{customer_id}/whatsapp_configs: a customer's configs, newest first. */
export const CustomerConfigList = defineList<ConfigRecord, WhatsappConfig>({
  name: 'customer_whatsapp_configs',
  table: 'whatsapp_configs',
  columns: COLUMNS,
  scope: ['project_id', 'customer_id'],
  pagination: 'meta',
  map: toWhatsappConfig,
});

export function createWhatsappConfigRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[PlatformConfigRow & { project_id: string }]>(
    `INSERT INTO whatsapp_configs (id, project_id, ${PLATFORM_COLUMNS.replace('id, ', '')})
     VALUES (@id, @project_id, @customer_id, @name, @phone_number_id, @business_account_id, @webhook_verify_token,
             @webhook_destination_url, @access_token, @created_at, @updated_at,
             @kind, @display_phone_number, @is_coexistence, @webhook_verified_at, @inbound_processing_enabled, @calls_enabled)`,
  );
  const byId = db.prepare<[string, string], ConfigRecord>(`SELECT ${COLUMNS} FROM whatsapp_configs WHERE project_id = ? AND id = ?`);
  const update = db.prepare<[ConfigRecord & { project_id: string }]>(
    `UPDATE whatsapp_configs SET name = @name, phone_number_id = @phone_number_id, business_account_id = @business_account_id,
       webhook_verify_token = @webhook_verify_token, webhook_destination_url = @webhook_destination_url,
       access_token = @access_token, updated_at = @updated_at
     WHERE project_id = @project_id AND id = @id`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM whatsapp_configs WHERE project_id = ? AND id = ?');
  const exists = db.prepare<[string, string], number>('SELECT 1 FROM whatsapp_configs WHERE project_id = ? AND id = ?').pluck();
  const byPhoneNumberId = db.prepare<[string, string], ConfigRecord>(`SELECT ${COLUMNS} FROM whatsapp_configs WHERE project_id = ? AND phone_number_id = ?`);
  const projectsWithPhoneNumber = db.prepare<[string], string>('SELECT project_id FROM whatsapp_configs WHERE phone_number_id = ? ORDER BY project_id').pluck();
  const byBusinessAccount = db.prepare<[string, string], ConfigRecord>(
    `SELECT ${COLUMNS} FROM whatsapp_configs WHERE project_id = ? AND business_account_id = ? ORDER BY created_at, id`,
  );
  const customerList = CustomerConfigList.prepare(db);
  const projectList = ProjectConfigList.prepare(db);
  const businessAccountList = BusinessAccountConfigList.prepare(db);
  const unique = uniqueRules({ 'whatsapp_configs.project_id, whatsapp_configs.phone_number_id': 'Phone number has already been taken' });

  return {
    exists(projectId: string, id: string): boolean {
      return exists.get(projectId, id) !== undefined;
    },

    /** Writes a config as given (fixtures); API creates go through create(). */
    insert(projectId: string, record: ConfigRecord, platform: PlatformColumns = DEFAULT_PLATFORM): void {
      insert.run({ ...record, ...platform, project_id: projectId });
    },

    create: db.transaction((projectId: string, customerId: string, input: ConfigInput): WhatsappConfig => {
      const now = clock.iso();
      const record = configRecord({ ...input, id: newId(), customer_id: customerId, created_at: now, updated_at: now });
      unique(() => insert.run({ ...record, ...DEFAULT_PLATFORM, project_id: projectId }));
      events.publish('record.created', projectId, { type: TYPE, id: record.id });
      return toWhatsappConfig(record);
    }),

    get(projectId: string, id: string): WhatsappConfig | undefined {
      const row = byId.get(projectId, id);
      return row && toWhatsappConfig(row);
    },

    /** The config whose phone number this is (the Meta proxy's phone number ID). */
    byPhoneNumberId(projectId: string, phoneNumberId: string): ConfigRecord | undefined {
      return byPhoneNumberId.get(projectId, phoneNumberId);
    },

    /** The projects that have a config with this phone number (the control plane finds a number's project). */
    projectsWithPhoneNumber(phoneNumberId: string): string[] {
      return projectsWithPhoneNumber.all(phoneNumberId);
    },

    /** The configs of a business account (the Meta proxy's WABA), oldest first. */
    byBusinessAccount(projectId: string, businessAccountId: string): ConfigRecord[] {
      return byBusinessAccount.all(projectId, businessAccountId);
    },

    /** A page of a customer's configs, newest first. */
    listForCustomer: (projectId: string, customerId: string, query: Record<string, unknown>) => customerList.page([projectId, customerId], query),

    /**
     * A page of every config of the project, newest first; `businessAccountId` (the plain query
     * parameter) narrows it to one business account before the q[...] filters apply.
     */
    listForProject: (projectId: string, businessAccountId: string | undefined, query: Record<string, unknown>) =>
      businessAccountId === undefined ? projectList.page([projectId], query) : businessAccountList.page([projectId, businessAccountId], query),

    /** Applies the fields given; updated_at moves only when a stored value really changes. */
    update: db.transaction((projectId: string, id: string, patch: ConfigPatch): WhatsappConfig | undefined => {
      const current = byId.get(projectId, id);
      if (!current) return undefined;
      const next = applyPatch(current, patch, STORED);
      if (!next) return toWhatsappConfig(current);
      next.updated_at = clock.iso();
      unique(() => update.run({ ...next, project_id: projectId }));
      events.publish('record.updated', projectId, { type: TYPE, id });
      return toWhatsappConfig(next);
    }),

    /** Deletes the config and its agent links (ON DELETE CASCADE). */
    delete: db.transaction((projectId: string, id: string): boolean => {
      const deleted = remove.run(projectId, id).changes === 1;
      if (deleted) events.publish('record.deleted', projectId, { type: TYPE, id });
      return deleted;
    }),
  };
}

export type WhatsappConfigRepository = ReturnType<typeof createWhatsappConfigRepository>;
