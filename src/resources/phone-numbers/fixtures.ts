import { fixturePart } from '../../lib/resource.js';
import type { PhoneNumberRepository } from './repository.js';
import { DEFAULT_CALLING, PhoneNumberFixture } from './schemas.js';

/** `projects[].phone_numbers[]`: a config's number as WhatsApp shows it (display number, verified name, state, settings). */
export const phoneNumberFixtures = fixturePart({
  key: 'phone_numbers',
  schema: PhoneNumberFixture,
  insert: (repo: PhoneNumberRepository, p, { projectId }) =>
    repo.insert(projectId, p.whatsapp_config_id, {
      display_phone_number: p.display_phone_number, verified_name: p.verified_name, quality_rating: p.quality_rating,
      code_verification_status: p.code_verification_status, name_status: p.name_status, new_name_status: p.new_name_status,
      is_official_business_account: p.is_official_business_account, account_mode: p.account_mode,
      messaging_limit_tier: p.messaging_limit_tier, throughput_level: p.throughput_level, registered: p.registered,
      pin: p.two_step_pin ?? null, verification_code: null, fallback_language: p.fallback_language ?? null,
      calling: { ...DEFAULT_CALLING, ...p.calling },
    }, { id: p.id, created_at: p.created_at, updated_at: p.updated_at }),
});
