import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, list, PathId, Timestamp, Uuid } from '../../lib/schemas.js';
import { WhatsappConfig } from '../whatsapp-configs/schemas.js';

export const AgentWhatsappConfig = z
  .object({
    id: Uuid,
    is_primary: z.boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
    whatsapp_config: WhatsappConfig,
  })
  .meta({ id: 'AgentWhatsappConfig' });
export type AgentWhatsappConfig = z.infer<typeof AgentWhatsappConfig>;

// Path examples are seeded IDs (the Demo Project's), so the reference page's "Try it out" works as it is.
const AgentId = PathId.meta({ example: 'a1000000-0000-4000-8000-000000000001' });
export const LinksParams = z.object({ agent_id: AgentId });
export const LinkParams = z.object({ agent_id: AgentId, id: PathId.meta({ example: 'd1000000-0000-4000-8000-000000000001' }) });

export const LinkCreateBody = wrapped('agent_whatsapp_config', z.object({
  // Any string: an ID that is not a UUID is a config that does not exist ("Whatsapp config must exist").
  whatsapp_config_id: PathId,
  is_primary: z.boolean().optional().meta({ description: 'Defaults to false. true makes this the agent\'s only primary link.' }),
}));

export const LinkUpdateBody = wrapped('agent_whatsapp_config', z.object({
  is_primary: z.boolean().optional().meta({ description: 'true makes this the agent\'s only primary link.' }),
}));

export const LinkResponse = data(AgentWhatsappConfig);
export const LinkListResponse = list(AgentWhatsappConfig);
