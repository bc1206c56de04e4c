import { z } from 'zod';
import { wrapped } from '../../lib/route.js';
import { data, paged, PathId, queryText, RequiredText, Timestamp, Uuid, WebUrl } from '../../lib/schemas.js';

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

/**
 * A config as the API's later revision shows it in the project-wide list (GET /whatsapp_configs):
 * the write-only fields left out, as that revision says, and its own fields added.
 */
export const ProjectWhatsappConfig = z
  .object({
    id: Uuid,
    name: z.string(),
    display_name: z.string().meta({ description: '"<name> (+<phone_number_id>)"' }),
    phone_number_id: z.string(),
    business_account_id: z.string(),
    kind: z.enum(['production', 'sandbox']).meta({ description: 'Configuration environment type' }),
    display_phone_number: z.string().optional().meta({ description: 'Formatted phone number for display purposes; left out when unknown' }),
    display_phone_number_normalized: z.string().optional().meta({ description: 'display_phone_number, digits only' }),
    is_coexistence: z.boolean(),
    webhook_verified_at: Timestamp.nullable(),
    customer_id: Uuid.optional(),
    inbound_processing_enabled: z.boolean(),
    calls_enabled: z.boolean(),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'ProjectWhatsappConfig' });
export type ProjectWhatsappConfig = z.infer<typeof ProjectWhatsappConfig>;

// Path examples are seeded IDs (the Demo Project's), so the reference page's "Try it out" works as it is.
export const ConfigParams = z.object({ config_id: PathId.meta({ example: 'b1000000-0000-4000-8000-000000000001' }) });
export const CustomerConfigsParams = z.object({ customer_id: PathId.meta({ example: 'c1000000-0000-4000-8000-000000000001' }) });

const fields = {
  name: RequiredText,
  phone_number_id: RequiredText,
  business_account_id: RequiredText,
  webhook_verify_token: RequiredText,
  webhook_destination_url: WebUrl.optional(),
  access_token: z.string().optional().meta({ description: 'Write-only: stored, never returned.' }),
};

export const ConfigCreateBody = wrapped('whatsapp_config', z.object(fields));
export type ConfigInput = z.infer<typeof ConfigCreateBody>['whatsapp_config'];

export const ConfigUpdateBody = wrapped('whatsapp_config', z.object(fields).partial());
export type ConfigPatch = z.infer<typeof ConfigUpdateBody>['whatsapp_config'];

export const ConfigResponse = data(WhatsappConfig);
export const ConfigListResponse = paged(WhatsappConfig);
export const ProjectConfigListResponse = paged(ProjectWhatsappConfig);

/** The plain `business_account_id` parameter of GET /whatsapp_configs, beside its Ransack twin. */
export const BusinessAccountQuery = {
  business_account_id: queryText('Only the configs of this WhatsApp Business Account (applied before the q[...] filters).'),
};
