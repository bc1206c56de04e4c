import { defineResource } from '../../lib/resource.js';
import { flowExecutionFixtures } from './fixtures.js';
import { createFlowExecutionRepository, type FlowExecutionRepository } from './repository.js';
import { flowExecutionRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    flowExecutions: FlowExecutionRepository;
  }
}

export const flowExecutions = defineResource({
  name: 'flowExecutions',
  repository: createFlowExecutionRepository,
  routes: flowExecutionRoutes,
  fixtures: flowExecutionFixtures,
});
