import { defineResource } from '../../lib/resource.js';
import { agentWebhookFixtures } from './fixtures.js';
import { createAgentWebhookRepository, type AgentWebhookRepository } from './repository.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    agentWebhooks: AgentWebhookRepository;
  }
}

/** Agent webhooks have no /api/v1 routes (Kapso sets them in its dashboard): /__admin and the fixtures write them. */
export const agentWebhooks = defineResource({
  name: 'agentWebhooks',
  repository: createAgentWebhookRepository,
  fixtures: agentWebhookFixtures,
});
