import { defineResource } from '../../lib/resource.js';
import { createAgentSettingsRepository, type AgentSettingsRepository } from './repository.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    agentSettings: AgentSettingsRepository;
  }
}

/** No /api/v1 routes and no fixtures: the control plane sets these (src/admin/agents/). */
export const agentSettings = defineResource({
  name: 'agentSettings',
  repository: createAgentSettingsRepository,
});
