import { RecordInvalid } from '../../errors.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import { BLOCKLIST_LIMIT } from './schemas.js';

interface Row {
  id: string;
  wa_id: string;
  created_at: string;
}

/** GET /{phone_number_id}/block_users: a number's blocked users, most recently blocked first, by cursor. */
export const BlockedUserList = defineList<Row, { user: string }>({
  name: 'blocked_users',
  table: 'blocked_users',
  columns: 'id, wa_id, created_at',
  scope: ['project_id', 'whatsapp_config_id'],
  pagination: 'cursor',
  map: (row) => ({ user: row.wa_id }),
});

const TYPE = 'blocked_user';

export function createBlockedUserRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[string, string, string, string, string, string]>(
    'INSERT INTO blocked_users (project_id, id, whatsapp_config_id, wa_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const find = db.prepare<[string, string, string], { id: string }>('SELECT id FROM blocked_users WHERE project_id = ? AND whatsapp_config_id = ? AND wa_id = ?');
  const count = db.prepare<[string, string], number>('SELECT count(*) FROM blocked_users WHERE project_id = ? AND whatsapp_config_id = ?').pluck();
  const remove = db.prepare<[string, string]>('DELETE FROM blocked_users WHERE project_id = ? AND id = ?');
  const list = BlockedUserList.prepare(db);

  return {
    /** Writes a block as given (fixtures). */
    insert(projectId: string, id: string, configId: string, waId: string, createdAt: string, updatedAt: string): void {
      insert.run(projectId, id, configId, waId, createdAt, updatedAt);
    },

    isBlocked(projectId: string, configId: string, waId: string): boolean {
      return find.get(projectId, configId, waId) !== undefined;
    },

    list: (projectId: string, configId: string, query: Record<string, unknown>) => list.cursor([projectId, configId], query),

    /** Blocks every user given (digits), or none: a user already blocked cannot be blocked again. */
    block: db.transaction((projectId: string, configId: string, waIds: string[]): void => {
      const users = [...new Set(waIds)];
      const already = users.filter((u) => find.get(projectId, configId, u));
      if (already.length > 0) {
        throw new RecordInvalid(`Failed to block users: ${already.join(', ')} ${already.length === 1 ? 'is' : 'are'} already blocked`, {
          graphCode: 139100, data: { details: `Already blocked: ${already.join(', ')}` },
        });
      }
      if (count.get(projectId, configId)! + users.length > BLOCKLIST_LIMIT) {
        throw new RecordInvalid(`Blocklist limit reached: a phone number can block at most ${BLOCKLIST_LIMIT} users`, { graphCode: 139101 });
      }
      const now = clock.iso();
      for (const user of users) {
        const id = newId();
        insert.run(projectId, id, configId, user, now, now);
        events.publish('record.created', projectId, { type: TYPE, id });
      }
    }),

    /** Unblocks every user given, or none: a user who is not blocked cannot be unblocked. */
    unblock: db.transaction((projectId: string, configId: string, waIds: string[]): void => {
      const users = [...new Set(waIds)];
      const rows = users.map((u) => [u, find.get(projectId, configId, u)] as const);
      const notBlocked = rows.filter(([, row]) => !row).map(([u]) => u);
      if (notBlocked.length > 0) {
        throw new RecordInvalid(`Failed to unblock users: ${notBlocked.join(', ')} ${notBlocked.length === 1 ? 'is' : 'are'} not blocked`, {
          graphCode: 139100, data: { details: `Not blocked: ${notBlocked.join(', ')}` },
        });
      }
      for (const [, row] of rows) {
        remove.run(projectId, row!.id);
        events.publish('record.deleted', projectId, { type: TYPE, id: row!.id });
      }
    }),
  };
}

export type BlockedUserRepository = ReturnType<typeof createBlockedUserRepository>;
