// Phone numbers as the Meta proxy shows them: a WhatsApp config's number with its WhatsApp state
// (display number, verified name, quality, registration, two-step PIN, settings). A config has the
// defaults until something changes them. No /api/v1 routes.
import { defineResource } from '../../lib/resource.js';
import { phoneNumberFixtures } from './fixtures.js';
import { createPhoneNumberRepository, type PhoneNumberRepository } from './repository.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    phoneNumbers: PhoneNumberRepository;
  }
}

export const phoneNumbers = defineResource({ name: 'phoneNumbers', repository: createPhoneNumberRepository, fixtures: phoneNumberFixtures });
