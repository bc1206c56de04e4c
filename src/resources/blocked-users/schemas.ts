import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';

/** A WhatsApp user's phone number as stored: digits only (API-DECISIONS "Messaging rules"). */
export const waDigits = (phone: string): string => phone.replace(/\D/g, '');

/** A phone number in any common spelling ("+1 (555) 010-2030"): 7 to 15 digits once the rest is dropped. */
export const PhoneNumberText = z
  .string()
  .refine((s) => /^[\d\s()+.-]+$/.test(s) && waDigits(s).length >= 7 && waDigits(s).length <= 15, { message: 'must be a phone number (7 to 15 digits)' });

/** WhatsApp's limit on a number's block list. */
export const BLOCKLIST_LIMIT = 64_000;

/** `projects[].blocked_users[]`: a user a phone number blocked. */
export const BlockedUserFixture = z.object({
  whatsapp_config_id: FixtureId,
  user: PhoneNumberText,
});
