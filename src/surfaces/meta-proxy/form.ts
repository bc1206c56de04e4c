// multipart/form-data bodies (media and Flow JSON uploads): @fastify/multipart parses the stream;
// this hook turns the parts into a plain body object (fields as strings, files as UploadedFile) so
// the route's zod schema validates it like any JSON body, and every problem reading the form is a
// 400 instead of a parser's exception.
import type {} from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { invalidParameters } from '../../errors.js';

export class UploadedFile {
  constructor(
    readonly filename: string | undefined,
    /** The part's Content-Type, without parameters, lowercase. */
    readonly mimetype: string,
    readonly data: Buffer,
  ) {}

  /** What the request journal shows instead of the bytes. */
  toJSON() {
    return { filename: this.filename, mime_type: this.mimetype, size: this.data.length };
  }
}

export async function readForm(request: FastifyRequest): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  try {
    for await (const part of request.parts(request.routeOptions.config.multipartOptions)) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        body[part.fieldname] = new UploadedFile(part.filename || undefined, part.mimetype.split(';', 1)[0]!.trim().toLowerCase(), data);
      } else {
        body[part.fieldname] = typeof part.value === 'string' ? part.value : String(part.value);
      }
    }
  } catch (err) {
    // The multipart plugin's own errors (a file over the limit, too many parts) have codes the error handler knows.
    if (typeof (err as { code?: unknown }).code === 'string' && (err as { code: string }).code.startsWith('FST_')) throw err;
    throw invalidParameters(`The form could not be read: ${(err as Error).message}`);
  }
  return { ...body };
}
