// WhatsApp Flows (Meta's interactive forms) of a business account, with their flow.json asset and
// lifecycle (DRAFT -> PUBLISHED -> DEPRECATED). Their own table: nothing to do with /api/v1's agent
// Flows. Meta proxy only.
import { defineResource } from '../../lib/resource.js';
import { flowFixtures } from './fixtures.js';
import { createFlowRepository, type FlowRepository } from './repository.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    whatsappFlows: FlowRepository;
  }
}

export const whatsappFlows = defineResource({ name: 'whatsappFlows', repository: createFlowRepository, fixtures: flowFixtures });
