import { FixtureId } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import type { AgentWebhookRepository } from './repository.js';
import { AgentWebhookInput } from './schemas.js';

/** `projects[].agent_webhooks[]`: an agent's outbound webhooks (agent_id, url, secret_key; events default to all four). */
export const agentWebhookFixtures = fixturePart({
  key: 'agent_webhooks',
  schema: AgentWebhookInput.extend({ agent_id: FixtureId }),
  insert: (repo: AgentWebhookRepository, w, { projectId }) => repo.insert(projectId, { ...w, headers: w.headers ?? null }),
});
