import { z } from 'zod';
import { data, PathId, Timestamp, Uuid } from '../../lib/schemas.js';

export const SETUP_LINK_STATUSES = ['active', 'used', 'expired', 'revoked'] as const;
export type SetupLinkStatus = (typeof SETUP_LINK_STATUSES)[number];

export const SetupLink = z
  .object({
    id: Uuid,
    status: z.enum(SETUP_LINK_STATUSES).meta({
      description: 'active until used, revoked (a newer link for the customer) or expired (30 days after creation, by the mock\'s clock)',
    }),
    expires_at: Timestamp.meta({ description: 'When the link expires: 30 days after created_at' }),
    url: z.string().meta({ format: 'uri', description: 'The setup URL for WhatsApp configuration' }),
    created_at: Timestamp,
  })
  .meta({ id: 'SetupLink' });
export type SetupLink = z.infer<typeof SetupLink>;

export const SetupLinksParams = z.object({ customer_id: PathId.meta({ example: 'c1000000-0000-4000-8000-000000000001' }) });

/** The setup links list's own meta: `current_page` where the other lists say `page`. */
export const CurrentPageMeta = z
  .object({
    current_page: z.number().int(),
    per_page: z.number().int(),
    total_pages: z.number().int(),
    total_count: z.number().int(),
  })
  .meta({ id: 'CurrentPageMeta' });

export const SetupLinkResponse = data(SetupLink);
export const SetupLinkListResponse = z.object({ data: z.array(SetupLink), meta: CurrentPageMeta });
