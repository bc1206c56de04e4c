import { z } from 'zod';
import { PathId } from '../../lib/schemas.js';
import { EmailInput, ProjectUser } from '../../resources/project-users/schemas.js';

export const ProjectParams = z.object({ project_id: PathId });

export const UserCreateBody = z.object({
  name: z.string().trim().min(1).max(200).meta({ description: 'The person\'s name.', example: 'Rosa Delgado' }),
  email: EmailInput.meta({ description: 'Unique in the project (stored in lower case).', example: 'rosa@acme.example' }),
});

export const UserResponse = z.object({ data: ProjectUser });
export const UserListResponse = z.object({ data: z.array(ProjectUser) });
