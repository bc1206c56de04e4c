import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';

/** WhatsApp's business categories (Kapso's BusinessVertical). */
export const VERTICALS = [
  'ALCOHOL', 'APPAREL', 'AUTO', 'BEAUTY', 'EDU', 'ENTERTAIN', 'EVENT_PLAN', 'FINANCE', 'GOVT', 'GROCERY', 'HEALTH', 'HOTEL',
  'NONPROFIT', 'ONLINE_GAMBLING', 'OTC_DRUGS', 'OTHER', 'PHYSICAL_GAMBLING', 'PROF_SERVICES', 'RESTAURANT', 'RETAIL', 'TRAVEL',
] as const;
export type Vertical = (typeof VERTICALS)[number];

/** A business profile's fields, as stored and answered (absent: not set). */
export interface BusinessProfile {
  about?: string;
  address?: string;
  description?: string;
  email?: string;
  vertical?: Vertical;
  websites?: string[];
  profile_picture_url?: string;
}

/** The About text of a profile nobody wrote yet: WhatsApp's own default. */
export const DEFAULT_ABOUT = 'Hey there! I am using WhatsApp.';

/** `projects[].business_profiles[]`: a phone number's profile. */
export const BusinessProfileFixture = z.object({
  whatsapp_config_id: FixtureId,
  about: z.string().min(1).max(139).optional(),
  address: z.string().max(256).optional(),
  description: z.string().max(512).optional(),
  email: z.email().max(128).optional(),
  vertical: z.enum(VERTICALS).optional(),
  websites: z.array(z.url().max(256)).max(2).optional(),
  profile_picture_url: z.url().optional(),
});
