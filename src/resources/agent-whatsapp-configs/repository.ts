// The links between an agent and a WhatsApp config, and the is_primary rule
// (docs/behaviour.md): an agent has at most one primary link, at every moment.
import { uniqueRules } from '../../db/constraints.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import { toWhatsappConfig, type ConfigRecord } from '../whatsapp-configs/repository.js';
import type { AgentWhatsappConfig } from './schemas.js';

export interface LinkRecord {
  project_id: string;
  id: string;
  agent_id: string;
  whatsapp_config_id: string;
  is_primary: boolean;
  created_at: string;
  updated_at: string;
}

type LinkRow = { l_id: string; l_is_primary: 0 | 1; l_created_at: string; l_updated_at: string } & ConfigRecord;

/** What a lookup of one link found: no such agent, the agent but no such link, or the link. */
export type LinkLookup = { agent: false } | { agent: true; link: AgentWhatsappConfig | undefined };

const LINK_COLUMNS = `
  l.id AS l_id, l.is_primary AS l_is_primary, l.created_at AS l_created_at, l.updated_at AS l_updated_at,
  c.id, c.customer_id, c.name, c.phone_number_id, c.business_account_id, c.webhook_verify_token,
  c.webhook_destination_url, c.access_token, c.created_at, c.updated_at`;

const SELECT = `
  SELECT ${LINK_COLUMNS}
  FROM agent_whatsapp_configs l
  JOIN whatsapp_configs c ON c.project_id = l.project_id AND c.id = l.whatsapp_config_id`;

/** The agent, and the link when it has one with that ID: one query answers both 404 questions. */
const LOOKUP = `
  SELECT ${LINK_COLUMNS}
  FROM agents a
  LEFT JOIN agent_whatsapp_configs l ON l.project_id = a.project_id AND l.agent_id = a.id AND l.id = @id
  LEFT JOIN whatsapp_configs c ON c.project_id = l.project_id AND c.id = l.whatsapp_config_id
  WHERE a.project_id = @project AND a.id = @agent`;

type LookupRow = { [K in keyof LinkRow]: LinkRow[K] | null };

const toLink = (row: LinkRow): AgentWhatsappConfig => ({
  id: row.l_id,
  is_primary: row.l_is_primary === 1,
  created_at: row.l_created_at,
  updated_at: row.l_updated_at,
  whatsapp_config: toWhatsappConfig(row),
});

const TYPE = 'agent_whatsapp_config';

/** GET /agents/{agent_id}/agent_whatsapp_configs: an agent's links with their configs, newest first (no pagination in the spec). */
export const LinkList = defineList<LinkRow, AgentWhatsappConfig>({
  name: 'agent_whatsapp_configs',
  table: 'agent_whatsapp_configs',
  alias: 'l',
  join: 'JOIN whatsapp_configs c ON c.project_id = l.project_id AND c.id = l.whatsapp_config_id',
  columns: LINK_COLUMNS,
  scope: ['project_id', 'agent_id'],
  pagination: 'none',
  map: toLink,
});

export function createAgentWhatsappConfigRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[Omit<LinkRecord, 'is_primary'> & { is_primary: 0 | 1 }]>(
    `INSERT INTO agent_whatsapp_configs (project_id, id, agent_id, whatsapp_config_id, is_primary, created_at, updated_at)
     VALUES (@project_id, @id, @agent_id, @whatsapp_config_id, @is_primary, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string, string], LinkRow>(`${SELECT} WHERE l.project_id = ? AND l.agent_id = ? AND l.id = ?`);
  const lookup = db.prepare<[{ project: string; agent: string; id: string }], LookupRow>(LOOKUP);
  const list = LinkList.prepare(db);
  const demoteOthers = db.prepare<[string, string, string, string], string>(
    `UPDATE agent_whatsapp_configs SET is_primary = 0, updated_at = ?
     WHERE project_id = ? AND agent_id = ? AND is_primary = 1 AND id <> ? RETURNING id`,
  ).pluck();
  const setPrimary = db.prepare<[0 | 1, string, string, string]>(
    'UPDATE agent_whatsapp_configs SET is_primary = ?, updated_at = ? WHERE project_id = ? AND id = ?',
  );
  const remove = db.prepare<[string, string, string]>('DELETE FROM agent_whatsapp_configs WHERE project_id = ? AND agent_id = ? AND id = ?');
  const unique = uniqueRules({
    'agent_whatsapp_configs.project_id, agent_whatsapp_configs.agent_id, agent_whatsapp_configs.whatsapp_config_id': 'Whatsapp config has already been taken',
    // The partial unique index behind the is_primary rule: only a writer outside this repository could break it.
    'agent_whatsapp_configs.project_id, agent_whatsapp_configs.agent_id': 'Is primary has already been taken',
  });

  /** Makes `id` the agent's only primary: the others are demoted (and their updated_at moves). */
  const demote = (projectId: string, agentId: string, id: string, now: string) => {
    for (const demoted of demoteOthers.all(now, projectId, agentId, id)) events.publish('record.updated', projectId, { type: TYPE, id: demoted });
  };
  const insertLink = (link: LinkRecord) => {
    // Making a link primary demotes the agent's other primary link in the same transaction.
    if (link.is_primary) demote(link.project_id, link.agent_id, link.id, link.updated_at);
    insert.run({ ...link, is_primary: link.is_primary ? 1 : 0 });
  };

  // Transactions are synchronous and IMMEDIATE: they take the write lock up front, so even
  // a second process on the same file cannot interleave between the demote and the promote.
  const insertTx = db.transaction(insertLink);
  const createTx = db.transaction((link: LinkRecord) => {
    unique(() => insertLink(link));
    events.publish('record.created', link.project_id, { type: TYPE, id: link.id });
  });
  const find = (project: string, agent: string, id: string): LinkLookup => {
    const row = lookup.get({ project, agent, id });
    if (!row) return { agent: false };
    return { agent: true, link: row.l_id === null ? undefined : toLink(row as LinkRow) };
  };
  const updateTx = db.transaction((projectId: string, agentId: string, id: string, isPrimary: boolean): LinkLookup => {
    const found = find(projectId, agentId, id);
    if (!found.agent || !found.link || found.link.is_primary === isPrimary) return found;
    const now = clock.iso();
    if (isPrimary) demote(projectId, agentId, id, now);
    unique(() => setPrimary.run(isPrimary ? 1 : 0, now, projectId, id));
    events.publish('record.updated', projectId, { type: TYPE, id });
    return { agent: true, link: { ...found.link, is_primary: isPrimary, updated_at: now } };
  });
  const removeTx = db.transaction((projectId: string, agentId: string, id: string): boolean => {
    const deleted = remove.run(projectId, agentId, id).changes === 1;
    if (deleted) events.publish('record.deleted', projectId, { type: TYPE, id });
    return deleted;
  });

  return {
    /** Writes a link as given (fixtures), with the same is_primary rule as create(). */
    insert(link: LinkRecord): void {
      insertTx.immediate(link);
    },

    /** Links a config to an agent of the same project (the foreign keys allow nothing else). */
    create(projectId: string, agentId: string, whatsappConfigId: string, isPrimary: boolean): AgentWhatsappConfig {
      const now = clock.iso();
      const id = newId();
      createTx.immediate({
        project_id: projectId, id, agent_id: agentId, whatsapp_config_id: whatsappConfigId, is_primary: isPrimary, created_at: now, updated_at: now,
      });
      return toLink(byId.get(projectId, agentId, id)!);
    },

    /** The link, telling a missing agent from a missing link. */
    find(projectId: string, agentId: string, id: string): LinkLookup {
      return find(projectId, agentId, id);
    },

    /** Every link of the agent, newest first (the spec gives this list no pagination). */
    list: (projectId: string, agentId: string): AgentWhatsappConfig[] => list.all([projectId, agentId]),

    /** Sets is_primary (undefined changes nothing), in one transaction with the lookup. */
    update(projectId: string, agentId: string, id: string, isPrimary: boolean | undefined): LinkLookup {
      return isPrimary === undefined ? find(projectId, agentId, id) : updateTx.immediate(projectId, agentId, id, isPrimary);
    },

    /** Removes the link; deleting the primary link promotes nothing. */
    delete: (projectId: string, agentId: string, id: string): boolean => removeTx(projectId, agentId, id),
  };
}

export type AgentWhatsappConfigRepository = ReturnType<typeof createAgentWhatsappConfigRepository>;
