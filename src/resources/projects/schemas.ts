import { z } from 'zod';
import { data, PathId, Timestamp, Uuid } from '../../lib/schemas.js';

export const Project = z
  .object({
    id: Uuid,
    name: z.string(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'Project' });
export type Project = z.infer<typeof Project>;

// Path examples are seeded IDs (the Demo Project's), so the reference page's "Try it out" works as it is.
export const ProjectParams = z.object({ project_id: PathId.meta({ example: '11111111-1111-4111-8111-111111111111' }) });
export const ProjectResponse = data(Project);
