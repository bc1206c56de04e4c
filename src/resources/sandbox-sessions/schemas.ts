import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, paged, PathId, Timestamp, Uuid } from '../../lib/schemas.js';
import { Agent } from '../agents/schemas.js';

/** A phone number as people write it: `+1 (555) 010-2030`, `15550102030`. Stored as its digits. */
export const phoneDigits = (s: string): string => s.replace(/[\s().\-+]/g, '');

/** A phone number in a request body: any common spelling of 7 to 15 digits (E.164's limit), not starting with 0. */
export const PhoneNumberInput = z.string().refine((s) => /^\+?[\d\s().-]+$/.test(s.trim()) && /^[1-9]\d{6,14}$/.test(phoneDigits(s)), {
  message: 'is not a valid phone number (E.164, e.g. +14155550123)',
});

export const SandboxSession = z
  .object({
    id: Uuid,
    phone_number: z.string().meta({ description: 'The developer\'s phone number bound to the sandbox, "+<digits>"' }),
    status: z.enum(['pending_activation', 'active']),
    activation_code: z.string().meta({ description: 'Six characters to send to the sandbox number' }),
    activation_message: z.string(),
    activation_link: z.string().meta({ description: 'wa.me link that opens a chat with the sandbox number, the code typed in' }),
    activated_at: Timestamp.nullable(),
    expires_at: Timestamp.nullable().meta({ description: '24 hours after creation' }),
    created_at: Timestamp,
    updated_at: Timestamp,
    agent: Agent,
  })
  .meta({ id: 'WhatsappSandboxSession' });
export type SandboxSession = z.infer<typeof SandboxSession>;

export const SandboxSessionParams = z.object({ id: PathId.meta({ example: '5b100000-0000-4000-8000-000000000001' }) });

export const SandboxSessionCreateBody = wrapped('whatsapp_sandbox_session', z.object({
  phone_number: PhoneNumberInput.meta({ example: '+12345678901' }),
  // Any string: an ID that is not a UUID is an agent that does not exist ("Agent must exist").
  agent_id: PathId,
}));
export type SandboxSessionInput = z.infer<typeof SandboxSessionCreateBody>['whatsapp_sandbox_session'];

export const SandboxSessionResponse = data(SandboxSession);
export const SandboxSessionListResponse = paged(SandboxSession);
