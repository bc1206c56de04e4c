import { z } from 'zod';
import { Timestamp, Uuid } from '../../lib/schemas.js';

/**
 * A person of the project (Kapso's users, whom conversations are assigned to). The spec has no
 * users endpoint: users come from the fixtures and the control plane, and /api/v1 shows their IDs
 * in conversation assignments.
 */
export const ProjectUser = z
  .object({
    id: Uuid,
    name: z.string(),
    email: z.string(),
    active: z.boolean().meta({ description: 'false for a user who left the project: kept, but no longer assignable.' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'ProjectUser' });
export type ProjectUser = z.infer<typeof ProjectUser>;

/** An e-mail address as the fixtures and the control plane take it (stored in lower case). */
export const EmailInput = z.email({ error: 'is not a valid e-mail address' }).max(254).transform((s) => s.toLowerCase());
