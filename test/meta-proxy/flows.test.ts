// WhatsApp Flows through the official SDK (create, list, get, assets, publish, deprecate, preview,
// deploy) and over HTTP where the SDK has no method (metadata, delete, phone-number routes), with
// the lifecycle's rules: a published Flow and its assets cannot change, a deprecated one cannot be
// published, only drafts can be deleted, names are unique in a business account.
import { describe, expect, it } from 'vitest';
import { expectSdkError, graphError, http, MISSING, proxy, sdkFailure, unknownObject, useMock, V } from './helpers.js';

const ctx = useMock();

/** A Flow JSON the SDK writes (camelCase authoring keys): one terminal screen. */
const validFlow = (title = 'Welcome') => ({
  version: '7.1',
  screens: [{
    id: 'WELCOME', title, terminal: true,
    layout: { type: 'SingleColumnLayout', children: [
      { type: 'TextInput', name: 'email', label: 'Email', required: true },
      { type: 'Footer', label: 'Done', onClickAction: { name: 'complete', payload: { email: '${form.email}' } } },
    ] },
  }],
});

describe('the lifecycle through the SDK', () => {
  it('creates a draft, uploads its JSON, publishes, then refuses every change, and deprecates', async () => {
    const { sdk, mock } = ctx;
    // The SDK always sends a Flow JSON: start from one with an error, then fix it.
    const created = await sdk.flows.create({ wabaId: proxy.acmeWaba, name: 'warranty_claim', categories: ['CUSTOMER_SUPPORT'], flowJson: { ...validFlow(), version: '2.1' } });
    expect(created).toEqual({ id: expect.stringMatching(/^72\d{14}$/), success: true, validationErrors: [expect.objectContaining({ error: 'INVALID_PROPERTY_VALUE' })] });
    const id = created.id;

    const listed = await sdk.flows.list({ wabaId: proxy.acmeWaba }) as { data: Record<string, unknown>[] };
    expect(listed.data[0]).toMatchObject({ id, name: 'warranty_claim', status: 'DRAFT', categories: ['CUSTOMER_SUPPORT'] });
    expect(await sdk.flows.get({ flowId: id })).toMatchObject({ id, name: 'warranty_claim', status: 'DRAFT', categories: ['CUSTOMER_SUPPORT'] });
    expectSdkError(await sdkFailure(sdk.flows.publish({ flowId: id })), {
      httpStatus: 400, code: 139002, category: 'parameter', message: `(#139002) Publishing failed: Flow ${id} has 1 Flow JSON validation error(s)`,
    });

    expect(await sdk.flows.updateAsset({ flowId: id, json: validFlow() })).toEqual({ success: true, validationErrors: undefined });
    expect(await sdk.flows.get({ flowId: id })).toMatchObject({ validationErrors: [] });
    const assets = await http(mock, 'GET', `${V}/${id}/assets`);
    expect(assets.body.data).toEqual([{ name: 'flow.json', asset_type: 'FLOW_JSON', download_url: expect.stringContaining('/meta/whatsapp/flow_asset_download?token=') }]);
    const asset = await fetch(assets.body.data[0].download_url);
    expect(asset.status).toBe(200);
    expect(await asset.json()).toMatchObject({ version: '7.1', screens: [{ id: 'WELCOME', layout: { children: [{}, { 'on-click-action': { name: 'complete' } }] } }] });

    expect(await sdk.flows.publish({ flowId: id })).toEqual({ success: true });
    expect(await sdk.flows.get({ flowId: id, fields: 'status,json_version' })).toEqual({ id, status: 'PUBLISHED', jsonVersion: '7.1' });

    expectSdkError(await sdkFailure(sdk.flows.updateAsset({ flowId: id, json: validFlow('Changed') })), {
      httpStatus: 400, code: 139001, category: 'parameter',
      message: `(#139001) Error uploading Flow JSON: Flow ${id} is PUBLISHED, and a published Flow and its assets cannot change`,
    });
    expect((await sdkFailure(sdk.flows.publish({ flowId: id }))).message).toBe(`(#139002) Publishing failed: Flow ${id} is already published`);
    const rename = await http(mock, 'POST', `${V}/${id}`, { body: { name: 'renamed' } });
    expect(rename.body).toEqual(graphError(100, `(#100) Flow ${id} is PUBLISHED: only a DRAFT Flow's metadata can change`));
    const del = await http(mock, 'DELETE', `${V}/flows/${id}`);
    expect(del.status).toBe(400);
    expect(del.body).toEqual(graphError(100, `(#100) Flow ${id} is PUBLISHED: only a DRAFT Flow can be deleted (deprecate a published one)`));

    expect(await sdk.flows.deprecate({ flowId: id })).toEqual({ success: true });
    expect(await sdk.flows.get({ flowId: id })).toMatchObject({ status: 'DEPRECATED' });
    expect((await sdkFailure(sdk.flows.publish({ flowId: id }))).message).toBe(`(#139002) Publishing failed: Flow ${id} is DEPRECATED: only a DRAFT Flow can be published`);
    expect((await sdkFailure(sdk.flows.deprecate({ flowId: id }))).message).toBe(`(#100) Flow ${id} is DEPRECATED: only a published Flow can be deprecated`);
  });

  it('deploy() creates, publishes and previews in one call', async () => {
    const result = await ctx.sdk.flows.deploy(validFlow(), { name: 'deployed_flow', wabaId: proxy.acmeWaba, publish: true, preview: true, categories: ['SIGN_UP'] });
    expect(result).toEqual({
      flowId: expect.stringMatching(/^72/), validationErrors: undefined,
      previewUrl: expect.stringMatching(/^https:\/\/business\.facebook\.com\/wa\/manage\/flows\/72\d{14}\/preview\/\?token=/),
    });
    expect(await ctx.sdk.flows.get({ flowId: result.flowId })).toMatchObject({ status: 'PUBLISHED' });
  });

  it('publishes at creation when asked and the JSON passes; keeps a draft with its errors otherwise', async () => {
    const ok = await ctx.sdk.flows.create({ wabaId: proxy.acmeWaba, name: 'instant', categories: ['OTHER'], flowJson: validFlow(), publish: true });
    expect(await ctx.sdk.flows.get({ flowId: ok.id })).toMatchObject({ status: 'PUBLISHED' });
    const bad = { ...validFlow(), version: '1.0' };
    const draft = await ctx.sdk.flows.create({ wabaId: proxy.acmeWaba, name: 'not_yet', categories: ['OTHER'], flowJson: bad, publish: true });
    expect(draft.validationErrors).toEqual([expect.objectContaining({ error: 'INVALID_PROPERTY_VALUE', errorType: 'FLOW_JSON_ERROR', lineStart: 1 })]);
    expect(await ctx.sdk.flows.get({ flowId: draft.id })).toMatchObject({ status: 'DRAFT' });
  });
});

