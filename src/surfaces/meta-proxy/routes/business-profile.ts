// A phone number's business profile: GET (with `fields`) and POST, with the checks and messages
// Kapso's proxy documents (code 400), and its 403 for sandbox numbers.
import { createHash } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { graphError } from '../../../errors.js';
import { VERTICALS, type BusinessProfile } from '../../../resources/business-profiles/schemas.js';
import { graphRoutes, lookups } from '../context.js';
import { pick, requestedFields } from '../fields.js';
import { FieldsQuery, MessagingProduct, PhoneParams, Success } from '../schemas.js';

const PROFILE_FIELDS = ['about', 'address', 'description', 'email', 'messaging_product', 'profile_picture_url', 'websites', 'vertical'] as const;

const Profile = z.object({
  about: z.string().optional().meta({ minLength: 1, maxLength: 139 }),
  address: z.string().optional().meta({ maxLength: 256 }),
  description: z.string().optional().meta({ maxLength: 512 }),
  email: z.string().optional().meta({ format: 'email', maxLength: 128 }),
  messaging_product: MessagingProduct.optional(),
  profile_picture_url: z.string().optional().meta({ format: 'uri' }),
  websites: z.array(z.string().meta({ format: 'uri', maxLength: 256 })).optional().meta({ maxItems: 2 }),
  vertical: z.enum(VERTICALS).optional(),
}).meta({ id: 'BusinessProfile' });

// The length and format rules are checked by the handler, to answer with the messages Kapso's
// proxy documents for them (code 400); the schema states them for the document.
const ProfileUpdate = z.object({
  messaging_product: MessagingProduct,
  about: z.string().optional().meta({ minLength: 1, maxLength: 139 }),
  address: z.string().optional().meta({ maxLength: 256 }),
  description: z.string().optional().meta({ maxLength: 512 }),
  email: z.string().optional().meta({ format: 'email', maxLength: 128 }),
  profile_picture_handle: z.string().min(1).optional().meta({ description: 'Handle from the resumable upload API: the profile picture becomes a URL derived from it.' }),
  profile_picture_url: z.string().optional().meta({ format: 'uri', description: 'What the official SDK sends: the picture\'s URL itself.' }),
  vertical: z.enum(VERTICALS).optional(),
  websites: z.array(z.string().meta({ format: 'uri', maxLength: 256 })).optional().meta({ maxItems: 2 }),
});

const isHttpUrl = (s: string) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The first rule the update breaks, in Kapso's words, or undefined. */
function profileProblem(b: z.infer<typeof ProfileUpdate>): string | undefined {
  if (b.about !== undefined && (b.about.trim().length < 1 || b.about.length > 139)) return 'About text must be between 1 and 139 characters';
  if (b.address !== undefined && b.address.length > 256) return 'Address must be at most 256 characters';
  if (b.description !== undefined && b.description.length > 512) return 'Description must be at most 512 characters';
  if (b.email !== undefined && (b.email.length > 128 || !EMAIL.test(b.email))) return 'Invalid email address format';
  if (b.websites !== undefined) {
    if (b.websites.length > 2) return 'Maximum of 2 websites allowed';
    if (b.websites.some((w) => w.length > 256 || !isHttpUrl(w))) return 'Websites must be http:// or https:// URLs of at most 256 characters';
  }
  if (b.profile_picture_url !== undefined && !isHttpUrl(b.profile_picture_url)) return 'Profile picture URL must be an http:// or https:// URL';
  return undefined;
}

export const businessProfileRoutes: FastifyPluginAsyncZod = async (app) => {
  const { businessProfiles, phoneNumbers } = app.repos;
  const find = lookups(app);
  const r = graphRoutes(app, ['Business Profile']);

  r.get('/:phone_number_id/whatsapp_business_profile', {
    operationId: 'getBusinessProfile', summary: 'Get business profile',
    description: 'Without `fields`, every field that has a value; messaging_product always.',
    params: PhoneParams, query: z.object({ fields: FieldsQuery }), response: z.object({ data: z.array(Profile) }),
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const fields = requestedFields(request.query.fields, PROFILE_FIELDS, 'WhatsAppBusinessProfile', PROFILE_FIELDS);
    const profile = { messaging_product: 'whatsapp' as const, ...businessProfiles.get(request.projectId, config.id) };
    return { data: [pick(profile, fields, ['messaging_product'])] };
  });

  r.post('/:phone_number_id/whatsapp_business_profile', {
    operationId: 'updateBusinessProfile', summary: 'Update business profile',
    description: 'The fields given replace the stored ones (websites as a whole list). A SANDBOX number cannot change its profile (403).',
    params: PhoneParams, body: ProfileUpdate, response: Success, errors: [400, 401, 403, 404],
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    if (phoneNumbers.get(request.projectId, config).account_mode === 'SANDBOX') {
      throw graphError(403, 403, 'Sandbox WhatsApp configurations cannot update business profile');
    }
    const problem = profileProblem(request.body);
    if (problem !== undefined) throw graphError(400, 400, problem);
    const { messaging_product: _product, profile_picture_handle: handle, ...fields } = request.body;
    const patch: BusinessProfile = { ...fields };
    if (handle !== undefined && fields.profile_picture_url === undefined) {
      patch.profile_picture_url = `https://pps.whatsapp.net/v/t61.24694-24/${createHash('sha256').update(handle).digest('hex').slice(0, 32)}.jpg`;
    }
    businessProfiles.update(request.projectId, config.id, patch);
    return { success: true };
  });
};
