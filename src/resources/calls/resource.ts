// Calls on a phone number (WhatsApp Calling through the Meta proxy): business-initiated calls
// need the user's permission (call-permissions), inbound calls ring until accepted or rejected.
import { defineResource } from '../../lib/resource.js';
import { callFixtures } from './fixtures.js';
import { createCallRepository, type CallRepository } from './repository.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    calls: CallRepository;
  }
}

export const calls = defineResource({ name: 'calls', repository: createCallRepository, fixtures: callFixtures });
