import { z } from 'zod';
import { data, paged, PageQuery, PathId, RequiredText, Timestamp, Uuid, WebUrl } from '../../lib/schemas.js';

/** The main spec's shape. access_token is write-only and has no place here. */
export const WhatsappConfig = z
  .object({
    id: Uuid,
    name: z.string(),
    display_name: z.string().meta({ description: '"<name> (+<phone_number_id>)"' }),
    phone_number_id: z.string(),
    business_account_id: z.string(),
    webhook_verify_token: z.string().optional(),
    webhook_destination_url: z.string().optional(),
    customer_id: Uuid.optional(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'WhatsappConfig' });
export type WhatsappConfig = z.infer<typeof WhatsappConfig>;

// Path examples are seeded IDs (the Demo Project's), so the reference page's "Try it out" works as it is.
export const ConfigParams = z.object({ config_id: PathId.meta({ example: 'b1000000-0000-4000-8000-000000000001' }) });
export const CustomerConfigsParams = z.object({ customer_id: PathId.meta({ example: 'c1000000-0000-4000-8000-000000000001' }) });
export const ConfigListQuery = PageQuery;

const fields = {
  name: RequiredText,
  phone_number_id: RequiredText,
  business_account_id: RequiredText,
  webhook_verify_token: RequiredText,
  webhook_destination_url: WebUrl.optional(),
  access_token: z.string().optional().meta({ description: 'Write-only: stored, never returned.' }),
};

export const ConfigCreateBody = z.object({ whatsapp_config: z.object(fields) });
export type ConfigInput = z.infer<typeof ConfigCreateBody>['whatsapp_config'];

export const ConfigUpdateBody = z.object({ whatsapp_config: z.object(fields).partial() });
export type ConfigPatch = z.infer<typeof ConfigUpdateBody>['whatsapp_config'];

export const ConfigResponse = data(WhatsappConfig);
export const ConfigListResponse = paged(WhatsappConfig);
