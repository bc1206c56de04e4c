import { z } from 'zod';
import { PhoneInput } from '../../lib/phone.js';
import { wrapped } from '../../lib/route.js';
import { data, JsonObject, paged, PathId, RequiredText, Timestamp, Uuid } from '../../lib/schemas.js';

export const WhatsappContact = z
  .object({
    id: Uuid,
    wa_id: z.string().meta({ description: 'The WhatsApp ID: the phone number as digits (15550102030).' }),
    profile_name: z.string().optional().meta({ description: 'Left out when the contact has none.' }),
    customer_id: Uuid.nullable().meta({ description: 'The customer whose WhatsApp number the contact wrote to; null when none.' }),
    metadata: JsonObject,
    created_at: Timestamp,
    updated_at: Timestamp,
  })
  .meta({ id: 'WhatsappContact' });
export type WhatsappContact = z.infer<typeof WhatsappContact>;

/** `{identifier}`: a contact's UUID, or its phone number in any common spelling. */
export const ContactParams = z.object({
  identifier: z.string().meta({ description: 'Contact ID (UUID) or phone number (+1 (555) 010-2030 and 15550102030 are the same contact).', example: 'c0100000-0000-4000-8000-000000000001' }),
});

export const ContactCreateBody = wrapped('contact', z.object({
  wa_id: PhoneInput.meta({ description: 'The WhatsApp phone number; stored as digits.' }),
  profile_name: RequiredText.optional(),
  customer_id: PathId.nullable().optional().meta({ description: 'A customer of the project to associate the contact with.' }),
  metadata: JsonObject.optional(),
}));
export type ContactInput = z.infer<typeof ContactCreateBody>['contact'];

export const ContactUpdateBody = wrapped('contact', z.object({
  profile_name: RequiredText.optional(),
  metadata: JsonObject.optional().meta({ description: 'Replaces the stored metadata.' }),
}));
export type ContactPatch = z.infer<typeof ContactUpdateBody>['contact'];

/** The create's 422 as the spec documents it: every problem in `errors`. */
export const ContactErrors = z
  .object({ errors: z.array(z.string()) })
  .meta({ id: 'WhatsappContactErrors', example: { errors: ['Wa_id has already been taken'] } });

export const ContactResponse = data(WhatsappContact);
export const ContactListResponse = paged(WhatsappContact);
