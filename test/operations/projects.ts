import type { FamilyTable } from '../helpers/operations.js';

export const projectOperations: FamilyTable = {
  kinds: { projects: { table: 'projects', notFound: 'Project not found' } },
  params: { project_id: 'projects' },
  operations: {},
};
