// Message templates on the business account through the official SDK: the round trip (create in
// review, approve in the control plane, send, edit, delete), the same rows as /api/v1, cursor
// paging and filters, and the refusals as GraphApiError.
import { describe, expect, it } from 'vitest';
import { inbox } from '../helpers/inbox.js';
import { DEMO_KEY, expectSdkError, http, proxy, sdkFailure, unknownObject, useMock, V } from './helpers.js';

const ctx = useMock();
const businessAccountId = proxy.acmeWaba;
const phoneNumberId = proxy.acmePhone;

async function admin(path: string, body: unknown) {
  const res = await fetch(`${ctx.mock.origin}/__admin${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': DEMO_KEY }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}
async function api(path: string) {
  const res = await fetch(`${ctx.mock.origin}/api/v1${path}`, { headers: { 'x-api-key': DEMO_KEY } });
  return { status: res.status, body: (await res.json()) as any };
}

const DELIVERY = {
  name: 'delivery_window', language: 'en_US', category: 'UTILITY' as const,
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Delivery update' },
    { type: 'BODY', text: 'Hi {{1}}, your parcel arrives between {{2}}.', example: { body_text: [['Maria', '9-11am']] } },
    { type: 'FOOTER', text: 'Acme Corporation' },
  ],
};

describe('the template round trip', () => {
  it('create (in review), approve in the control plane, send, edit (back to review), delete', async () => {
    const created = await ctx.sdk.templates.create({ businessAccountId, ...DELIVERY } as any) as any;
    expect(created).toEqual({ id: expect.stringMatching(/^\d{15}$/), status: 'PENDING', category: 'UTILITY' });
    const got = await ctx.sdk.templates.get({ businessAccountId, templateId: created.id }) as any;
    expect(got).toMatchObject({ id: created.id, name: 'delivery_window', language: 'en_US', status: 'PENDING', category: 'UTILITY', parameterFormat: 'POSITIONAL' });
    expect(got.components).toHaveLength(3);

    // /api/v1 shows the same template, submitted, and a send is refused until review approves it.
    const ours = (await api(`/whatsapp_templates?q[name_cont]=delivery_window`)).body.data[0];
    expect(ours).toMatchObject({ status: 'submitted', business_account_id: businessAccountId, metadata: { meta_template_id: created.id } });
    const send = () => ctx.sdk.messages.sendTemplate({
      phoneNumberId, to: '15550102030',
      template: { name: 'delivery_window', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'Maria' }, { type: 'text', text: '9-11am' }] }] },
    });
    expectSdkError(await sdkFailure(send()), { httpStatus: 400, code: 132001, message: /^\(#132001\) .*Template is not approved \(status: submitted\)/, category: 'template' });
    const approved = await admin(`/templates/${ours.id}/review`, { status: 'approved' });
    expect(approved.status).toBe(200);
    expect(approved.body.data.status).toBe('approved');
    expect((await ctx.sdk.templates.get({ businessAccountId, templateId: created.id }) as any).status).toBe('APPROVED');
    const sent = await send();
    expect(sent.messages[0]!.messageStatus).toBe('accepted');

    const edited = await http(ctx.mock, 'POST', `${V}/${businessAccountId}/message_templates?hsm_id=${created.id}`, {
      body: { components: [{ type: 'BODY', text: 'Hi {{1}}, your parcel arrives {{2}}.' }] },
    });
    expect(edited.body).toEqual({ success: true });
    expect((await ctx.sdk.templates.get({ businessAccountId, templateId: created.id }) as any)).toMatchObject({ status: 'PENDING', components: [{ type: 'BODY', text: 'Hi {{1}}, your parcel arrives {{2}}.' }] });

    expect(await ctx.sdk.templates.delete({ businessAccountId, name: 'delivery_window' })).toEqual({ success: true });
    expect((await api(`/whatsapp_templates/${ours.id}`)).status).toBe(404);
    const gone = await sdkFailure(ctx.sdk.templates.get({ businessAccountId, templateId: created.id }));
    expectSdkError(gone, { httpStatus: 404, code: 100, subcode: 33, type: 'GraphMethodException', message: /^Unsupported get request/, category: 'parameter' });
  });

  it('rejected in review: REJECTED with the reason', async () => {
    const created = await ctx.sdk.templates.create({ businessAccountId, ...DELIVERY, name: 'promo_blast', category: 'MARKETING' } as any) as any;
    const ours = (await api(`/whatsapp_templates?q[name_cont]=promo_blast`)).body.data[0];
    expect((await admin(`/templates/${ours.id}/review`, { status: 'rejected', reason: 'PROMOTIONAL' })).status).toBe(200);
    expect(await ctx.sdk.templates.get({ businessAccountId, templateId: created.id })).toMatchObject({ status: 'REJECTED', rejectedReason: 'PROMOTIONAL' });
    expect((await admin(`/templates/${ours.id}/review`, { status: 'approved', reason: 'x' })).status).toBe(422);
  });

  it('with auto_approve_templates a created template is APPROVED at once', async () => {
    await ctx.mock.admin.settings({ auto_approve_templates: true } as any);
    try {
      expect((await ctx.sdk.templates.create({ businessAccountId, ...DELIVERY, name: 'instant_ok' } as any) as any).status).toBe('APPROVED');
    } finally {
      await ctx.mock.admin.settings({ auto_approve_templates: false } as any);
    }
  });

  it('deletes by hsm_id, and one language of a name', async () => {
    const en = await ctx.sdk.templates.create({ businessAccountId, ...DELIVERY, name: 'two_langs' } as any) as any;
    await ctx.sdk.templates.create({ businessAccountId, ...DELIVERY, name: 'two_langs', language: 'es_MX' } as any);
    expect(await ctx.sdk.templates.delete({ businessAccountId, name: 'two_langs', language: 'es_MX' })).toEqual({ success: true });
    expect((await ctx.sdk.templates.list({ businessAccountId, name: 'two_langs' } as any) as any).data.map((t: any) => t.id)).toEqual([en.id]);
    expect((await http(ctx.mock, 'DELETE', `${V}/${businessAccountId}/message_templates?hsm_id=${en.id}`)).body).toEqual({ success: true });
    const none = await http(ctx.mock, 'DELETE', `${V}/${businessAccountId}/message_templates?name=two_langs`);
    expect(none.status).toBe(404);
    expect(none.body.error).toMatchObject({ code: 100, error_subcode: 2593002, message: '(#100) Message template "two_langs" not found' });
  });
});

describe('listing', () => {
  it('a business account\'s templates, newest first, by cursor, with Meta\'s statuses and filters', async () => {
    const all = (await ctx.sdk.templates.list({ businessAccountId, limit: 100 } as any) as any).data;
    const ours = (await api(`/whatsapp_templates?business_account_id=${businessAccountId}&per_page=100`)).body.data;
    expect(all.map((t: any) => t.name)).toEqual(ours.map((t: any) => t.name));
    expect(all.find((t: any) => t.name === 'summer_sale').status).toBe('PENDING');
    expect(all.find((t: any) => t.name === 'verification_code')).toMatchObject({ status: 'REJECTED', category: 'AUTHENTICATION' });
    const first = await ctx.sdk.templates.list({ businessAccountId, limit: 2 } as any) as any;
    const next = await ctx.sdk.templates.list({ businessAccountId, limit: 2, after: first.paging.cursors.after } as any) as any;
    expect([...first.data, ...next.data].map((t: any) => t.id)).toEqual(all.slice(0, 4).map((t: any) => t.id));
    const approved = (await ctx.sdk.templates.list({ businessAccountId, status: 'APPROVED', limit: 100 } as any) as any).data;
    expect(approved.map((t: any) => t.status)).toEqual(approved.map(() => 'APPROVED'));
    expect((await ctx.sdk.templates.list({ businessAccountId, category: 'MARKETING' } as any) as any).data.map((t: any) => t.name)).toEqual(['summer_sale']);
    expect((await ctx.sdk.templates.list({ businessAccountId, language: 'es_MX' } as any) as any).data.map((t: any) => t.name)).toEqual(['appointment_reminder']);
    const named = (await http(ctx.mock, 'GET', `${V}/${businessAccountId}/message_templates?fields=name,status`)).body.data[0];
    expect(Object.keys(named).sort()).toEqual(['id', 'name', 'status']);
  });

  it('another business account\'s, or another project\'s, is an unknown object', async () => {
    const order = (await api(`/whatsapp_templates/${inbox.orderConfirmation}`)).body.data.metadata.meta_template_id;
    const res = await http(ctx.mock, 'GET', `${V}/${proxy.globexWaba}/message_templates/${order}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(unknownObject('GET', order));
    expectSdkError(await sdkFailure(ctx.other.templates.list({ businessAccountId } as any)), {
      httpStatus: 404, code: 100, subcode: 33, type: 'GraphMethodException', message: /^Unsupported get request/, category: 'parameter',
    });
  });
});

