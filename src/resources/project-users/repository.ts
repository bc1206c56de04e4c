// A project's users: the people conversations are assigned to. No /api/v1 route reads or writes
// them (the spec has none); the fixtures and the control plane do, and conversation assignments
// reference them. A user who left the project is kept with active = false.
import { uniqueRules } from '../../db/constraints.js';
import { newId } from '../../lib/ids.js';
import { defineList } from '../../lib/list-query.js';
import type { RepoContext } from '../../lib/resource.js';
import type { ProjectUser } from './schemas.js';

export interface UserRecord extends Omit<ProjectUser, 'active'> {
  active: boolean;
}

type UserRow = Omit<UserRecord, 'active'> & { active: 0 | 1 };

const COLUMNS = 'id, name, email, active, created_at, updated_at';
const TYPE = 'project_user';

const toUser = (row: UserRow): ProjectUser => ({ ...row, active: row.active === 1 });

/** GET /__admin/projects/{project_id}/users: every user, newest first. */
export const UserList = defineList<UserRow, ProjectUser>({
  name: 'project_users',
  table: 'project_users',
  columns: COLUMNS,
  scope: ['project_id'],
  pagination: 'none',
  map: toUser,
});

export function createProjectUserRepository({ db, clock, events }: RepoContext) {
  const insert = db.prepare<[UserRow & { project_id: string }]>(
    `INSERT INTO project_users (project_id, ${COLUMNS}) VALUES (@project_id, @id, @name, @email, @active, @created_at, @updated_at)`,
  );
  const byId = db.prepare<[string, string], UserRow>(`SELECT ${COLUMNS} FROM project_users WHERE project_id = ? AND id = ?`);
  const list = UserList.prepare(db);
  const unique = uniqueRules({ 'project_users.project_id, project_users.email': 'Email has already been taken' });

  const write = (projectId: string, user: UserRecord) => unique(() => insert.run({ ...user, active: user.active ? 1 : 0, project_id: projectId }));

  return {
    /** Writes a user as given (fixtures). */
    insert: write,

    /** Adds a user to the project (the control plane). */
    create: db.transaction((projectId: string, input: { name: string; email: string }): ProjectUser => {
      const now = clock.iso();
      const user: UserRecord = { id: newId(), name: input.name, email: input.email, active: true, created_at: now, updated_at: now };
      write(projectId, user);
      events.publish('record.created', projectId, { type: TYPE, id: user.id });
      return toUser({ ...user, active: 1 });
    }),

    get(projectId: string, id: string): ProjectUser | undefined {
      const row = byId.get(projectId, id);
      return row && toUser(row);
    },

    /** Every user of the project, newest first. */
    list: (projectId: string): ProjectUser[] => list.all([projectId]),
  };
}

export type ProjectUserRepository = ReturnType<typeof createProjectUserRepository>;
