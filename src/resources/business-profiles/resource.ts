// Business profiles: what WhatsApp users see on a phone number's profile (Meta proxy only).
import { defineResource } from '../../lib/resource.js';
import { businessProfileFixtures } from './fixtures.js';
import { createBusinessProfileRepository, type BusinessProfileRepository } from './repository.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    businessProfiles: BusinessProfileRepository;
  }
}

export const businessProfiles = defineResource({
  name: 'businessProfiles', repository: createBusinessProfileRepository, fixtures: businessProfileFixtures,
});
