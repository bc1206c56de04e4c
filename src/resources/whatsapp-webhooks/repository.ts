// WhatsApp webhooks: where a config's events are delivered (the dispatcher in src/webhooks/ reads
// them; this family is their CRUD). Every write publishes record.created|updated|deleted with type
// whatsapp_webhook, so the dispatcher arms or drops its inactivity timers and cancels what a
// deleted webhook still had pending.
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import { applyPatch } from '../../lib/patch.js';
import type { RepoContext } from '../../lib/resource.js';
import type { PayloadVersion, WebhookEvent, WebhookInput, WebhookPatch, WhatsappWebhook } from './schemas.js';

/** A webhook as stored, with the config it belongs to. */
export interface WebhookRecord extends WhatsappWebhook {
  whatsapp_config_id: string;
}

interface WebhookRow {
  id: string;
  whatsapp_config_id: string;
  url: string;
  secret_key: string;
  events: string;
  active: 0 | 1;
  headers: string | null;
  buffer_enabled: 0 | 1;
  buffer_window_seconds: number;
  max_buffer_size: number;
  buffer_events: string;
  inactivity_minutes: number;
  payload_version: PayloadVersion;
  created_at: string;
  updated_at: string;
}

const COLUMNS = `id, whatsapp_config_id, url, secret_key, events, active, headers, buffer_enabled, buffer_window_seconds, max_buffer_size,
  buffer_events, inactivity_minutes, payload_version, created_at, updated_at`;
const STORED = [
  'url', 'secret_key', 'events', 'active', 'headers', 'buffer_enabled', 'buffer_window_seconds', 'max_buffer_size', 'buffer_events',
  'inactivity_minutes', 'payload_version',
] as const;
export const WEBHOOK_TYPE = 'whatsapp_webhook';

export const toRecord = (row: WebhookRow): WebhookRecord => ({
  id: row.id,
  whatsapp_config_id: row.whatsapp_config_id,
  url: row.url,
  secret_key: row.secret_key,
  events: JSON.parse(row.events) as WebhookEvent[],
  active: row.active === 1,
  headers: row.headers === null ? null : (JSON.parse(row.headers) as Record<string, string>),
  buffer_enabled: row.buffer_enabled === 1,
  buffer_window_seconds: row.buffer_window_seconds,
  max_buffer_size: row.max_buffer_size,
  buffer_events: JSON.parse(row.buffer_events) as WhatsappWebhook['buffer_events'],
  inactivity_minutes: row.inactivity_minutes,
  payload_version: row.payload_version,
  created_at: row.created_at,
  updated_at: row.updated_at,
});

/** The API shape: the stored record without the config it belongs to (the path names it). */
export const toWebhook = ({ whatsapp_config_id: _config, ...webhook }: WebhookRecord): WhatsappWebhook => webhook;

const toRow = (w: WebhookRecord, projectId: string) => ({
  project_id: projectId,
  id: w.id,
  whatsapp_config_id: w.whatsapp_config_id,
  url: w.url,
  secret_key: w.secret_key,
  events: JSON.stringify(w.events),
  active: w.active ? 1 : 0,
  // An empty object is no custom headers: null, as the spec's nullable field says.
  headers: w.headers === null || Object.keys(w.headers).length === 0 ? null : JSON.stringify(w.headers),
  buffer_enabled: w.buffer_enabled ? 1 : 0,
  buffer_window_seconds: w.buffer_window_seconds,
  max_buffer_size: w.max_buffer_size,
  buffer_events: JSON.stringify(w.buffer_events),
  inactivity_minutes: w.inactivity_minutes,
  payload_version: w.payload_version,
  created_at: w.created_at,
  updated_at: w.updated_at,
});

/** GET /whatsapp_configs/{id}/whatsapp_webhooks: a config's webhooks, newest first, with the later revision's two filters. */
export const WebhookList = defineList<WebhookRow, WhatsappWebhook>({
  name: 'whatsapp_webhooks',
  table: 'whatsapp_webhooks',
  columns: COLUMNS,
  scope: ['project_id', 'whatsapp_config_id'],
  filters: {
    url: 'cont',
    // Ransack casts booleans from these spellings; anything else matches nothing.
    active: { predicates: ['eq'], values: { true: 1, t: 1, '1': 1, false: 0, f: 0, '0': 0 }, label: 'Active' },
  },
  pagination: 'meta',
  map: (row) => toWebhook(toRecord(row)),
});

