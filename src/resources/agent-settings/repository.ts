// A project's AI settings: the credits test chats and test runs spend (a resume with none left is
// the spec's 402), and how long a test chat stays `processing`. Changed only by the control plane
// (/__admin/projects/{id}/agent_settings); a project without a row has the defaults.
import type { RepoContext } from '../../lib/resource.js';
import type { AgentSettings } from './schemas.js';

type Row = Omit<AgentSettings, 'project_id'>;

const DEFAULTS: Row = { credits: null, test_chat_latency_ms: 0 };

export function createAgentSettingsRepository({ db, clock, events }: RepoContext) {
  const byProject = db.prepare<[string], Row>('SELECT credits, test_chat_latency_ms FROM agent_settings WHERE project_id = ?');
  const upsert = db.prepare<[string, number | null, number, string]>(
    `INSERT INTO agent_settings (project_id, credits, test_chat_latency_ms, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (project_id) DO UPDATE SET credits = excluded.credits, test_chat_latency_ms = excluded.test_chat_latency_ms, updated_at = excluded.updated_at`,
  );
  // Only a limited balance is written: with unlimited credits, spending changes no row.
  const spend = db.prepare<[string, string]>(
    'UPDATE agent_settings SET credits = credits - 1, updated_at = ? WHERE project_id = ? AND credits > 0',
  );
  const get = (projectId: string): Row => byProject.get(projectId) ?? DEFAULTS;

  return {
    get(projectId: string): AgentSettings {
      return { project_id: projectId, ...get(projectId) };
    },

    /** Changes the settings given (the caller checked the project exists). */
    update: db.transaction((projectId: string, patch: Partial<Row>): AgentSettings => {
      const next = { ...get(projectId), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Row;
      upsert.run(projectId, next.credits, next.test_chat_latency_ms, clock.iso());
      events.publish('record.updated', projectId, { type: 'agent_settings', id: projectId });
      return { project_id: projectId, ...next };
    }),

    /** Milliseconds a test chat reply takes to land. */
    latency: (projectId: string): number => get(projectId).test_chat_latency_ms,

    /** True when the project has a credit left (unlimited counts); false when its balance is 0. */
    hasCredit: (projectId: string): boolean => {
      const { credits } = get(projectId);
      return credits === null || credits > 0;
    },

    /** Spends one credit for one AI answer; false (and nothing spent) when none is left. Call inside the write's transaction. */
    spend(projectId: string): boolean {
      const { credits } = get(projectId);
      if (credits === null) return true;
      return spend.run(clock.iso(), projectId).changes === 1;
    },
  };
}

export type AgentSettingsRepository = ReturnType<typeof createAgentSettingsRepository>;
