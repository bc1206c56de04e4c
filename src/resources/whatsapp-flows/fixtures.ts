import { fixturePart } from '../../lib/resource.js';
import type { FlowRepository } from './repository.js';
import { FlowFixture } from './schemas.js';

/** `projects[].whatsapp_flows[]`: WhatsApp Flows of the project's business accounts. */
export const flowFixtures = fixturePart({
  key: 'whatsapp_flows',
  schema: FlowFixture,
  insert: (repo: FlowRepository, f, { projectId }) =>
    repo.insert(projectId, {
      id: f.id, flow_id: f.flow_id, business_account_id: f.business_account_id, name: f.name, status: f.status, categories: f.categories,
      endpoint_uri: f.endpoint_uri ?? null, application_id: f.application_id ?? null, flow_json: f.flow_json ?? null,
      created_at: f.created_at, updated_at: f.updated_at,
    }),
});
