import { z } from 'zod';
import { FixtureId, FixtureTime } from '../../db/fixtures.js';
import { fixturePart } from '../../lib/resource.js';
import { ACTIVATION_CODE, expiryOf, type SandboxSessionRepository } from './repository.js';
import { phoneDigits, PhoneNumberInput } from './schemas.js';

/**
 * `projects[].sandbox_sessions[]`: WhatsApp sandbox sessions bound to an agent of the project.
 * expires_at defaults to 24 hours after created_at; an active session without activated_at was
 * activated when it was created.
 */
export const sandboxSessionFixtures = fixturePart({
  key: 'sandbox_sessions',
  schema: z.object({
    phone_number: PhoneNumberInput,
    agent_id: FixtureId,
    status: z.enum(['pending_activation', 'active']).default('pending_activation'),
    activation_code: z.string().regex(ACTIVATION_CODE, 'must be six capital letters or digits'),
    activated_at: FixtureTime.optional(),
    expires_at: FixtureTime.optional(),
  }),
  insert: (repo: SandboxSessionRepository, s, { projectId }) =>
    repo.insert(projectId, {
      id: s.id,
      agent_id: s.agent_id,
      phone_number: phoneDigits(s.phone_number),
      status: s.status,
      activation_code: s.activation_code,
      activated_at: s.status === 'active' ? (s.activated_at ?? s.created_at) : null,
      expires_at: s.expires_at ?? expiryOf(s.created_at),
      created_at: s.created_at,
      updated_at: s.updated_at,
    }),
});