export function createWhatsappWebhookRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[ReturnType<typeof toRow>]>(
    `INSERT INTO whatsapp_webhooks (project_id, ${COLUMNS}) VALUES (@project_id, @id, @whatsapp_config_id, @url, @secret_key, @events, @active,
       @headers, @buffer_enabled, @buffer_window_seconds, @max_buffer_size, @buffer_events, @inactivity_minutes, @payload_version, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], WebhookRow>(`SELECT ${COLUMNS} FROM whatsapp_webhooks WHERE project_id = ? AND id = ?`);
  const update = db.prepare<[ReturnType<typeof toRow>]>(
    `UPDATE whatsapp_webhooks SET url = @url, secret_key = @secret_key, events = @events, active = @active, headers = @headers,
       buffer_enabled = @buffer_enabled, buffer_window_seconds = @buffer_window_seconds, max_buffer_size = @max_buffer_size,
       buffer_events = @buffer_events, inactivity_minutes = @inactivity_minutes, payload_version = @payload_version, updated_at = @updated_at
     WHERE project_id = @project_id AND id = @id`,
  );
  const remove = db.prepare<[string, string]>('DELETE FROM whatsapp_webhooks WHERE project_id = ? AND id = ?');
  const active = db.prepare<[string, string], WebhookRow>(
    `SELECT ${COLUMNS} FROM whatsapp_webhooks WHERE project_id = ? AND whatsapp_config_id = ? AND active = 1 ORDER BY created_at, rowid`,
  );
  const holders = db.prepare<[string], string>('SELECT project_id FROM whatsapp_webhooks WHERE id = ? ORDER BY project_id LIMIT 10').pluck();
  const list = WebhookList.prepare(db);

  const inConfig = (projectId: string, configId: string, id: string) => {
    const row = byId.get(projectId, id);
    return row && row.whatsapp_config_id === configId ? toRecord(row) : undefined;
  };

  return {
    /** Writes a webhook as given (fixtures); API creates go through create(). */
    insert(projectId: string, webhook: WebhookRecord): void {
      insert.run(toRow(webhook, projectId));
    },

    create: db.transaction((projectId: string, configId: string, input: WebhookInput): WhatsappWebhook => {
      const now = clock.iso();
      const webhook: WebhookRecord = { id: newId(), whatsapp_config_id: configId, ...input, headers: input.headers ?? null, created_at: now, updated_at: now };
      insert.run(toRow(webhook, projectId));
      events.publish('record.created', projectId, { type: WEBHOOK_TYPE, id: webhook.id });
      return toWebhook(toRecord(byId.get(projectId, webhook.id)!));
    }),

    /** The config's webhook; undefined when missing or another config's. */
    get(projectId: string, configId: string, id: string): WhatsappWebhook | undefined {
      const webhook = inConfig(projectId, configId, id);
      return webhook && toWebhook(webhook);
    },

    /** The stored webhook by ID alone (the control plane and the dispatcher). */
    record(projectId: string, id: string): WebhookRecord | undefined {
      const row = byId.get(projectId, id);
      return row && toRecord(row);
    },

    /** A page of the config's webhooks, newest first. */
    list: (projectId: string, configId: string, query: Record<string, unknown>) => list.page([projectId, configId], query),

    /** Applies the fields given; updated_at moves only when a stored value really changes. */
    update: db.transaction((projectId: string, configId: string, id: string, patch: WebhookPatch): WhatsappWebhook | undefined => {
      const current = inConfig(projectId, configId, id);
      if (!current) return undefined;
      // An empty headers object clears them, like null.
      const given = patch.headers !== undefined && patch.headers !== null && Object.keys(patch.headers).length === 0 ? { ...patch, headers: null } : patch;
      const next = applyPatch(current, given, STORED);
      if (!next) return toWebhook(current);
      next.updated_at = clock.iso();
      update.run(toRow(next, projectId));
      events.publish('record.updated', projectId, { type: WEBHOOK_TYPE, id });
      return toWebhook(next);
    }),

    /** Deletes the webhook; what it still had pending is cancelled by the dispatcher (record.deleted). */
    delete: db.transaction((projectId: string, configId: string, id: string): boolean => {
      if (!inConfig(projectId, configId, id)) return false;
      remove.run(projectId, id);
      events.publish('record.deleted', projectId, { type: WEBHOOK_TYPE, id });
      return true;
    }),

    /** The config's active webhooks, oldest first (every WhatsApp event reads them). */
    activeFor(projectId: string, configId: string): WebhookRecord[] {
      return active.all(projectId, configId).map(toRecord);
    },

    /** The projects that hold a webhook with this ID (the control plane's lookups). */
    holders: (id: string): string[] => holders.all(id),
  };
}

export type WhatsappWebhookRepository = ReturnType<typeof createWhatsappWebhookRepository>;
