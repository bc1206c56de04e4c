import { z } from 'zod';
import { Uuid } from '../../lib/schemas.js';

/** A project's AI settings, as the control plane shows them. */
export const AgentSettings = z
  .object({
    project_id: Uuid,
    credits: z.number().int().nullable().meta({ description: 'AI credits left; null: unlimited (the default).' }),
    test_chat_latency_ms: z.number().int().meta({ description: 'How long (mock clock) a test chat stays processing before its reply lands; 0: at once.' }),
  })
  .meta({ id: 'AdminAgentSettings' });
export type AgentSettings = z.infer<typeof AgentSettings>;