describe('Flow JSON validation', () => {
  const upload = (flowId: string, text: string, name = 'flow.json', assetType = 'FLOW_JSON') => {
    const form = new FormData();
    form.set('file', new Blob([text], { type: 'application/json' }), 'flow.json');
    form.set('name', name);
    form.set('asset_type', assetType);
    return http(ctx.mock, 'POST', `${V}/${flowId}/assets`, { body: form });
  };

  it('reports where the JSON is wrong, with lines and columns, and refuses to publish it', async () => {
    const text = '{\n  "version": "7.1",\n  "screens": [\n    { "id": "SUCCESS", "terminal": true, "layout": { "type": "Stack", "children": [] } }\n  ]\n}';
    const res = await upload(proxy.flows.survey, text);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      validation_errors: [
        { error: 'INVALID_PROPERTY_VALUE', error_type: 'FLOW_JSON_ERROR', message: 'The screen id "SUCCESS" at "$root/screens/0/id" is reserved.', line_start: 4, line_end: 4, column_start: 13, column_end: 22 },
        { error: 'INVALID_PROPERTY_VALUE', error_type: 'FLOW_JSON_ERROR', message: 'The layout type at "$root/screens/0/layout" must be "SingleColumnLayout".', line_start: 4, line_end: 4, column_start: 62, column_end: 69 },
      ],
    });
    expect((await http(ctx.mock, 'GET', `${V}/${proxy.flows.survey}`)).body.validation_errors).toHaveLength(2);
    const publish = await http(ctx.mock, 'POST', `${V}/${proxy.flows.survey}/publish`);
    expect(publish.body).toEqual(graphError(139002, `(#139002) Publishing failed: Flow ${proxy.flows.survey} has 2 Flow JSON validation error(s)`));
  });

  it.each([
    ['text that is not JSON', '{"version": "7.1", "screens": [', 'INVALID_JSON'],
    ['an array', '[]', 'INVALID_PROPERTY_TYPE'],
    ['no version', '{"screens": [{"id": "A", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": []}}]}', 'MISSING_REQUIRED_PROPERTY'],
    ['no screens', '{"version": "7.1"}', 'MISSING_REQUIRED_PROPERTY'],
    ['no terminal screen', '{"version": "7.1", "screens": [{"id": "A", "layout": {"type": "SingleColumnLayout", "children": []}}]}', 'MISSING_TERMINAL_SCREEN'],
    ['two screens with one id', '{"version": "7.1", "screens": [{"id": "A", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": []}}, {"id": "A", "layout": {"type": "SingleColumnLayout", "children": []}}]}', 'DUPLICATE_SCREEN_ID'],
    ['a routing model without data_api_version', '{"version": "7.1", "routing_model": {"A": []}, "screens": [{"id": "A", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": []}}]}', 'INVALID_PROPERTY'],
    ['a route to a screen that does not exist', '{"version": "7.1", "data_api_version": "3.0", "routing_model": {"A": ["B"]}, "screens": [{"id": "A", "terminal": true, "layout": {"type": "SingleColumnLayout", "children": []}}]}', 'INVALID_ROUTING_MODEL'],
    ['nesting deeper than any Flow', `{"version": "7.1", "x": ${'['.repeat(100)}${']'.repeat(100)}}`, 'INVALID_JSON'],
  ])('reports %s', async (_case, text, code) => {
    const res = await upload(proxy.flows.survey, text);
    expect(res.status).toBe(200);
    expect(res.body.validation_errors.map((e: { error: string }) => e.error)).toContain(code);
  });

  it.each([
    ['a name other than flow.json', 'other.json', 'FLOW_JSON', '(#100) name must be one of: flow.json'],
    ['an asset type other than FLOW_JSON', 'flow.json', 'IMAGE', '(#100) asset_type must be one of: FLOW_JSON'],
  ])('refuses an upload with %s', async (_case, name, type, message) => {
    const res = await upload(proxy.flows.survey, JSON.stringify(validFlow()), name, type);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(100, message));
  });

  it('refuses a flow.json over 10 MB', async () => {
    const res = await upload(proxy.flows.survey, ' '.repeat(10 * 1024 * 1024 + 1));
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(100, '(#100) Payload too large'));
  });
});

