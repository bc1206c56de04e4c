import { uniqueRules } from '../../db/constraints.js';
import { RecordInvalid } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import type { RepoContext } from '../../lib/resource.js';
import { usernameProblem } from './schemas.js';

export interface UsernameRecord {
  id: string;
  whatsapp_config_id: string;
  username: string;
  status: 'reserved' | 'approved';
  created_at: string;
  updated_at: string;
}

const COLUMNS = 'id, whatsapp_config_id, username, status, created_at, updated_at';
const TYPE = 'username';

/** Lowercase words of a name, as a username might spell them: "Acme Support" -> ["acme", "support"]. */
const wordsOf = (name: string) => name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, ' ').trim().split(' ').filter(Boolean);

export function createUsernameRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[UsernameRecord & { project_id: string }]>(
    `INSERT INTO usernames (project_id, ${COLUMNS}) VALUES (@project_id, @id, @whatsapp_config_id, @username, @status, @created_at, @updated_at)`,
  );
  const byConfig = db.prepare<[string, string], UsernameRecord>(`SELECT ${COLUMNS} FROM usernames WHERE project_id = ? AND whatsapp_config_id = ?`);
  const byName = db.prepare<[string, string], UsernameRecord>(`SELECT ${COLUMNS} FROM usernames WHERE project_id = ? AND username = ?`);
  const rename = db.prepare<[string, string, string, string, string]>(
    'UPDATE usernames SET username = ?, status = ?, updated_at = ? WHERE project_id = ? AND id = ?',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM usernames WHERE project_id = ? AND id = ?');
  const unique = uniqueRules({ 'usernames.project_id, usernames.username': 'Username is not available' });

  return {
    /** Writes a username as given (fixtures). */
    insert(projectId: string, record: UsernameRecord): void {
      unique(() => insert.run({ ...record, username: record.username.toLowerCase(), project_id: projectId }));
    },

    get(projectId: string, configId: string): UsernameRecord | undefined {
      return byConfig.get(projectId, configId);
    },

    /**
     * Claims `username` for a number (replacing the one it has). A username another number of the
     * same business account holds moves only with `force_transfer`; one held outside the business
     * account is not available. A new claim is `reserved` (approved but not visible yet).
     */
    claim: db.transaction((
      projectId: string, configId: string, username: string, transfer: 'none' | 'force_transfer', sameBusiness: (otherConfigId: string) => boolean,
    ): UsernameRecord => {
      const problem = usernameProblem(username);
      if (problem !== undefined) throw new RecordInvalid(problem, { graphCode: 100 });
      const name = username.toLowerCase();
      const current = byConfig.get(projectId, configId);
      if (current?.username === name) return current;
      const holder = byName.get(projectId, name);
      if (holder) {
        if (!sameBusiness(holder.whatsapp_config_id)) throw new RecordInvalid('Username is not available', { graphCode: 100 });
        if (transfer !== 'force_transfer') {
          throw new RecordInvalid('Username belongs to another phone number of this business; send transfer_action force_transfer to move it', { graphCode: 100 });
        }
        remove.run(projectId, holder.id);
        events.publish('record.deleted', projectId, { type: TYPE, id: holder.id });
      }
      const now = clock.iso();
      if (current) {
        rename.run(name, 'reserved', now, projectId, current.id);
        events.publish('record.updated', projectId, { type: TYPE, id: current.id });
        return { ...current, username: name, status: 'reserved', updated_at: now };
      }
      const record: UsernameRecord = { id: newId(), whatsapp_config_id: configId, username: name, status: 'reserved', created_at: now, updated_at: now };
      unique(() => insert.run({ ...record, project_id: projectId }));
      events.publish('record.created', projectId, { type: TYPE, id: record.id });
      return record;
    }),

    /** Removes the number's username; a number without one cannot lose it. */
    delete: db.transaction((projectId: string, configId: string): void => {
      const current = byConfig.get(projectId, configId);
      if (!current) throw new RecordInvalid('This phone number has no username', { graphCode: 100 });
      remove.run(projectId, current.id);
      events.publish('record.deleted', projectId, { type: TYPE, id: current.id });
    }),

    /**
     * Usernames WhatsApp would reserve for a business with these names (its verified name, its
     * config's name): valid, not held by another number of the project, at most `limit`.
     */
    suggestions(projectId: string, configId: string, names: string[], limit = 3): string[] {
      const out: string[] = [];
      for (const name of names) {
        const w = wordsOf(name);
        if (w.length === 0) continue;
        for (const candidate of [w.join('_'), w.join(''), `${w[0]}_official`, `${w.join('_')}_hq`, `${w[0]}.${w.at(-1)}`]) {
          if (out.includes(candidate) || usernameProblem(candidate) !== undefined) continue;
          const holder = byName.get(projectId, candidate);
          if (holder && holder.whatsapp_config_id !== configId) continue;
          out.push(candidate);
        }
      }
      return out.slice(0, limit);
    },
  };
}

export type UsernameRepository = ReturnType<typeof createUsernameRepository>;
