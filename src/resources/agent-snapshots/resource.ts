import { defineResource } from '../../lib/resource.js';
import { snapshotFixtures } from './fixtures.js';
import { createAgentSnapshotRepository, type AgentSnapshotRepository } from './repository.js';
import { agentSnapshotRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    agentSnapshots: AgentSnapshotRepository;
  }
}

export const agentSnapshots = defineResource({
  name: 'agentSnapshots',
  repository: createAgentSnapshotRepository,
  routes: agentSnapshotRoutes,
  fixtures: snapshotFixtures,
});
