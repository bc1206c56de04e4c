// Agent webhooks: Kapso configures them in an agent's dashboard ("API & Webhooks"), with no API,
// so the mock sets them through /__admin and the fixtures. The dispatcher (src/webhooks/) sends
// the agent_execution_* events to them.
import { newId } from '../../lib/ids.js';
import { applyPatch } from '../../lib/patch.js';
import type { RepoContext } from '../../lib/resource.js';
import type { AgentWebhook, AgentWebhookEvent, AgentWebhookInput, AgentWebhookPatch } from './schemas.js';

interface AgentWebhookRow {
  id: string;
  agent_id: string;
  url: string;
  secret_key: string;
  events: string;
  active: 0 | 1;
  headers: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * What the agent executions family can tell the agent webhooks about an execution: its times, the
 * node that handed off, the type of its error. It registers a lookup with describeExecutions();
 * until one is registered, payloads take the event's own time for the execution's times.
 */
export interface ExecutionDetails {
  started_at: string;
  ended_at: string | null;
  handoff_node?: string | undefined;
  error_type?: string | undefined;
}
export type ExecutionLookup = (projectId: string, executionId: string) => ExecutionDetails | undefined;

const COLUMNS = 'id, agent_id, url, secret_key, events, active, headers, created_at, updated_at';
const STORED = ['url', 'secret_key', 'events', 'active', 'headers'] as const;
export const AGENT_WEBHOOK_TYPE = 'agent_webhook';

const toWebhook = (row: AgentWebhookRow): AgentWebhook => ({
  id: row.id,
  agent_id: row.agent_id,
  url: row.url,
  secret_key: row.secret_key,
  events: JSON.parse(row.events) as AgentWebhookEvent[],
  active: row.active === 1,
  headers: row.headers === null ? null : (JSON.parse(row.headers) as Record<string, string>),
  created_at: row.created_at,
  updated_at: row.updated_at,
});

const toRow = (w: AgentWebhook, projectId: string) => ({
  project_id: projectId,
  id: w.id,
  agent_id: w.agent_id,
  url: w.url,
  secret_key: w.secret_key,
  events: JSON.stringify(w.events),
  active: w.active ? 1 : 0,
  headers: w.headers === null || Object.keys(w.headers).length === 0 ? null : JSON.stringify(w.headers),
  created_at: w.created_at,
  updated_at: w.updated_at,
});

export function createAgentWebhookRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[ReturnType<typeof toRow>]>(
    `INSERT INTO agent_webhooks (project_id, ${COLUMNS}) VALUES (@project_id, @id, @agent_id, @url, @secret_key, @events, @active, @headers, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], AgentWebhookRow>(`SELECT ${COLUMNS} FROM agent_webhooks WHERE project_id = ? AND id = ?`);
  const byAgent = db.prepare<[string, string], AgentWebhookRow>(`SELECT ${COLUMNS} FROM agent_webhooks WHERE project_id = ? AND agent_id = ? ORDER BY created_at DESC, id DESC`);
  const update = db.prepare<[ReturnType<typeof toRow>]>(
    'UPDATE agent_webhooks SET url = @url, secret_key = @secret_key, events = @events, active = @active, headers = @headers, updated_at = @updated_at WHERE project_id = @project_id AND id = @id',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM agent_webhooks WHERE project_id = ? AND id = ?');
  const holders = db.prepare<[string], string>('SELECT project_id FROM agent_webhooks WHERE id = ? ORDER BY project_id LIMIT 10').pluck();
  const active = db.prepare<[string, string], AgentWebhookRow>(
    `SELECT ${COLUMNS} FROM agent_webhooks WHERE project_id = ? AND agent_id = ? AND active = 1 ORDER BY created_at, id`,
  );
  const lookups = new Set<ExecutionLookup>();

  return {
    /** Writes a webhook as given (fixtures). */
    insert(projectId: string, webhook: AgentWebhook): void {
      insert.run(toRow(webhook, projectId));
    },

    create: db.transaction((projectId: string, agentId: string, input: AgentWebhookInput): AgentWebhook => {
      const now = clock.iso();
      const webhook: AgentWebhook = { id: newId(), agent_id: agentId, ...input, headers: input.headers ?? null, created_at: now, updated_at: now };
      insert.run(toRow(webhook, projectId));
      events.publish('record.created', projectId, { type: AGENT_WEBHOOK_TYPE, id: webhook.id });
      return toWebhook(byId.get(projectId, webhook.id)!);
    }),

    get(projectId: string, id: string): AgentWebhook | undefined {
      const row = byId.get(projectId, id);
      return row && toWebhook(row);
    },

    /** The agent's webhooks, newest first. */
    forAgent(projectId: string, agentId: string): AgentWebhook[] {
      return byAgent.all(projectId, agentId).map(toWebhook);
    },

    update: db.transaction((projectId: string, id: string, patch: AgentWebhookPatch): AgentWebhook | undefined => {
      const row = byId.get(projectId, id);
      if (!row) return undefined;
      const current = toWebhook(row);
      const given = patch.headers !== undefined && patch.headers !== null && Object.keys(patch.headers).length === 0 ? { ...patch, headers: null } : patch;
      const next = applyPatch(current, given, STORED);
      if (!next) return current;
      next.updated_at = clock.iso();
      update.run(toRow(next, projectId));
      events.publish('record.updated', projectId, { type: AGENT_WEBHOOK_TYPE, id });
      return next;
    }),

    delete: db.transaction((projectId: string, id: string): boolean => {
      const deleted = remove.run(projectId, id).changes === 1;
      if (deleted) events.publish('record.deleted', projectId, { type: AGENT_WEBHOOK_TYPE, id });
      return deleted;
    }),

    /** The agent's active webhooks, oldest first (every agent_execution.* event reads them). */
    activeFor(projectId: string, agentId: string): AgentWebhook[] {
      return active.all(projectId, agentId).map(toWebhook);
    },

    /** Registers what the executions family knows about an execution; the returned function removes it. */
    describeExecutions(lookup: ExecutionLookup): () => void {
      lookups.add(lookup);
      return () => lookups.delete(lookup);
    },

    /** What the registered lookups know about an execution. */
    execution(projectId: string, executionId: string): ExecutionDetails | undefined {
      for (const lookup of lookups) {
        const found = lookup(projectId, executionId);
        if (found) return found;
      }
      return undefined;
    },

    /** The projects that hold an agent webhook with this ID (the control plane's lookups). */
    holders: (id: string): string[] => holders.all(id),
  };
}

export type AgentWebhookRepository = ReturnType<typeof createAgentWebhookRepository>;
