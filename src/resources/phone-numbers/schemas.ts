import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';

export const QUALITY_RATINGS = ['GREEN', 'YELLOW', 'RED', 'NA', 'UNKNOWN'] as const;
export const CODE_VERIFICATION_STATUSES = ['NOT_VERIFIED', 'VERIFIED', 'EXPIRED'] as const;
export const ACCOUNT_MODES = ['SANDBOX', 'LIVE'] as const;
export const MESSAGING_LIMIT_TIERS = ['TIER_50', 'TIER_250', 'TIER_1K', 'TIER_10K', 'TIER_100K', 'TIER_UNLIMITED'] as const;

const OnOff = z.enum(['ENABLED', 'DISABLED']);
const Time = z.string().regex(/^([01]\d|2[0-3])[0-5]\d$/, 'must be a time as HHMM');

/** Meta's calling settings of a phone number (POST /{phone_number_id}/settings), as stored and answered. */
export const CallingSettings = z.object({
  status: OnOff.optional().meta({ description: 'Calling on this number (ENABLED lets the business place and take calls).' }),
  call_icon_visibility: z.enum(['DEFAULT', 'DISABLE_ALL']).optional(),
  call_hours: z.object({
    status: OnOff.optional(),
    timezone_id: z.string().min(1).optional(),
    weekly_operating_hours: z.array(z.object({
      day_of_week: z.enum(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']),
      open_time: Time,
      close_time: Time,
    })).optional(),
    holiday_schedule: z.array(z.object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD'),
      start_time: Time,
      end_time: Time,
    })).optional(),
  }).optional(),
  callback_permission_status: OnOff.optional().meta({ description: 'ENABLED: a user who calls the business lets it call back for 7 days.' }),
  sip: z.object({
    status: OnOff.optional(),
    servers: z.array(z.object({
      hostname: z.string().min(1),
      port: z.number().int().min(1).max(65535).optional(),
      request_uri_user_params: z.record(z.string(), z.string()).optional(),
    })).optional(),
  }).optional(),
});
export type CallingSettings = z.infer<typeof CallingSettings>;

/** A new number's calling settings: off, as on WhatsApp. */
export const DEFAULT_CALLING: CallingSettings = { status: 'DISABLED', call_icon_visibility: 'DEFAULT', callback_permission_status: 'DISABLED' };

/** Two-step verification PIN: six digits. */
export const Pin = z.string().regex(/^\d{6}$/, 'must be six digits');

/** `projects[].phone_numbers[]`: the proxy's view of a config's number; a config without one has the defaults. */
export const PhoneNumberFixture = z.object({
  whatsapp_config_id: FixtureId,
  display_phone_number: z.string().min(1),
  verified_name: z.string().min(1),
  quality_rating: z.enum(QUALITY_RATINGS).default('GREEN'),
  code_verification_status: z.enum(CODE_VERIFICATION_STATUSES).default('VERIFIED'),
  name_status: z.string().min(1).default('APPROVED'),
  new_name_status: z.string().min(1).default('NONE'),
  is_official_business_account: z.boolean().default(false),
  account_mode: z.enum(ACCOUNT_MODES).default('LIVE'),
  messaging_limit_tier: z.enum(MESSAGING_LIMIT_TIERS).default('TIER_1K'),
  throughput_level: z.string().min(1).default('STANDARD'),
  registered: z.boolean().default(true),
  two_step_pin: Pin.optional(),
  fallback_language: z.string().min(2).optional(),
  calling: CallingSettings.optional(),
});
