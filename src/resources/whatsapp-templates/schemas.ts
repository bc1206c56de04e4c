import { z } from 'zod';
import { PhoneInput } from '../../lib/phone.js';
import { wrapped } from '../../lib/route.js';
import { data, JsonObject, paged, PathId, Timestamp, Uuid } from '../../lib/schemas.js';

export const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export const STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'disabled'] as const;
export const HEADER_TYPES = ['text', 'image', 'video', 'document'] as const;

/** One of Meta's template components, as stored and as the Meta proxy shows them. */
export const MetaComponent = z.object({
  type: z.enum(['HEADER', 'BODY', 'FOOTER', 'BUTTONS']),
  format: z.enum(['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION']).optional(),
  text: z.string().optional(),
  example: JsonObject.optional(),
  buttons: z.array(z.object({
    type: z.enum(['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE']),
    text: z.string(),
    url: z.string().optional(),
    phone_number: z.string().optional(),
    example: z.array(z.string()).optional(),
  })).optional(),
});
export type MetaComponent = z.infer<typeof MetaComponent>;

const Button = z.object({
  type: z.string(),
  text: z.string(),
  url: z.string().optional(),
  phone_number: z.string().optional(),
});

/**
 * The template's components as /api/v1 shows them. Kapso's main document types `components` as
 * an object (its later revision as Meta's array): the mock keys Meta's components by their type.
 */
export const TemplateComponents = z
  .object({
    header: z.object({ format: z.string(), text: z.string().optional(), example: JsonObject.optional() }).optional(),
    body: z.object({ text: z.string(), example: JsonObject.optional() }).optional(),
    footer: z.object({ text: z.string() }).optional(),
    buttons: z.array(Button).optional(),
  })
  .meta({ description: "Meta's components keyed by type: header, body, footer, buttons." });

export const WhatsappTemplate = z
  .object({
    id: Uuid,
    name: z.string(),
    language_code: z.string(),
    category: z.enum(CATEGORIES),
    status: z.enum(STATUSES),
    content: z.string().meta({ description: 'The body text with its placeholders ({{1}} or {{name}}).' }),
    parameter_count: z.number().int().meta({ description: 'Distinct placeholders in the body: the parameters a send must give.' }),
    business_account_id: z.string().nullable().meta({ description: 'The WhatsApp Business Account the template belongs to.' }),
    whatsapp_config_ids: z.array(Uuid).meta({ description: 'The project\'s WhatsApp configs on that business account: each can send it.' }),
    components: TemplateComponents,
    metadata: JsonObject.meta({ description: 'meta_template_id (Meta\'s numeric ID), parameter_format (POSITIONAL or NAMED), and what Meta reported (rejected_reason, quality_score).' }),
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'WhatsappTemplate' });
export type WhatsappTemplate = z.infer<typeof WhatsappTemplate>;

export const TemplateParams = z.object({ template_id: PathId.meta({ example: '7e100000-0000-4000-8000-000000000001' }) });

/** Parameters of a template send: an array for {{1}}, {{2}}; an object for {{name}}. */
export const TemplateParameters = z.union([
  z.array(z.string()).max(100).meta({ description: 'Values for positional parameters ({{1}}, {{2}}).' }),
  z.record(z.string(), z.string()).meta({ description: 'Values for named parameters ({{name}}, {{email}}).' }),
]);
export type TemplateParameters = z.infer<typeof TemplateParameters>;

export const SendTemplateBody = wrapped('template', z.object({
  phone_number: PhoneInput.meta({ description: 'The number to send to, in any common spelling.' }),
  template_parameters: TemplateParameters.optional(),
  header_type: z.enum(HEADER_TYPES).optional(),
  header_params: z.string().optional().meta({ description: 'Header content: the text for a text header\'s {{1}}, the URL for a media header.' }),
  header_filename: z.string().optional(),
  whatsapp_config_id: PathId.optional().meta({ description: 'The config to send from (it must be on the template\'s business account).' }),
  customer_id: PathId.optional().meta({ description: 'Send from this customer\'s first config on the template\'s business account.' }),
  button_url_params: z.record(z.string(), z.string()).nullable().optional().meta({ description: 'Values for URL buttons with a {{1}}, by button index.' }),
}));
export type SendTemplateInput = z.infer<typeof SendTemplateBody>['template'];

/** send_template's 200: a bare body, not wrapped in data. */
export const SendTemplateResponse = z.object({
  status: z.string(),
  message: z.string(),
  template_id: Uuid,
  template_name: z.string(),
  response: z.object({
    messaging_product: z.string(),
    contacts: z.array(z.object({ input: z.string(), wa_id: z.string() })),
    messages: z.array(z.object({ id: z.string(), message_status: z.string() })),
  }).meta({ description: 'The WhatsApp Cloud API\'s answer.' }),
});

/** send_template's 422 as the spec documents it: the reason alone in `error`. */
export const SendTemplateError = z
  .object({ error: z.string() })
  .meta({ id: 'WhatsappTemplateSendError', example: { error: 'Template requires 2 parameters, but 1 were provided' } });

/** send_template's 500 as the spec documents it (reached only through a fault rule). */
export const SendTemplateFailure = z
  .object({ status: z.string(), message: z.string() })
  .meta({ id: 'WhatsappTemplateSendFailure', example: { status: 'error', message: 'Failed to send template message: API Error' } });

export const TemplateResponse = data(WhatsappTemplate);
export const TemplateListResponse = paged(WhatsappTemplate);