describe('names, owners and metadata', () => {
  it('names are unique in a business account, not across them', async () => {
    const dup = await sdkFailure(ctx.sdk.flows.create({ wabaId: proxy.acmeWaba, name: 'appointment_booking', categories: ['OTHER'], flowJson: validFlow() }));
    expectSdkError(dup, { httpStatus: 400, code: 100, category: 'parameter', message: '(#100) Flow name is not unique: another Flow of this WhatsApp Business Account has it' });
    await expect(ctx.sdk.flows.create({ wabaId: proxy.globexWaba, name: 'appointment_booking', categories: ['OTHER'], flowJson: validFlow() })).resolves.toMatchObject({ success: true });
    const rename = await http(ctx.mock, 'POST', `${V}/${proxy.flows.survey}`, { body: { name: 'appointment_booking' } });
    expect(rename.status).toBe(400);
  });

  it('a phone number\'s Flows are its business account\'s: create and list through either', async () => {
    const created = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}/flows`, { body: { name: 'by_phone', categories: ['CONTACT_US'] } });
    expect(created.status).toBe(200);
    const byPhone = await http(ctx.mock, 'GET', `${V}/${proxy.salesPhone}/flows?limit=100`);
    const byWaba = await http(ctx.mock, 'GET', `${V}/${proxy.acmeWaba}/flows?limit=100`);
    expect(byPhone.body).toEqual(byWaba.body);
    expect(byWaba.body.data.map((f: { id: string }) => f.id)).toContain(created.body.id);
    expect(byWaba.body.data.map((f: { id: string }) => f.id)).not.toContain(proxy.flows.globexFeedback);
  });

  it('pages a business account\'s Flows, newest first, by cursor', async () => {
    const all = (await http(ctx.mock, 'GET', `${V}/${proxy.acmeWaba}/flows`)).body.data.map((f: { id: string }) => f.id);
    expect(all).toHaveLength(5);
    type Page = { data: { id: string }[]; paging: { cursors: { before?: string; after?: string } } };
    const first = await ctx.sdk.flows.list({ wabaId: proxy.acmeWaba, limit: 2 }) as Page;
    expect(first.data.map((f) => f.id)).toEqual(all.slice(0, 2));
    const second = await ctx.sdk.flows.list({ wabaId: proxy.acmeWaba, limit: 2, after: first.paging.cursors.after! }) as Page;
    expect(second.data.map((f) => f.id)).toEqual(all.slice(2, 4));
    const back = await http(ctx.mock, 'GET', `${V}/${proxy.acmeWaba}/flows?limit=2&before=${second.paging.cursors.before}`);
    expect(back.body.data.map((f: { id: string }) => f.id)).toEqual(all.slice(0, 2));
  });

  it('updates a draft\'s metadata, and only with something to change', async () => {
    const id = proxy.flows.survey;
    const res = await http(ctx.mock, 'POST', `${V}/${id}`, { body: { name: 'csat_survey', categories: ['SURVEY', 'CUSTOMER_SUPPORT'], endpoint_uri: 'https://acme.example/flows' } });
    expect(res.body).toEqual({ success: true });
    expect((await http(ctx.mock, 'GET', `${V}/${id}?fields=name,categories,endpoint_uri`)).body).toEqual({
      id, name: 'csat_survey', categories: ['SURVEY', 'CUSTOMER_SUPPORT'], endpoint_uri: 'https://acme.example/flows',
    });
    expect((await http(ctx.mock, 'POST', `${V}/${id}`, { body: {} })).body).toEqual(graphError(100, '(#100) Give at least one of name, categories, endpoint_uri, application_id'));
    expect((await http(ctx.mock, 'POST', `${V}/${id}`, { body: { categories: [] } })).body).toEqual(graphError(100, '(#100) categories must be at least 1'));
    expect((await http(ctx.mock, 'POST', `${V}/${id}`, { body: { categories: ['MARKETING'] } })).status).toBe(400);
  });

  it('an endpoint Flow publishes only with its endpoint_uri', async () => {
    expect((await http(ctx.mock, 'POST', `${V}/${proxy.flows.lead}/publish`)).body).toEqual({ success: true });
    const clone = await http(ctx.mock, 'POST', `${V}/${proxy.acmeWaba}/flows`, { body: { name: 'lead_copy', categories: ['LEAD_GENERATION'], clone_flow_id: proxy.flows.lead } });
    expect(clone.body.validation_errors).toEqual([]);
    const publish = await http(ctx.mock, 'POST', `${V}/${clone.body.id}/publish`);
    expect(publish.body).toEqual(graphError(139002, `(#139002) Publishing failed: Flow ${clone.body.id} uses an endpoint (data_api_version) but has no endpoint_uri`));
    expect((await http(ctx.mock, 'POST', `${V}/${proxy.acmeWaba}/flows`, { body: { name: 'x', categories: ['OTHER'], clone_flow_id: MISSING.flow } })).body)
      .toEqual(graphError(100, `(#100) Invalid parameter: clone_flow_id ${MISSING.flow} is not a Flow of this project`));
  });

  it('a Flow created without Flow JSON has no asset and cannot be published', async () => {
    const created = await http(ctx.mock, 'POST', `${V}/${proxy.acmeWaba}/flows`, { body: { name: 'empty', categories: ['OTHER'] } });
    expect(created.body).toEqual({ id: expect.stringMatching(/^72\d{14}$/), success: true, validation_errors: [] });
    expect((await http(ctx.mock, 'GET', `${V}/${created.body.id}/assets`)).body).toEqual({ data: [], paging: { cursors: {} } });
    expect((await http(ctx.mock, 'POST', `${V}/${created.body.id}/publish`)).body)
      .toEqual(graphError(139002, `(#139002) Publishing failed: Flow ${created.body.id} has no Flow JSON: upload flow.json first`));
  });

  it('deletes a draft; it is gone', async () => {
    const id = proxy.flows.broken;
    expect((await http(ctx.mock, 'DELETE', `${V}/flows/${id}`)).body).toEqual({ success: true });
    for (const [method, path] of [['GET', `${V}/${id}`], ['DELETE', `${V}/flows/${id}`], ['POST', `${V}/${id}/publish`]] as const) {
      const res = await http(ctx.mock, method, path);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(unknownObject(method, id));
    }
  });
});

