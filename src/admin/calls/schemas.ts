import { z } from 'zod';
import { PhoneNumberText } from '../../resources/blocked-users/schemas.js';
import { PERMISSION_HOURS } from '../../resources/call-permissions/schemas.js';
import { CALL_STATUSES } from '../../resources/calls/schemas.js';
import { Timestamp, Uuid } from '../../lib/schemas.js';

const projectId = z.string().optional().meta({
  description: 'The project (default: the one of the X-API-Key header, else the only project with that phone number or call).',
});

export const RingBody = z.object({
  phone_number_id: z.string().min(1).meta({ description: 'The business number called (a WhatsApp config\'s phone_number_id).' }),
  from: PhoneNumberText.meta({ description: 'The WhatsApp user calling.' }),
  project_id: projectId,
});

export const CallStatusParams = z.object({ call_id: z.string() });
export const CallStatusBody = z.object({
  status: z.enum(CALL_STATUSES.filter((s) => s !== 'initiated') as ['ringing', 'answered', 'completed', 'failed']).meta({
    description: 'What the user\'s side did: ringing, answered, completed (hung up) or failed.',
  }),
  project_id: projectId,
});

export const AdminCall = z.object({
  id: Uuid,
  project_id: Uuid,
  phone_number_id: z.string(),
  call_id: z.string(),
  direction: z.enum(['inbound', 'outbound']),
  status: z.enum(CALL_STATUSES),
  user_wa_id: z.string(),
  started_at: Timestamp.nullable(),
  session_started_at: Timestamp.nullable(),
  ended_at: Timestamp.nullable(),
  duration_seconds: z.number().int().nullable(),
});
export const AdminCallResponse = z.object({ data: AdminCall });

export const PermissionBody = z.object({
  phone_number_id: z.string().min(1),
  user_wa_id: PhoneNumberText.meta({ description: 'The WhatsApp user who lets the number call them.' }),
  expires_in_hours: z.number().positive().max(PERMISSION_HOURS).default(PERMISSION_HOURS).meta({ description: 'How long the permission lasts (at most 7 days, the default).' }),
  project_id: projectId,
});
export const PermissionResponse = z.object({
  data: z.object({ project_id: Uuid, phone_number_id: z.string(), user_wa_id: z.string(), status: z.literal('temporary'), expires_at: Timestamp }),
});
