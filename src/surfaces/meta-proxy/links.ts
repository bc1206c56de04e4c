// Signed, short-lived download links (Kapso's media_download tokens): the token names the project,
// the object and the moment it expires on the mock's clock, signed with a key each app draws at
// start-up. No API key is needed to follow one; a changed, expired or foreign token finds nothing.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type LinkKind = 'media' | 'flow_asset';

export interface LinkPayload {
  kind: LinkKind;
  projectId: string;
  /** The media ID or Flow ID. */
  id: string;
  /** Milliseconds since the epoch (the mock's clock). */
  expiresAt: number;
}

export function createLinkSigner(key: Buffer = randomBytes(32)) {
  const mac = (data: string) => createHmac('sha256', key).update(data).digest();
  return {
    sign(p: LinkPayload): string {
      const data = Buffer.from(JSON.stringify([p.kind, p.projectId, p.id, p.expiresAt])).toString('base64url');
      return `${data}.${mac(data).toString('base64url')}`;
    },
    /** The payload of a genuine token of this kind that has not expired at `now`, or undefined. */
    verify(token: string, kind: LinkKind, now: number): LinkPayload | undefined {
      const [data, signature, extra] = token.split('.');
      if (data === undefined || signature === undefined || extra !== undefined) return undefined;
      const given = Buffer.from(signature, 'base64url');
      const expected = mac(data);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      // Signed by us, so it parses.
      const [k, projectId, id, expiresAt] = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as [LinkKind, string, string, number];
      if (k !== kind || expiresAt <= now) return undefined;
      return { kind: k, projectId, id, expiresAt };
    },
  };
}

export type LinkSigner = ReturnType<typeof createLinkSigner>;
