// Phone numbers through the SDK (registration, verification, settings, business profile) and over
// HTTP where it has no method (list by business account, GET and POST /{phone_number_id}).
import { describe, expect, it } from 'vitest';
import { expectSdkError, graphError, http, MISSING, proxy, sdkFailure, unknownObject, useMock, V } from './helpers.js';

const ctx = useMock();

describe('phone numbers of a business account, and one number', () => {
  it('lists the business account\'s numbers (the configs with its ID), oldest first, default fields', async () => {
    const res = await http(ctx.mock, 'GET', `${V}/${proxy.acmeWaba}/phone_numbers`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: [
        {
          id: proxy.acmePhone, verified_name: 'Acme Support', display_phone_number: '+1 555-010-2001', quality_rating: 'GREEN',
          code_verification_status: 'VERIFIED', platform_type: 'CLOUD_API', throughput: { level: 'HIGH' },
        },
        {
          id: proxy.salesPhone, verified_name: 'Acme Sales', display_phone_number: '+1 555-010-2002', quality_rating: 'YELLOW',
          code_verification_status: 'VERIFIED', platform_type: 'CLOUD_API', throughput: { level: 'STANDARD' },
        },
      ],
    });
  });

  it('answers the fields asked for, and refuses unknown ones', async () => {
    const res = await http(ctx.mock, 'GET', `${V}/${proxy.initechPhone}?fields=id,account_mode,messaging_limit_tier,name_status,is_official_business_account,platform_type`);
    expect(res.body).toEqual({
      id: proxy.initechPhone, account_mode: 'SANDBOX', messaging_limit_tier: 'TIER_50', name_status: 'PENDING_REVIEW',
      is_official_business_account: false, platform_type: 'NOT_APPLICABLE',
    });
    const bad = await http(ctx.mock, 'GET', `${V}/${proxy.acmePhone}?fields=id,status`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(graphError(100, '(#100) Tried accessing nonexisting field (status) on node type (WhatsAppBusinessPhoneNumber)'));
  });

  it('a config created through /api/v1 is a phone number with the defaults', async () => {
    const created = await fetch(`${ctx.mock.url}/customers/${proxy.acmeCustomer}/whatsapp_configs`, {
      method: 'POST', headers: { 'x-api-key': ctx.mock.apiKey!, 'content-type': 'application/json' },
      body: JSON.stringify({ whatsapp_config: { name: 'Acme Returns', phone_number_id: '106540352249876', business_account_id: proxy.acmeWaba, webhook_verify_token: 't' } }),
    });
    expect(created.status).toBe(201);
    const res = await http(ctx.mock, 'GET', `${V}/106540352249876`);
    expect(res.body).toEqual({
      id: '106540352249876', verified_name: 'Acme Returns', display_phone_number: '+1 555-224-9876', quality_rating: 'GREEN',
      code_verification_status: 'VERIFIED', platform_type: 'CLOUD_API', throughput: { level: 'STANDARD' },
    });
    expect((await http(ctx.mock, 'GET', `${V}/${proxy.acmeWaba}/phone_numbers?fields=id`)).body.data.map((p: { id: string }) => p.id)).toContain('106540352249876');
  });

  it.each([
    ['a phone number ID that is no config', `${V}/${MISSING.phone}`, MISSING.phone],
    ['a business account with no config', `${V}/${MISSING.phone}/phone_numbers`, MISSING.phone],
  ])('GET with %s is an unknown object', async (_case, path, id) => {
    const res = await http(ctx.mock, 'GET', path);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(unknownObject('GET', id));
  });

  it('POST /{phone_number_id} sets the two-step PIN (six digits), which register then needs', async () => {
    const set = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}`, { body: { pin: '112233' } });
    expect(set.body).toEqual({ success: true });
    expectSdkError(await sdkFailure(ctx.sdk.phoneNumbers.register({ phoneNumberId: proxy.acmePhone, pin: '246810' })), {
      httpStatus: 400, code: 133005, category: 'server', message: '(#133005) Two step verification PIN Mismatch',
    });
    await expect(ctx.sdk.phoneNumbers.register({ phoneNumberId: proxy.acmePhone, pin: '112233' })).resolves.toEqual({ success: true });
    for (const body of [{ pin: '12345' }, { pin: 'abcdef' }, { pin: 123456 }]) {
      const res = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}`, { body });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe(100);
    }
    expect((await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}`, { body: {} })).body).toEqual(graphError(100, '(#100) The parameter pin is required'));
  });
});

describe('registration through the SDK', () => {
  it('an unverified number gets a code, verifies with it, registers (its PIN becomes two-step), deregisters', async () => {
    const { sdk } = ctx;
    const phoneNumberId = proxy.initechPhone;
    expectSdkError(await sdkFailure(sdk.phoneNumbers.register({ phoneNumberId, pin: '987654' })), {
      httpStatus: 400, code: 133006, category: 'phoneRegistration',
      message: '(#133006) Phone number re-verification needed: verify the number (request_code, verify_code) before registering it',
    });
    expectSdkError(await sdkFailure(sdk.phoneNumbers.verifyCode({ phoneNumberId, code: '123456' })), {
      httpStatus: 400, code: 136025, category: 'parameter', message: '(#136025) Verify code error: no code was requested for this phone number (call request_code first)',
    });
    expect(await sdk.phoneNumbers.requestCode({ phoneNumberId, codeMethod: 'SMS', language: 'en_US' })).toEqual({ success: true });
    expect((await sdkFailure(sdk.phoneNumbers.verifyCode({ phoneNumberId, code: '000000' }))).code).toBe(136025);
    expect(await sdk.phoneNumbers.verifyCode({ phoneNumberId, code: '123456' })).toEqual({ success: true });
    expect((await http(ctx.mock, 'GET', `${V}/${phoneNumberId}?fields=code_verification_status,platform_type`)).body)
      .toEqual({ id: phoneNumberId, code_verification_status: 'VERIFIED', platform_type: 'NOT_APPLICABLE' });

    expect(await sdk.phoneNumbers.register({ phoneNumberId, pin: '987654', dataLocalizationRegion: 'DE' })).toEqual({ success: true });
    expect((await http(ctx.mock, 'GET', `${V}/${phoneNumberId}?fields=platform_type`)).body.platform_type).toBe('CLOUD_API');
    expect(await sdk.phoneNumbers.deregister({ phoneNumberId })).toEqual({ success: true });
    expect((await http(ctx.mock, 'GET', `${V}/${phoneNumberId}?fields=platform_type`)).body.platform_type).toBe('NOT_APPLICABLE');
    expectSdkError(await sdkFailure(sdk.phoneNumbers.deregister({ phoneNumberId })), {
      httpStatus: 400, code: 133010, category: 'phoneRegistration', message: '(#133010) Phone number is not registered',
    });
    // The PIN given at the first registration is the number's two-step PIN now.
    expect((await sdkFailure(sdk.phoneNumbers.register({ phoneNumberId, pin: '111111' }))).code).toBe(133005);
    await expect(sdk.phoneNumbers.register({ phoneNumberId, pin: '987654' })).resolves.toEqual({ success: true });
  });

  it.each([
    ['a five-digit PIN', { messaging_product: 'whatsapp', pin: '12345' }, '(#100) pin must be six digits'],
    ['no messaging_product', { pin: '123456' }, '(#100) messaging_product must be one of: whatsapp'],
    ['a region that is no country code', { messaging_product: 'whatsapp', pin: '123456', data_localization_region: 'Europe' }, '(#100) data_localization_region must be a two-letter country code'],
  ])('refuses to register with %s', async (_case, body, message) => {
    const res = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}/register`, { body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(100, message));
  });

  it('request_code takes SMS or VOICE only', async () => {
    const res = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}/request_code`, { body: { code_method: 'EMAIL', language: 'en' } });
    expect(res.body).toEqual(graphError(100, '(#100) code_method must be one of: SMS, VOICE'));
  });
});

describe('settings through the SDK', () => {
  it('reads the seeded calling settings; SIP passwords only when asked', async () => {
    const settings = await ctx.sdk.phoneNumbers.settings.get({ phoneNumberId: proxy.acmePhone });
    expect(settings).toMatchObject({ fallbackLanguage: 'en_US', calling: { status: 'ENABLED', callbackPermissionStatus: 'ENABLED', callHours: { timezoneId: 'America/New_York' } } });
    await ctx.sdk.phoneNumbers.settings.update({ phoneNumberId: proxy.acmePhone, calling: { sip: { status: 'ENABLED', servers: [{ hostname: 'sip.acme.example', port: 5061 }] } } });
    const plain = await ctx.sdk.phoneNumbers.settings.get({ phoneNumberId: proxy.acmePhone });
    expect(plain.calling?.sip).toEqual({ status: 'ENABLED', servers: [{ hostname: 'sip.acme.example', port: 5061 }] });
    const withSecrets = await ctx.sdk.phoneNumbers.settings.get({ phoneNumberId: proxy.acmePhone, includeSipCredentials: true });
    expect(withSecrets.calling?.sip?.servers?.[0]).toEqual({ hostname: 'sip.acme.example', port: 5061, sipUserPassword: expect.stringMatching(/^[\w-]{20}$/) });
    // The other calling settings stayed as they were: calling merges key by key.
    expect(withSecrets.calling).toMatchObject({ status: 'ENABLED', callbackPermissionStatus: 'ENABLED' });
  });

  it('turns calling on for a number that has it off (the default)', async () => {
    expect(await ctx.sdk.phoneNumbers.settings.get({ phoneNumberId: proxy.salesPhone })).toEqual({
      calling: { status: 'DISABLED', callIconVisibility: 'DEFAULT', callbackPermissionStatus: 'DISABLED' },
    });
    expect(await ctx.sdk.phoneNumbers.settings.update({ phoneNumberId: proxy.salesPhone, fallbackLanguage: 'es_MX', calling: { status: 'ENABLED' } })).toEqual({ success: true });
    expect(await ctx.sdk.phoneNumbers.settings.get({ phoneNumberId: proxy.salesPhone })).toEqual({
      fallbackLanguage: 'es_MX', calling: { status: 'ENABLED', callIconVisibility: 'DEFAULT', callbackPermissionStatus: 'DISABLED' },
    });
  });

  it.each([
    ['an unknown calling status', { calling: { status: 'ON' } }, '(#100) calling.status must be one of: ENABLED, DISABLED'],
    ['a time that is not HHMM', { calling: { call_hours: { weekly_operating_hours: [{ day_of_week: 'MONDAY', open_time: '9:00', close_time: '1700' }] } } },
      '(#100) calling.call_hours.weekly_operating_hours[0].open_time must be a time as HHMM'],
    ['a SIP port out of range', { calling: { sip: { servers: [{ hostname: 'a', port: 70000 }] } } }, '(#100) calling.sip.servers[0].port must be at most 65535'],
  ])('refuses %s', async (_case, body, message) => {
    const res = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}/settings`, { body });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(100, message));
  });
});