describe('refusals', () => {
  it.each([
    ['a name in use in that language', { ...DELIVERY, name: 'order_confirmation' }, 2388024, '(#2388024) Message template "order_confirmation" already exists in en_US'],
    ['no components', { name: 'x_y', language: 'en_US', category: 'UTILITY' }, 100, "(#100) components can't be blank"],
    ['a bad name', { ...DELIVERY, name: 'Bad Name' }, 100, '(#100) name must be lowercase letters, digits and underscores'],
    ['no body', { ...DELIVERY, components: [{ type: 'FOOTER', text: 'x' }] }, 100, '(#100) components needs a BODY with text'],
    ['named placeholders in a positional template', { ...DELIVERY, components: [{ type: 'BODY', text: 'Hi {{name}}' }] }, 100,
      '(#100) BODY placeholders must be {{1}}, {{2}}, ... in order for POSITIONAL parameter_format'],
    ['an unknown component', { ...DELIVERY, components: [{ type: 'BODY', text: 'Hi' }, { type: 'CAROUSEL' }] }, 100,
      "(#100) components[1] is not a HEADER, BODY, FOOTER or BUTTONS component of Meta's shape"],
  ])('%s', async (_case, body, code, message) => {
    const res = await http(ctx.mock, 'POST', `${V}/${businessAccountId}/message_templates`, { body });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code, message });
  });
});
