import { z } from 'zod';
import { Timestamp, Uuid } from '../../lib/schemas.js';

export const ProjectSummary = z.object({
  id: Uuid,
  name: z.string(),
  origin: z.enum(['fixtures', 'sandbox', 'auto']),
  seeded_from: z.string().nullable(),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const SandboxBody = z.object({
  name: z.string().min(1).max(200).optional(),
  api_key: z.string().min(8).max(200).optional().meta({ description: 'The key to use (default: a new random one).' }),
  seed: z.union([z.boolean(), z.string()]).optional().meta({
    description: 'true: copy the first fixture project (the Demo Project), keeping its record IDs; a fixture project ID: copy that one; absent or false: empty.',
  }),
});

export const ProjectDetailResponse = z.object({
  data: ProjectSummary.extend({
    api_key: z.string().nullable().meta({
      description: "The project's API key where the mock knows it: a fixture project's (its fixtures', or KAPSO_MOCK_API_KEY). "
        + 'null for sandbox and auto-provisioned projects: their keys are stored as hashes, shown only when made.',
    }),
  }),
});

export const SandboxResponse = z.object({ data: ProjectSummary.extend({ api_key: z.string() }) });
export const ProjectListResponse = z.object({ data: z.array(ProjectSummary) });
export const ProjectIdParams = z.object({ project_id: z.string().meta({ example: '11111111-1111-4111-8111-111111111111' }) });
