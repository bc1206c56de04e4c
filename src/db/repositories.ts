// Every repository of the app, created once per database (statements are prepared here, at start-up).
import type { Clock } from '../clock.js';
import type { Db } from './database.js';
import { createAgentWhatsappConfigRepository } from '../resources/agent-whatsapp-configs/repository.js';
import { createAgentRepository } from '../resources/agents/repository.js';
import { createCustomerRepository } from '../resources/customers/repository.js';
import { createProjectRepository } from '../resources/projects/repository.js';
import { createWhatsappConfigRepository } from '../resources/whatsapp-configs/repository.js';

export function createRepositories(db: Db, clock: Clock) {
  return {
    projects: createProjectRepository(db),
    customers: createCustomerRepository(db, clock),
    whatsappConfigs: createWhatsappConfigRepository(db, clock),
    agents: createAgentRepository(db, clock),
    agentWhatsappConfigs: createAgentWhatsappConfigRepository(db, clock),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
