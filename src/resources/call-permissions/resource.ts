// Call permissions: a WhatsApp user's consent for a phone number to call them (temporary, on the
// mock's clock), and the permission requests sent to them. Meta proxy only; the calls family
// checks them before a business-initiated call.
import { defineResource } from '../../lib/resource.js';
import { callPermissionFixtures } from './fixtures.js';
import { createCallPermissionRepository, type CallPermissionRepository } from './repository.js';

declare module '../../lib/resource.js' {
  interface Repositories {
    callPermissions: CallPermissionRepository;
  }
}

export const callPermissions = defineResource({
  name: 'callPermissions', repository: createCallPermissionRepository, fixtures: callPermissionFixtures,
});
