import { z } from 'zod';
import { Timestamp } from '../../lib/schemas.js';

export const ResetQuery = z.object({
  project_id: z.string().optional().meta({ description: 'Reset only this project (a fixture project, a sandbox or an auto-provisioned one).' }),
});

export const ResetResponse = z.object({
  data: z.object({
    scope: z.enum(['all', 'project']),
    project_id: z.string().optional(),
    took_ms: z.number(),
  }),
});

const SnapshotName = z
  .string()
  .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be 1 to 100 letters, digits, dots, dashes or underscores');

export const SnapshotBody = z.object({ name: SnapshotName });
export const SnapshotParams = z.object({ name: z.string() });
export const Snapshot = z.object({ name: z.string(), created_at: Timestamp });
export const SnapshotResponse = z.object({ data: Snapshot });
export const SnapshotListResponse = z.object({ data: z.array(Snapshot) });

export const FixturesQuery = z.object({
  mode: z.enum(['merge', 'replace']).default('merge').meta({
    description: 'merge: the document\'s projects replace projects with the same ID, others stay. replace: the document becomes the whole state.',
  }),
});

/** Shape only, unknown keys kept: parseFixtures() validates strictly and names the bad record. */
export const FixturesBody = z.looseObject({
  projects: z.array(z.record(z.string(), z.unknown())).meta({ description: 'Projects in the format of the fixtures/ files (see the README).' }),
});

export const FixturesResponse = z.object({
  data: z.object({ mode: z.enum(['merge', 'replace']), project_ids: z.array(z.string()) }),
});
