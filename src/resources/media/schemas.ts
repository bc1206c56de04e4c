import { z } from 'zod';
import { FixtureId } from '../../db/fixtures.js';
import { GRAPH_ID_PREFIX } from '../../lib/ids.js';

const MB = 1024 * 1024;
const KB = 1024;

/**
 * What WhatsApp accepts for upload (Kapso's proxy spec, "Upload media"), by MIME type: the kind of
 * message it can be sent as and its size limit. Stickers are WebP images: 100 KB static, 500 KB animated.
 */
export const MEDIA_TYPES: Record<string, { kind: 'image' | 'video' | 'audio' | 'document' | 'sticker'; maxBytes: number }> = {
  'image/jpeg': { kind: 'image', maxBytes: 5 * MB },
  'image/png': { kind: 'image', maxBytes: 5 * MB },
  'video/mp4': { kind: 'video', maxBytes: 16 * MB },
  'video/3gpp': { kind: 'video', maxBytes: 16 * MB },
  'audio/aac': { kind: 'audio', maxBytes: 16 * MB },
  'audio/amr': { kind: 'audio', maxBytes: 16 * MB },
  'audio/mpeg': { kind: 'audio', maxBytes: 16 * MB },
  'audio/mp4': { kind: 'audio', maxBytes: 16 * MB },
  'audio/ogg': { kind: 'audio', maxBytes: 16 * MB },
  'audio/opus': { kind: 'audio', maxBytes: 16 * MB },
  'text/plain': { kind: 'document', maxBytes: 100 * MB },
  'application/pdf': { kind: 'document', maxBytes: 100 * MB },
  'application/msword': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.ms-excel': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.ms-powerpoint': { kind: 'document', maxBytes: 100 * MB },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { kind: 'document', maxBytes: 100 * MB },
  'image/webp': { kind: 'sticker', maxBytes: 100 * KB },
};

/** Animated WebP stickers may be larger than static ones. */
const ANIMATED_STICKER_MAX = 500 * KB;

/** The largest file any type allows: the upload route's own limit. */
export const MAX_MEDIA_BYTES = Math.max(...Object.values(MEDIA_TYPES).map((t) => t.maxBytes));

/** The type a file name's extension suggests (when neither the form nor the part names one). */
const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', mp4: 'video/mp4', '3gp': 'video/3gpp',
  aac: 'audio/aac', amr: 'audio/amr', mp3: 'audio/mpeg', m4a: 'audio/mp4', ogg: 'audio/ogg', opus: 'audio/opus',
  txt: 'text/plain', pdf: 'application/pdf', doc: 'application/msword', xls: 'application/vnd.ms-excel', ppt: 'application/vnd.ms-powerpoint',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
};

export const typeFromFilename = (filename: string | undefined): string | undefined =>
  filename === undefined ? undefined : BY_EXTENSION[filename.split('.').pop()?.toLowerCase() ?? ''];

/** An animated WebP: a VP8X chunk with the animation flag, as WhatsApp tells animated stickers apart. */
export function isAnimatedWebp(bytes: Uint8Array): boolean {
  const text = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  return bytes.length > 21 && text(0, 4) === 'RIFF' && text(8, 12) === 'WEBP' && text(12, 16) === 'VP8X' && (bytes[20]! & 0x02) !== 0;
}

/** What is wrong with an upload of this type and size, in Meta's words, or undefined when WhatsApp takes it. */
export function uploadProblem(mimeType: string, bytes: Uint8Array): string | undefined {
  const type = MEDIA_TYPES[mimeType];
  if (!type) {
    return `Param file must be a file with one of the following types: ${Object.keys(MEDIA_TYPES).join(', ')}. Received file of type '${mimeType}'.`;
  }
  if (bytes.length === 0) return 'Param file must not be empty.';
  const animated = type.kind === 'sticker' && isAnimatedWebp(bytes);
  const max = animated ? ANIMATED_STICKER_MAX : type.maxBytes;
  if (bytes.length > max) {
    const what = type.kind === 'sticker' ? `${animated ? 'animated' : 'static'} sticker` : `${mimeType} file`;
    return `File is ${bytes.length} bytes; a ${what} may be at most ${max} bytes.`;
  }
  return undefined;
}

/** A Graph-style ID of one kind in a fixture: 16 digits in the kind's range. */
export const fixtureGraphId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}\\d{14}$`), `must be 16 digits starting with ${prefix}`);

/**
 * `projects[].media[]`: a file uploaded to a phone number (the config's). The bytes are given as
 * base64; the SHA-256 and size are computed.
 */
export const MediaFixture = z.object({
  media_id: fixtureGraphId(GRAPH_ID_PREFIX.media),
  whatsapp_config_id: FixtureId,
  mime_type: z.enum(Object.keys(MEDIA_TYPES) as [string, ...string[]]),
  filename: z.string().min(1).optional(),
  content_base64: z.base64(),
});
