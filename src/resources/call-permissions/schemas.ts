import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';
import { PhoneNumberText } from '../blocked-users/schemas.js';

/** How long a permission to call a user lasts once granted (WhatsApp: 7 days). */
export const PERMISSION_HOURS = 7 * 24;

/** WhatsApp's limits on calling one user (Kapso's call_permissions example): ISO 8601 period, how many, in ms. */
export const LIMITS = {
  start_call: [{ time_period: 'PT24H', max_allowed: 5, ms: 24 * 3600_000 }],
  send_call_permission_request: [
    { time_period: 'PT24H', max_allowed: 1, ms: 24 * 3600_000 },
    { time_period: 'P7D', max_allowed: 2, ms: 7 * 24 * 3600_000 },
  ],
} as const;

/**
 * `projects[].call_permissions[]`: a user's permission for a number to call them. It lasts
 * `expires_in_hours` from the moment the fixtures load (default 7 days), so a seeded permission
 * is current whenever the mock starts.
 */
export const CallPermissionFixture = z.object({
  whatsapp_config_id: FixtureId,
  user_wa_id: PhoneNumberText,
  expires_in_hours: z.number().positive().max(PERMISSION_HOURS).default(PERMISSION_HOURS),
});
