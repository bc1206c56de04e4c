// Media: upload to a phone number (multipart, WhatsApp's types and size limits), and the signed
// download links GET /{media_id} hands out (served at /meta/whatsapp/media_download, outside any
// version). GET and DELETE /{media_id} are one-segment routes: objects.ts.
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { graphError } from '../../../errors.js';
import { MAX_MEDIA_BYTES, MEDIA_TYPES, typeFromFilename } from '../../../resources/media/schemas.js';
import type { MediaRecord } from '../../../resources/media/repository.js';
import { graphRoutes, lookups, originOf } from '../context.js';
import { UploadedFile } from '../form.js';
import type { LinkSigner } from '../links.js';
import { META_PROXY_PREFIX } from '../errors.js';
import { GraphMedia, MessagingProduct, PhoneParams } from '../schemas.js';

/** Meta's lookaside URL lasts 5 minutes, Kapso's download_url 4. */
const URL_MS = 5 * 60_000;
const DOWNLOAD_URL_MS = 4 * 60_000;

export const MEDIA_DOWNLOAD_PATH = `${META_PROXY_PREFIX}/media_download`;

/** The media item in Meta's shape, with download links signed for the caller's project. */
export function mediaView(request: FastifyRequest, links: LinkSigner, now: number, media: MediaRecord): z.input<typeof GraphMedia> {
  const link = (ms: number) => `${originOf(request)}${MEDIA_DOWNLOAD_PATH}?token=${links.sign({ kind: 'media', projectId: request.projectId, id: media.media_id, expiresAt: now + ms })}`;
  return {
    messaging_product: 'whatsapp',
    id: media.media_id,
    url: link(URL_MS),
    mime_type: media.mime_type,
    sha256: media.sha256,
    file_size: String(media.file_size),
    download_url: link(DOWNLOAD_URL_MS),
    download_url_expires_at: new Date(now + DOWNLOAD_URL_MS).toISOString(),
  };
}

const File = z
  .custom<UploadedFile>((v) => v instanceof UploadedFile, { message: 'must be a file' })
  .meta({ type: 'string', format: 'binary', description: 'The file (one part).' });

/** The upload route: under a version, with the multipart limit of the largest type WhatsApp takes. */
export const mediaUploadRoutes: FastifyPluginAsyncZod = async (app) => {
  const { media } = app.repos;
  const find = lookups(app);
  const r = graphRoutes(app, ['Media']);

  r.post('/:phone_number_id/media', {
    operationId: 'uploadMedia', summary: 'Upload media',
    description: `multipart/form-data with \`file\` and \`messaging_product\`. The type is \`type\` when given, else the part's Content-Type, else the file name's extension. Types and limits: ${
      Object.entries(MEDIA_TYPES).map(([t, { maxBytes }]) => `${t} ${Math.round(maxBytes / 1024)} KB`).join(', ')} (animated WebP stickers 500 KB).`,
    params: PhoneParams,
    consumes: ['multipart/form-data'],
    body: z.object({
      messaging_product: MessagingProduct,
      file: File,
      type: z.string().optional().meta({ description: 'MIME type of the file (the SDK sends it).' }),
    }),
    response: z.object({ id: z.string().meta({ description: 'Media ID (16 digits starting 71).' }) }),
    config: { multipartOptions: { limits: { fileSize: MAX_MEDIA_BYTES, files: 1, fields: 10, parts: 11 } } },
  }, async (request) => {
    const config = find.phone(request, request.params.phone_number_id);
    const { file, type } = request.body;
    const given = type?.split(';', 1)[0]!.trim().toLowerCase();
    const mimeType = given || (file.mimetype !== 'application/octet-stream' ? file.mimetype : typeFromFilename(file.filename)) || file.mimetype;
    const stored = media.upload(request.projectId, config.id, { bytes: file.data, mime_type: mimeType, filename: file.filename });
    return { id: stored.media_id };
  });
};

/** GET /meta/whatsapp/media_download?token=...: the bytes behind a download link; the token is the credential. */
export const mediaDownloadRoute: FastifyPluginAsyncZod = async (app) => {
  const { media } = app.repos;
  const r = graphRoutes(app, ['Media']);
  const links = app.getDecorator<LinkSigner>('links');

  r.get('/media_download', {
    operationId: 'downloadMedia', summary: 'Download media file',
    description: 'No API key: the token from download_url (or url) is the credential, until it expires on the mock\'s clock.',
    query: z.object({ token: z.string().optional().meta({ description: 'Signed token from download_url (a missing one answers 404).' }) }),
    response: z.string().meta({ format: 'binary', description: 'The file, with its Content-Type.' }),
    produces: ['application/octet-stream'],
    errors: [404],
    config: { auth: false },
    cache: false,
  }, async (request, reply) => {
    const link = request.query.token === undefined ? undefined : links.verify(request.query.token, 'media', app.clock.now());
    const content = link && media.content(link.projectId, link.id);
    if (!link || !content) throw graphError(404, 100, 'The download link is missing, invalid or expired, or its media is gone: get a new download_url from GET /{media_id}');
    request.projectId = link.projectId;
    return reply
      .type(content.mime_type)
      .header('content-disposition', `inline; filename="${link.id}"`)
      .header('cache-control', `private, max-age=${DOWNLOAD_URL_MS / 1000}`)
      .send(content.bytes);
  });
};
