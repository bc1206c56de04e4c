// Media through the official SDK: upload (WhatsApp's types and size limits), metadata with links
// the mock serves, download, delete; the links' expiry on the mock's clock; bytes kept through
// snapshots.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { expectSdkError, graphError, http, MISSING, proxy, sdkFailure, unknownObject, useMock, V } from './helpers.js';

const ctx = useMock();
const KB = 1024;
const MB = 1024 * KB;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bytes = (n: number, fill = 7) => new Uint8Array(n).fill(fill);
/** An animated WebP header: RIFF, WEBP, a VP8X chunk with the animation flag. */
function animatedWebp(size: number): Uint8Array {
  const b = bytes(size, 0);
  b.set(Buffer.from('RIFF'), 0);
  b.set(Buffer.from('WEBP'), 8);
  b.set(Buffer.from('VP8X'), 12);
  b[20] = 0x02;
  return b;
}

describe('upload, get, download, delete', () => {
  it('walks the SDK through a file from upload to gone', async () => {
    const { sdk } = ctx;
    const file = new Uint8Array(Buffer.from('%PDF-1.4\n% a tiny invoice\n%%EOF\n'));
    const uploaded = await sdk.media.upload({ phoneNumberId: proxy.acmePhone, type: 'application/pdf', file, fileName: 'invoice-1042.pdf' });
    expect(uploaded.id).toMatch(/^71\d{14}$/);

    const meta = await sdk.media.get({ mediaId: uploaded.id, phoneNumberId: proxy.acmePhone });
    expect(meta).toEqual({
      messagingProduct: 'whatsapp', id: uploaded.id, mimeType: 'application/pdf', sha256: sha(file), fileSize: String(file.length),
      url: expect.stringMatching(new RegExp(`^${ctx.mock.origin}/meta/whatsapp/media_download\\?token=`)),
      downloadUrl: expect.stringMatching(new RegExp(`^${ctx.mock.origin}/meta/whatsapp/media_download\\?token=`)),
      downloadUrlExpiresAt: expect.any(String),
    });

    const downloaded = new Uint8Array(await sdk.media.download({ mediaId: uploaded.id, phoneNumberId: proxy.acmePhone }) as ArrayBuffer);
    expect(Buffer.from(downloaded).equals(Buffer.from(file))).toBe(true);
    const res = await fetch(meta.downloadUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`inline; filename="${uploaded.id}"`);
    expect(res.headers.get('cache-control')).toBe('private, max-age=240');

    expect(await sdk.media.delete({ mediaId: uploaded.id, phoneNumberId: proxy.acmePhone })).toEqual({ success: true });
    const gone = await sdkFailure(sdk.media.get({ mediaId: uploaded.id, phoneNumberId: proxy.acmePhone }));
    expect([gone.httpStatus, gone.code, gone.errorSubcode, gone.category]).toEqual([404, 100, 33, 'parameter']);
    // Links handed out before the delete find nothing now.
    expect((await http(ctx.mock, 'GET', new URL(meta.downloadUrl!).pathname + new URL(meta.downloadUrl!).search, { key: null })).status).toBe(404);
    expect((await sdkFailure(sdk.media.delete({ mediaId: uploaded.id, phoneNumberId: proxy.acmePhone }))).httpStatus).toBe(404);
  });

  it('serves the seeded files', async () => {
    const meta = await ctx.sdk.media.get({ mediaId: proxy.media.logo, phoneNumberId: proxy.acmePhone });
    expect(meta).toMatchObject({ mimeType: 'image/png', fileSize: '70' });
    const png = Buffer.from(await ctx.sdk.media.download({ mediaId: proxy.media.logo, phoneNumberId: proxy.acmePhone }) as ArrayBuffer);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(sha(png)).toBe(meta.sha256);
  });

  it('finds a media item only through the phone number it was uploaded to', async () => {
    const err = await sdkFailure(ctx.sdk.media.get({ mediaId: proxy.media.logo, phoneNumberId: proxy.salesPhone }));
    expectSdkError(err, {
      httpStatus: 404, code: 100, subcode: 33, category: 'parameter', type: 'GraphMethodException', message: unknownObject('GET', proxy.media.logo).error.message,
    });
    const del = await http(ctx.mock, 'DELETE', `${V}/${proxy.media.logo}?phone_number_id=${proxy.salesPhone}`);
    expect(del.status).toBe(404);
    expect((await http(ctx.mock, 'GET', `${V}/${proxy.media.logo}?phone_number_id=${proxy.acmePhone}`)).status).toBe(200);
  });

  it('needs phone_number_id to get a media item (Kapso\'s proxy requires it)', async () => {
    const res = await http(ctx.mock, 'GET', `${V}/${proxy.media.logo}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(100, '(#100) The parameter phone_number_id is required to get a media item'));
  });

  it.each([
    ['a missing media ID', MISSING.media],
    ['a Flow ID', proxy.flows.booking],
    ['a phone number ID', proxy.acmePhone],
  ])('DELETE /{id} with %s is an unknown object', async (_case, id) => {
    const res = await http(ctx.mock, 'DELETE', `${V}/${id}`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(unknownObject('DELETE', id));
  });
});

describe("WhatsApp's types and size limits", () => {
  it.each([
    ['a JPEG of 5 MB', 'image/jpeg', 5 * MB],
    ['a PNG of 1 KB', 'image/png', KB],
    ['an MP3 of 3 MB', 'audio/mpeg', 3 * MB],
    ['an OGG voice note', 'audio/ogg', 40 * KB],
    ['an MP4 video', 'video/mp4', 2 * MB],
    ['a static sticker of 100 KB', 'image/webp', 100 * KB],
    ['a DOCX', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 200 * KB],
  ])('takes %s', async (_case, type, size) => {
    const { id } = await ctx.sdk.media.upload({ phoneNumberId: proxy.acmePhone, type, file: bytes(size) });
    expect((await ctx.sdk.media.get({ mediaId: id, phoneNumberId: proxy.acmePhone })).fileSize).toBe(String(size));
  });

  it('takes an animated sticker up to 500 KB, a static one up to 100 KB', async () => {
    await expect(ctx.sdk.media.upload({ phoneNumberId: proxy.acmePhone, type: 'image/webp', file: animatedWebp(400 * KB) })).resolves.toEqual({ id: expect.any(String) });
    const err = await sdkFailure(ctx.sdk.media.upload({ phoneNumberId: proxy.acmePhone, type: 'image/webp', file: bytes(100 * KB + 1) }));
    expectSdkError(err, { httpStatus: 400, code: 100, category: 'parameter', message: `(#100) File is ${100 * KB + 1} bytes; a static sticker may be at most ${100 * KB} bytes.` });
    const animated = await sdkFailure(ctx.sdk.media.upload({ phoneNumberId: proxy.acmePhone, type: 'image/webp', file: animatedWebp(500 * KB + 1) }));
    expect(animated.message).toBe(`(#100) File is ${500 * KB + 1} bytes; a animated sticker may be at most ${500 * KB} bytes.`);
  });

  it.each([
    ['a JPEG over 5 MB', 'image/jpeg', 5 * MB + 1, `(#100) File is ${5 * MB + 1} bytes; a image/jpeg file may be at most ${5 * MB} bytes.`],
    ['an empty file', 'image/png', 0, '(#100) Param file must not be empty.'],
    ['a GIF', 'image/gif', KB, /^\(#100\) Param file must be a file with one of the following types: image\/jpeg, .*Received file of type 'image\/gif'\.$/],
  ])('refuses %s with 400, code 100', async (_case, type, size, message) => {
    const err = await sdkFailure(ctx.sdk.media.upload({ phoneNumberId: proxy.acmePhone, type, file: bytes(size) }));
    expectSdkError(err, { httpStatus: 400, code: 100, category: 'parameter', message });
  });

  it('reads the type from the form, else the part, else the file name', async () => {
    const form = (type: string | undefined, partType: string, name: string) => {
      const f = new FormData();
      f.set('messaging_product', 'whatsapp');
      if (type) f.set('type', type);
      f.set('file', new Blob([bytes(10)], { type: partType }), name);
      return f;
    };
    const typeOf = async (f: FormData) => {
      const res = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}/media`, { body: f });
      expect(res.status).toBe(200);
      return (await http(ctx.mock, 'GET', `${V}/${res.body.id}?phone_number_id=${proxy.acmePhone}`)).body.mime_type;
    };
    expect(await typeOf(form('image/png', 'image/jpeg', 'x.pdf'))).toBe('image/png');
    expect(await typeOf(form(undefined, 'image/jpeg; charset=binary', 'x.pdf'))).toBe('image/jpeg');
    expect(await typeOf(form(undefined, 'application/octet-stream', 'notes.TXT'))).toBe('text/plain');
  });

  it.each([
    ['without messaging_product', (f: FormData) => f.delete('messaging_product'), '(#100) messaging_product must be one of: whatsapp'],
    ['with messaging_product other than whatsapp', (f: FormData) => f.set('messaging_product', 'sms'), '(#100) messaging_product must be one of: whatsapp'],
    ['without a file', (f: FormData) => f.delete('file'), '(#100) file must be a file'],
  ])('refuses a form %s', async (_case, change, message) => {
    const f = new FormData();
    f.set('messaging_product', 'whatsapp');
    f.set('file', new Blob([bytes(10)], { type: 'image/png' }), 'a.png');
    change(f);
    const res = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}/media`, { body: f });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(100, message));
  });

  it('refuses two files in one form', async () => {
    const f = new FormData();
    f.set('messaging_product', 'whatsapp');
    f.append('file', new Blob([bytes(10)], { type: 'image/png' }), 'a.png');
    f.append('other', new Blob([bytes(10)], { type: 'image/png' }), 'b.png');
    const res = await http(ctx.mock, 'POST', `${V}/${proxy.acmePhone}/media`, { body: f });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(graphError(100, '(#100) The form has too many files'));
  });
});

describe('download links', () => {
  it('url lasts 5 minutes and download_url 4, on the mock\'s clock; no API key needed', async () => {
    const { mock, sdk } = ctx;
    await mock.admin.setClock({ now: '2026-12-01T12:00:00.000Z' });
    const meta = await sdk.media.get({ mediaId: proxy.media.warranty, phoneNumberId: proxy.acmePhone });
    expect(meta.downloadUrlExpiresAt).toBe('2026-12-01T12:04:00.000Z');
    const path = (u: string) => new URL(u).pathname + new URL(u).search;
    const get = (u: string) => http(mock, 'GET', path(u), { key: null });
    expect((await get(meta.downloadUrl!)).status).toBe(200);

    await mock.admin.setClock({ advance_ms: 4 * 60_000 });
    const expired = await get(meta.downloadUrl!);
    expect(expired.status).toBe(404);
    expect(expired.body).toEqual(graphError(100, /^The download link is missing, invalid or expired/));
    expect((await get(meta.url)).status).toBe(200);

    await mock.admin.setClock({ advance_ms: 60_000 });
    expect((await get(meta.url)).status).toBe(404);
  });

  it.each([
    ['without a token', ''],
    ['with a token someone changed', 'x'],
    ['with garbage', '?token=not-a-token'],
    ['with a token signed for a Flow asset', 'flow'],
  ])('answers 404 %s', async (_case, change) => {
    const meta = await ctx.sdk.media.get({ mediaId: proxy.media.logo, phoneNumberId: proxy.acmePhone });
    const url = new URL(meta.downloadUrl!);
    let target = `${url.pathname}${url.search}`;
    if (change === '') target = url.pathname;
    else if (change === 'x') target = `${target.slice(0, -3)}xyz`;
    else if (change === 'flow') {
      const assets = await http(ctx.mock, 'GET', `${V}/${proxy.flows.booking}/assets`);
      const token = new URL(assets.body.data[0].download_url).searchParams.get('token')!;
      target = `${url.pathname}?token=${token}`;
    } else target = `${url.pathname}${change}`;
    const res = await http(ctx.mock, 'GET', target, { key: null });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe(100);
  });

  it('a link is signed for one mock: another instance does not honour it', async () => {
    const meta = await ctx.sdk.media.get({ mediaId: proxy.media.logo, phoneNumberId: proxy.acmePhone });
    const { startKapsoMock } = await import('../../src/index.js');
    const second = await startKapsoMock();
    try {
      const url = new URL(meta.downloadUrl!);
      expect((await fetch(`${second.origin}${url.pathname}${url.search}`)).status).toBe(404);
    } finally {
      await second.close();
    }
  });
});

describe('state', () => {
  it('bytes survive a snapshot and restore (BLOBs round-trip through the snapshot)', async () => {
    const { mock, sdk } = ctx;
    const file = bytes(3000, 42);
    file[0] = 0;
    file[2999] = 255;
    const { id } = await sdk.media.upload({ phoneNumberId: proxy.acmePhone, type: 'audio/aac', file });
    await mock.admin.snapshot('with-audio');
    await sdk.media.delete({ mediaId: id, phoneNumberId: proxy.acmePhone });
    await mock.admin.restore('with-audio');
    const back = new Uint8Array(await sdk.media.download({ mediaId: id, phoneNumberId: proxy.acmePhone }) as ArrayBuffer);
    expect(Buffer.from(back).equals(Buffer.from(file))).toBe(true);
    await mock.admin.deleteSnapshot('with-audio');
  });

  it('reset brings the fixtures back and drops uploads', async () => {
    const { mock, sdk } = ctx;
    const { id } = await sdk.media.upload({ phoneNumberId: proxy.acmePhone, type: 'image/png', file: bytes(5) });
    await sdk.media.delete({ mediaId: proxy.media.logo, phoneNumberId: proxy.acmePhone });
    await mock.admin.reset();
    expect((await http(mock, 'GET', `${V}/${id}?phone_number_id=${proxy.acmePhone}`)).status).toBe(404);
    expect((await http(mock, 'GET', `${V}/${proxy.media.logo}?phone_number_id=${proxy.acmePhone}`)).status).toBe(200);
  });

  it('the journal records an upload with the file described, not its bytes', async () => {
    const { mock, sdk } = ctx;
    await mock.admin.clearRequests();
    await sdk.media.upload({ phoneNumberId: proxy.acmePhone, type: 'image/png', file: bytes(2048), fileName: 'shot.png' });
    const [entry] = await mock.admin.requests({ path: `${V}/${proxy.acmePhone}/media` });
    expect(entry).toMatchObject({ method: 'POST', status: 200, project_id: proxy.demoProject });
    expect(entry!.body).toEqual({ messaging_product: 'whatsapp', type: 'image/png', file: { filename: 'shot.png', mime_type: 'application/octet-stream', size: 2048 } });
    expect(entry!.headers['x-api-key']).toBe('[redacted]');
  });

  it('deleting a WhatsApp config through /api/v1 takes its media with it', async () => {
    const { mock } = ctx;
    const res = await fetch(`${mock.url}/whatsapp_configs/${proxy.acmeSupport.id}`, { method: 'DELETE', headers: { 'x-api-key': mock.apiKey! } });
    expect(res.status).toBe(204);
    const after = await http(mock, 'DELETE', `${V}/${proxy.media.logo}`);
    expect(after.status).toBe(404);
  });
});