describe('GET /{flow_id}', () => {
  it('answers the default fields, the ones asked for, and refuses unknown ones', async () => {
    const id = proxy.flows.lead;
    expect((await http(ctx.mock, 'GET', `${V}/${id}`)).body).toEqual({
      id, name: 'enterprise_lead_capture', status: 'DRAFT', categories: ['LEAD_GENERATION', 'CONTACT_US'], validation_errors: [],
    });
    const full = await http(ctx.mock, 'GET', `${V}/${id}?fields=json_version,data_api_version,endpoint_uri,whatsapp_business_account,health_status`);
    expect(full.body).toEqual({
      id, json_version: '7.1', data_api_version: '3.0', endpoint_uri: 'https://flows.acme.example/lead-capture',
      whatsapp_business_account: { id: proxy.acmeWaba },
      health_status: { can_send_message: 'AVAILABLE', entities: [{ entity_type: 'FLOW', id, can_send_message: 'AVAILABLE' }, { entity_type: 'WABA', id: proxy.acmeWaba, can_send_message: 'AVAILABLE' }] },
    });
    expect((await http(ctx.mock, 'GET', `${V}/${proxy.flows.deprecated}?fields=health_status`)).body.health_status.can_send_message).toBe('BLOCKED');
    const bad = await http(ctx.mock, 'GET', `${V}/${id}?fields=id,metric`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual(graphError(100, '(#100) Tried accessing nonexisting field (metric) on node type (WhatsAppFlow)'));
  });

  it('keeps the preview link until preview.invalidate(true) draws a new one', async () => {
    const url = async (fields: string) => (await http(ctx.mock, 'GET', `${V}/${proxy.flows.booking}?fields=${encodeURIComponent(fields)}`)).body.preview.preview_url;
    const first = await url('preview');
    expect(await url('preview.invalidate(false)')).toBe(first);
    const fresh = await url('preview.invalidate(true)');
    expect(fresh).not.toBe(first);
    expect(await url('preview')).toBe(fresh);
  });

  it('takes phone_number_id or business_account_id, which must be the Flow\'s', async () => {
    const id = proxy.flows.booking;
    expect((await http(ctx.mock, 'GET', `${V}/${id}?phone_number_id=${proxy.salesPhone}`)).status).toBe(200);
    expect((await http(ctx.mock, 'GET', `${V}/${id}?business_account_id=${proxy.acmeWaba}`)).status).toBe(200);
    for (const query of [`phone_number_id=${proxy.globexPhone}`, `business_account_id=${proxy.globexWaba}`]) {
      const res = await http(ctx.mock, 'GET', `${V}/${id}?${query}`);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(unknownObject('GET', id));
    }
  });
});
