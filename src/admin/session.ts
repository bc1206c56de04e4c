// Who may use the control plane when KAPSO_MOCK_ADMIN_TOKEN is set: a request carrying
// `Authorization: Bearer <token>` (tests, scripts), or a browser holding a session cookie that
// the inspector's token form exchanged the token for (docs/inspector.md "The admin token").
// The cookie carries a random session ID, never the token; the server keeps only the SHA-256 of
// each ID, in memory (a restart asks for the token again). Cookies are parsed here by hand:
// @fastify/cookie pulls cookie@2, which needs Node 22, and our engines claim every 20.x.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Sessions kept at most; the oldest goes first (a browser that logs in again and again cannot grow memory). */
const MAX_SESSIONS = 1000;

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The session cookie's name. Browsers share cookies between the ports of one host, so two mocks
 * on 127.0.0.1 (4400 and 4401) would overwrite each other's session under one name: the port the
 * browser addressed (its Host header) is part of the name.
 */
export function sessionCookieName(host: string | undefined): string {
  const port = /:(\d{1,5})$/.exec(host ?? '')?.[1] ?? '80';
  return `kapso_mock_session_${port}`;
}

/** The cookies of a Cookie header (RFC 6265 §5.4: `name=value` pairs separated by `;`); the first of a name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (name !== '' && !cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export class AdminSessions {
  private readonly expected: Buffer | undefined;
  /** SHA-256 (hex) of each open session ID. */
  private readonly sessions = new Set<string>();

  constructor(token: string | undefined) {
    this.expected = token === undefined ? undefined : digest(token);
  }

  /** Whether the control plane needs the token at all. */
  get required(): boolean {
    return this.expected !== undefined;
  }

  /** Whether `given` is the admin token; compared as digests, in constant time whatever the lengths. */
  isToken(given: string): boolean {
    return this.expected !== undefined && timingSafeEqual(digest(given), this.expected);
  }

  /** Whether a request may use the control plane: no token set, the bearer token, or an open session. */
  allows(headers: IncomingHttpHeaders): boolean {
    if (!this.required) return true;
    // The scheme name is case-insensitive (RFC 9110).
    const bearer = /^bearer +(.+)$/i.exec(headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return this.isToken(bearer);
    return this.sessionOf(headers) !== undefined;
  }

  /** Opens a session for the right token: the ID to set as the cookie's value; undefined for a wrong token. */
  open(token: string): string | undefined {
    if (!this.isToken(token)) return undefined;
    const id = randomBytes(32).toString('base64url');
    this.sessions.add(createHash('sha256').update(id).digest('hex'));
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.values().next().value!);
    return id;
  }

  /** Ends the request's session, if it has one. */
  close(headers: IncomingHttpHeaders): void {
    const session = this.sessionOf(headers);
    if (session !== undefined) this.sessions.delete(session);
  }

  /** The digest of the request's open session, if its cookie names one. */
  private sessionOf(headers: IncomingHttpHeaders): string | undefined {
    const id = parseCookies(headers.cookie).get(sessionCookieName(headers.host));
    if (id === undefined || id === '') return undefined;
    const hash = createHash('sha256').update(id).digest('hex');
    return this.sessions.has(hash) ? hash : undefined;
  }
}
