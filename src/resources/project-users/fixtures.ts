import { z } from 'zod';
import { fixturePart } from '../../lib/resource.js';
import type { ProjectUserRepository } from './repository.js';
import { EmailInput } from './schemas.js';

/** `projects[].users[]`: the people of the project; `active: false` for one who left it (kept, not assignable). */
export const projectUserFixtures = fixturePart({
  key: 'users',
  schema: z.object({
    name: z.string().trim().min(1).max(200),
    email: EmailInput,
    active: z.boolean().default(true),
  }),
  siblings: {
    check: (users) => new Set(users.map((u) => u.email)).size === users.length,
    message: 'two users of a project share an e-mail address',
  },
  insert: (repo: ProjectUserRepository, u, { projectId }) =>
    repo.insert(projectId, { id: u.id, name: u.name, email: u.email, active: u.active, created_at: u.created_at, updated_at: u.updated_at }),
});