describe('business profile through the SDK', () => {
  it('reads the seeded profile, updates it, reads it back; fields select', async () => {
    const { sdk } = ctx;
    const got = await sdk.phoneNumbers.businessProfile.get({ phoneNumberId: proxy.acmePhone });
    expect(got).toEqual({
      data: [{
        messagingProduct: 'whatsapp', about: 'Acme Support: we answer within minutes, 9-6 ET.', address: '1200 Innovation Way, Springfield, IL 62701',
        description: 'Help with orders, returns and warranty claims for every Acme product.', email: 'support@acme.example', vertical: 'RETAIL',
        websites: ['https://acme.example', 'https://acme.example/help'], profilePictureUrl: 'https://pps.whatsapp.net/v/t61.24694-24/acme-support-logo.jpg',
      }],
    });
    expect(await sdk.phoneNumbers.businessProfile.update({ phoneNumberId: proxy.acmePhone, about: 'Open 24/7 now', websites: ['https://acme.example/support'] }))
      .toEqual({ success: true });
    expect(await sdk.phoneNumbers.businessProfile.get({ phoneNumberId: proxy.acmePhone, fields: 'about,websites' }))
      .toEqual({ data: [{ messagingProduct: 'whatsapp', about: 'Open 24/7 now', websites: ['https://acme.example/support'] }] });
  });

  it('a number nobody described has WhatsApp\'s default About text', async () => {
    expect(await ctx.sdk.phoneNumbers.businessProfile.get({ phoneNumberId: proxy.salesPhone }))
      .toEqual({ data: [{ messagingProduct: 'whatsapp', about: 'Hey there! I am using WhatsApp.' }] });
  });

  it('a profile picture handle becomes the profile picture URL', async () => {
    const res = await http(ctx.mock, 'POST', `${V}/${proxy.salesPhone}/whatsapp_business_profile`, { body: { messaging_product: 'whatsapp', profile_picture_handle: 'h:abc123' } });
    expect(res.body).toEqual({ success: true });
    const profile = await http(ctx.mock, 'GET', `${V}/${proxy.salesPhone}/whatsapp_business_profile?fields=profile_picture_url`);
    expect(profile.body.data[0].profile_picture_url).toMatch(/^https:\/\/pps\.whatsapp\.net\/v\/t61\.24694-24\/[0-9a-f]{32}\.jpg$/);
  });

  it.each([
    ['an empty About text', { about: '' }, 'About text must be between 1 and 139 characters'],
    ['an About text of 140 characters', { about: 'x'.repeat(140) }, 'About text must be between 1 and 139 characters'],
    ['an email without a domain', { email: 'support@' }, 'Invalid email address format'],
    ['three websites', { websites: ['https://a.example', 'https://b.example', 'https://c.example'] }, 'Maximum of 2 websites allowed'],
    ['a website without http(s)', { websites: ['acme.example'] }, 'Websites must be http:// or https:// URLs of at most 256 characters'],
    ['an address of 257 characters', { address: 'a'.repeat(257) }, 'Address must be at most 256 characters'],
  ])('refuses %s with Kapso\'s message (code 400)', async (_case, fields, message) => {
    const res = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}/whatsapp_business_profile`, { body: { messaging_product: 'whatsapp', ...fields } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(400, message));
  });

  it('refuses a vertical outside the list and a profile field it does not know', async () => {
    expect((await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}/whatsapp_business_profile`, { body: { messaging_product: 'whatsapp', vertical: 'SPACE' } })).status).toBe(400);
    const res = await http(ctx.mock, 'GET', `${V}/${proxy.acmePhone}/whatsapp_business_profile?fields=about,hours`);
    expect(res.body).toEqual(graphError(100, '(#100) Tried accessing nonexisting field (hours) on node type (WhatsAppBusinessProfile)'));
  });

  it('a SANDBOX number cannot change its profile (403)', async () => {
    const err = await sdkFailure(ctx.sdk.phoneNumbers.businessProfile.update({ phoneNumberId: proxy.initechPhone, about: 'Hello' }));
    expectSdkError(err, { httpStatus: 403, code: 403, category: 'permission', message: 'Sandbox WhatsApp configurations cannot update business profile' });
  });
});
