// Graph-shaped building blocks of the Meta proxy's routes: the error body, {success}, cursor
// paging, the path parameters, and the objects GET /{id} can name (phone number, media, Flow).
import { z } from 'zod';
import { CallingSettings } from '../../resources/phone-numbers/schemas.js';
import { FLOW_STATUSES } from '../../resources/whatsapp-flows/schemas.js';

export const GraphErrorBody = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().meta({ description: 'OAuthException, GraphMethodException, ...' }),
      code: z.number().int().meta({ description: "Meta's error code (100 bad parameter, 190 bad key, 131047 re-engagement window, ...)." }),
      error_subcode: z.number().int().optional(),
      error_data: z.record(z.string(), z.unknown()).optional(),
      fbtrace_id: z.string(),
    }),
  })
  .meta({ id: 'GraphError', description: "Meta's Graph error: every failure on the Meta proxy." });

export const Success = z.object({ success: z.boolean() }).meta({ id: 'GraphSuccess' });

export const Paging = z
  .object({
    cursors: z.object({
      before: z.string().optional().meta({ description: 'Cursor of the first item, when there are items before it (pass as `before`).' }),
      after: z.string().optional().meta({ description: 'Cursor of the last item, when there are items after it (pass as `after`).' }),
    }),
  })
  .meta({ id: 'GraphPaging' });

/** The paging of a cursor page: a cursor on each side that has more. */
export const pagingOf = (page: { before: string | undefined; after: string | undefined }) => ({
  cursors: { ...(page.before !== undefined && { before: page.before }), ...(page.after !== undefined && { after: page.after }) },
});

export const CursorQuery = {
  limit: z.unknown().optional().meta({ type: 'integer', minimum: 1, maximum: 100, default: 20, description: 'Items per page (default 20, at most 100).' }),
  after: z.string().optional().meta({ description: 'Cursor: the page after this one (paging.cursors.after).' }),
  before: z.string().optional().meta({ description: 'Cursor: the page before this one (paging.cursors.before).' }),
};

export const FieldsQuery = z.string().optional().meta({ description: 'Comma-separated fields to answer (Graph field selection).' });

const version = z.string().meta({ description: 'Graph API version, as the SDK sends it (any vNN.N, e.g. v24.0).', example: 'v24.0' });
const id = (description: string) => z.string().meta({ description });

export const PhoneParams = z.object({ version, phone_number_id: id('WhatsApp Business Phone Number ID (a WhatsApp config\'s phone_number_id).') });
export const BusinessAccountParams = z.object({ version, business_account_id: id('WhatsApp Business Account ID (a WhatsApp config\'s business_account_id).') });
export const FlowParams = z.object({ version, flow_id: id('WhatsApp Flow ID.') });
export const ObjectParams = z.object({ version, id: id('A phone number ID, a media ID or a WhatsApp Flow ID: the kind of object it names decides the answer.') });
export const FlowOwnerParams = z.object({ version, id: id('A business account ID, or a phone number ID (its business account\'s Flows).') });

export const MessagingProduct = z.literal('whatsapp').meta({ description: 'Always "whatsapp".' });

/** A phone number as Meta describes it; `fields` chooses which of these are answered. */
export const GraphPhoneNumber = z
  .object({
    id: z.string(),
    verified_name: z.string().optional(),
    display_phone_number: z.string().optional(),
    quality_rating: z.enum(['GREEN', 'YELLOW', 'RED', 'NA', 'UNKNOWN']).optional(),
    code_verification_status: z.string().optional().meta({ description: 'NOT_VERIFIED, VERIFIED or EXPIRED.' }),
    is_official_business_account: z.boolean().optional(),
    name_status: z.string().optional(),
    new_name_status: z.string().optional(),
    platform_type: z.string().optional().meta({ description: 'CLOUD_API when registered, NOT_APPLICABLE when not.' }),
    throughput: z.object({ level: z.string() }).optional(),
    account_mode: z.enum(['SANDBOX', 'LIVE']).optional(),
    certificate: z.string().optional(),
    messaging_limit_tier: z.string().optional(),
  })
  .meta({ id: 'GraphPhoneNumber' });

export const GraphMedia = z
  .object({
    messaging_product: MessagingProduct,
    id: z.string(),
    url: z.string().meta({ format: 'uri', description: 'Download URL served by the mock (5 minutes).' }),
    mime_type: z.string(),
    sha256: z.string(),
    file_size: z.string().meta({ description: 'Bytes, as a string.' }),
    download_url: z.string().meta({ format: 'uri', description: 'Kapso-style signed download URL (4 minutes), no API key needed.' }),
    download_url_expires_at: z.string().meta({ format: 'date-time' }),
  })
  .meta({ id: 'GraphMedia' });

export const FlowValidationError = z
  .object({
    error: z.string(),
    error_type: z.string(),
    message: z.string(),
    line_start: z.number().int(),
    line_end: z.number().int(),
    column_start: z.number().int(),
    column_end: z.number().int(),
  })
  .meta({ id: 'FlowValidationError' });

/** A WhatsApp Flow in a list: Meta's default fields. */
export const FlowSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(FLOW_STATUSES),
    categories: z.array(z.string()),
    validation_errors: z.array(FlowValidationError),
  })
  .meta({ id: 'FlowSummary' });

/** A WhatsApp Flow; `fields` chooses which of these are answered. */
export const GraphFlow = z
  .object({
    id: z.string(),
    name: z.string().optional(),
    status: z.enum(FLOW_STATUSES).optional(),
    categories: z.array(z.string()).optional(),
    validation_errors: z.array(FlowValidationError).optional(),
    json_version: z.string().optional(),
    data_api_version: z.string().optional(),
    endpoint_uri: z.string().optional().meta({ format: 'uri' }),
    preview: z.object({ preview_url: z.string().meta({ format: 'uri' }), expires_at: z.string().meta({ format: 'date-time' }) }).optional(),
    whatsapp_business_account: z.object({ id: z.string() }).optional(),
    application: z.object({ id: z.string() }).optional(),
    health_status: z.object({
      can_send_message: z.enum(['AVAILABLE', 'LIMITED', 'BLOCKED']),
      entities: z.array(z.object({ entity_type: z.string(), id: z.string(), can_send_message: z.enum(['AVAILABLE', 'LIMITED', 'BLOCKED']) })),
    }).optional(),
  })
  .meta({ id: 'GraphFlow' });

/** GET /{id}: whichever kind of object the ID names. */
export const GraphObject = z.union([GraphPhoneNumber, GraphMedia, GraphFlow]);

export const PhoneNumberSettings = z
  .object({
    calling: CallingSettings.extend({
      sip: z.object({
        status: z.enum(['ENABLED', 'DISABLED']).optional(),
        servers: z.array(z.object({
          hostname: z.string(),
          port: z.number().int().optional(),
          request_uri_user_params: z.record(z.string(), z.string()).optional(),
          sip_user_password: z.string().optional().meta({ description: 'Only with include_sip_credentials=true.' }),
        })).optional(),
      }).optional(),
    }),
    fallback_language: z.string().optional(),
  })
  .meta({ id: 'PhoneNumberSettings' });
