// Phone numbers: the configs of a business account, one number's details and update (GET and POST
// /{id}, see objects.ts), and the registration calls the SDK makes (request_code, verify_code,
// register, deregister) and its settings.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CallingSettings, Pin } from '../../../resources/phone-numbers/schemas.js';
import type { PhoneNumberState } from '../../../resources/phone-numbers/repository.js';
import type { ConfigRecord } from '../../../resources/whatsapp-configs/repository.js';
import { graphRoutes, lookups } from '../context.js';
import { pick, requestedFields } from '../fields.js';
import { BusinessAccountParams, FieldsQuery, GraphPhoneNumber, MessagingProduct, Paging, PhoneNumberSettings, PhoneParams, Success } from '../schemas.js';

export const PHONE_NUMBER_FIELDS = [
  'id', 'verified_name', 'display_phone_number', 'quality_rating', 'code_verification_status', 'is_official_business_account', 'name_status',
  'new_name_status', 'platform_type', 'throughput', 'account_mode', 'certificate', 'messaging_limit_tier',
] as const;
/** What Meta answers without `fields`. */
export const DEFAULT_PHONE_NUMBER_FIELDS = ['id', 'verified_name', 'display_phone_number', 'quality_rating', 'code_verification_status', 'platform_type', 'throughput'];

/** The number in Meta's shape, every field (`fields` picks from it). */
export function phoneNumberView(config: ConfigRecord, s: PhoneNumberState): z.input<typeof GraphPhoneNumber> {
  return {
    id: config.phone_number_id,
    verified_name: s.verified_name,
    display_phone_number: s.display_phone_number,
    quality_rating: s.quality_rating as z.infer<typeof GraphPhoneNumber>['quality_rating'],
    code_verification_status: s.code_verification_status,
    is_official_business_account: s.is_official_business_account,
    name_status: s.name_status,
    new_name_status: s.new_name_status,
    platform_type: s.registered ? 'CLOUD_API' : 'NOT_APPLICABLE',
    throughput: { level: s.throughput_level },
    account_mode: s.account_mode,
    // The number's certificate (base64), stable for its ID.
    certificate: Buffer.from(`kapso-mock certificate ${config.phone_number_id} ${createHash('sha256').update(config.phone_number_id).digest('hex').slice(0, 24)}`).toString('base64'),
    messaging_limit_tier: s.messaging_limit_tier,
  };
}

export const selectPhoneNumber = (config: ConfigRecord, s: PhoneNumberState, fields: string | undefined) =>
  pick(phoneNumberView(config, s), requestedFields(fields, PHONE_NUMBER_FIELDS, 'WhatsAppBusinessPhoneNumber', DEFAULT_PHONE_NUMBER_FIELDS), ['id']) as z.input<typeof GraphPhoneNumber>;

/** A SIP password Meta would issue for a server: stable for the number and host. */
const sipPassword = (phoneNumberId: string, hostname: string) => createHash('sha256').update(`${phoneNumberId}:${hostname}`).digest('base64url').slice(0, 20);

export const phoneNumberRoutes: FastifyPluginAsyncZod = async (app) => {
  const { phoneNumbers } = app.repos;
  const find = lookups(app);
  const r = graphRoutes(app, ['Phone Numbers']);

  r.get('/:business_account_id/phone_numbers', {
    operationId: 'listPhoneNumbers', summary: 'List phone numbers',
    description: "The phone numbers of a business account: the project's WhatsApp configs with that business_account_id, oldest first.",
    params: BusinessAccountParams, query: z.object({ fields: FieldsQuery }),
    response: z.object({ data: z.array(GraphPhoneNumber), paging: Paging.optional() }),
  }, async (request) => {
    const configs = find.businessAccount(request, request.params.business_account_id);
    return { data: configs.map((c) => selectPhoneNumber(c, phoneNumbers.get(request.projectId, c), request.query.fields)) };
  });

  r.post('/:phone_number_id/request_code', {
    operationId: 'requestVerificationCode', summary: 'Request a verification code',
    description: 'The mock sends no SMS or call: the code is always 123456 (docs/meta-proxy.md).',
    params: PhoneParams,
    body: z.object({ code_method: z.enum(['SMS', 'VOICE']), language: z.string().min(2).meta({ description: 'Language of the message, e.g. en_US.' }) }),
    response: Success,
  }, async (request) => {
    phoneNumbers.requestCode(request.projectId, find.phone(request, request.params.phone_number_id));
    return { success: true };
  });

  r.post('/:phone_number_id/verify_code', {
    operationId: 'verifyCode', summary: 'Verify the number with the code sent',
    params: PhoneParams, body: z.object({ code: z.string().min(1) }), response: Success,
  }, async (request) => {
    phoneNumbers.verifyCode(request.projectId, find.phone(request, request.params.phone_number_id), request.body.code);
    return { success: true };
  });

  r.post('/:phone_number_id/register', {
    operationId: 'registerPhoneNumber', summary: 'Register the number on the Cloud API',
    description: 'The number must be verified. With two-step verification on, `pin` must be its PIN; without, it becomes the PIN.',
    params: PhoneParams,
    body: z.object({
      messaging_product: MessagingProduct,
      pin: Pin,
      data_localization_region: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code').optional(),
    }),
    response: Success,
  }, async (request) => {
    phoneNumbers.register(request.projectId, find.phone(request, request.params.phone_number_id), request.body.pin);
    return { success: true };
  });

  r.post('/:phone_number_id/deregister', {
    operationId: 'deregisterPhoneNumber', summary: 'Take the number off the Cloud API',
    params: PhoneParams, response: Success,
  }, async (request) => {
    phoneNumbers.deregister(request.projectId, find.phone(request, request.params.phone_number_id));
    return { success: true };
  });

  r.get('/:phone_number_id/settings', {
    operationId: 'getPhoneNumberSettings', summary: 'Get the number\'s settings', tags: ['Settings'],
    params: PhoneParams,
    query: z.object({
      include_sip_credentials: z.enum(['true', 'false']).optional().meta({ description: 'true: SIP servers come with their sip_user_password.' }),
    }),
    response: PhoneNumberSettings,
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const s = phoneNumbers.get(request.projectId, config);
    const withPasswords = request.query.include_sip_credentials === 'true';
    const sip = s.calling.sip && {
      ...s.calling.sip,
      ...(s.calling.sip.servers && {
        servers: s.calling.sip.servers.map((server) => ({ ...server, ...(withPasswords && { sip_user_password: sipPassword(config.phone_number_id, server.hostname) }) })),
      }),
    };
    return { calling: { ...s.calling, ...(sip && { sip }) }, ...(s.fallback_language !== null && { fallback_language: s.fallback_language }) };
  });

  r.post('/:phone_number_id/settings', {
    operationId: 'updatePhoneNumberSettings', summary: 'Update the number\'s settings', tags: ['Settings'],
    description: 'calling merges into the stored calling settings, key by key.',
    params: PhoneParams,
    body: z.object({ fallback_language: z.string().min(2).optional(), calling: CallingSettings.optional() }),
    response: Success,
  }, async (request) => {
    phoneNumbers.updateSettings(request.projectId, find.phone(request, request.params.phone_number_id), request.body);
    return { success: true };
  });
};
