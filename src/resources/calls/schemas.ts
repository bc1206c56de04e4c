import { z } from 'zod';
import { FixtureId, FixtureTime } from '../../db/fixtures.js';
import { PhoneNumberText } from '../blocked-users/schemas.js';

export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const CALL_STATUSES = ['initiated', 'ringing', 'answered', 'completed', 'failed'] as const;
export type CallStatus = (typeof CALL_STATUSES)[number];

/** A call still going on: it can be answered or ended. */
export const ACTIVE_STATUSES: readonly CallStatus[] = ['initiated', 'ringing', 'answered'];

/** A call as stored. */
export interface CallRecord {
  id: string;
  whatsapp_config_id: string;
  call_id: string;
  direction: 'inbound' | 'outbound';
  status: CallStatus;
  user_wa_id: string;
  pre_accepted: number;
  biz_opaque_callback_data: string | null;
  started_at: string | null;
  session_started_at: string | null;
  ended_at: string | null;
  duration_seconds: number | null;
  created_at: string;
  updated_at: string;
}

/** `projects[].calls[]`: a call on a phone number. */
export const CallFixture = z.object({
  whatsapp_config_id: FixtureId,
  call_id: z.string().regex(/^wacid\.[A-Za-z0-9_-]+$/, 'must be wacid. followed by letters, digits, - or _'),
  direction: z.enum(CALL_DIRECTIONS),
  status: z.enum(CALL_STATUSES),
  user_wa_id: PhoneNumberText,
  biz_opaque_callback_data: z.string().max(512).optional(),
  started_at: FixtureTime.optional(),
  session_started_at: FixtureTime.optional(),
  ended_at: FixtureTime.optional(),
});

