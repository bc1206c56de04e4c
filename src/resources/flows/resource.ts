import { defineResource } from '../../lib/resource.js';
import { flowFixtures } from './fixtures.js';
import { createFlowRepository, type FlowRepository } from './repository.js';
import { flowRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    flows: FlowRepository;
  }
}

export const flows = defineResource({
  name: 'flows',
  repository: createFlowRepository,
  routes: flowRoutes,
  fixtures: flowFixtures,
});
