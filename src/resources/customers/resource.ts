import { defineResource } from '../../lib/resource.js';
import { customerFixtures } from './fixtures.js';
import { createCustomerRepository, type CustomerRepository } from './repository.js';
import { customerRoutes } from './routes.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    customers: CustomerRepository;
  }
}

export const customers = defineResource({
  name: 'customers',
  repository: createCustomerRepository,
  routes: customerRoutes,
  fixtures: customerFixtures,
});
