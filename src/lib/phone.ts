// Phone numbers (API-DECISIONS "Messaging rules"): stored as digits only, so any common
// spelling of a number finds the same contact and conversation: `+1 (555) 010-2030`,
// `1 555 010 2030`, `15550102030` and `+15550102030` are one number.
import { z } from 'zod';

/** Characters a spelled number may contain besides digits: a leading +, spaces, dashes, dots, brackets. */
const SPELLING = /^\+?[\d\s().-]+$/;
/** E.164 numbers have at most 15 digits; real ones at least 7 with their country code. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

/** The number as digits, or undefined when the text is not a phone number. */
export function normalizePhone(text: string): string | undefined {
  const trimmed = text.trim();
  if (!SPELLING.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, '');
  return digits.length >= MIN_DIGITS && digits.length <= MAX_DIGITS ? digits : undefined;
}

/** How /api/v1 shows a stored number: E.164 with its +, as Kapso's examples do (`+15550102030`). */
export const displayPhone = (digits: string): string => `+${digits}`;

/** A phone number in a request body, normalized to digits; anything else is a 422 naming the field. */
export const PhoneInput = z
  .string()
  .transform((s, ctx) => {
    const digits = normalizePhone(s);
    if (digits === undefined) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid phone number (7 to 15 digits, e.g. +15550102030)' });
      return z.NEVER;
    }
    return digits;
  })
  .meta({ type: 'string', description: 'A phone number in international format; any common spelling (+1 (555) 010-2030) is the same number.', example: '+15550102030' });
