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

export const ProjectParams = z.object({ project_id: PathId });
export const ProjectResponse = data(Project);
