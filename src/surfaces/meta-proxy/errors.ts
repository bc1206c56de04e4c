// The Meta proxy's error format (API-DECISIONS "Errors on the Meta proxy"): Meta's Graph error
// `{"error": {"message", "type", "code", "error_subcode"?, "error_data"?, "fbtrace_id"}}`. The one
// error handler (plugins/error-handler.ts) sends every failure under /meta/whatsapp through here:
// the proxy's own errors carry their Graph fields (errors.ts graphError), and the errors every
// door shares (bad JSON, validation, auth, limits, faults, unknown routes) get their Graph twin
// by status. A fault rule's own body is sent as it is, on every surface.
import { randomBytes } from 'node:crypto';
import type { ApiError, ErrorBody, GraphFields } from '../../errors.js';

/** Where the Meta proxy lives: every request under it answers errors in Graph form. */
export const META_PROXY_PREFIX = '/meta/whatsapp';

/** True for a URL under /meta/whatsapp, routed or not (a 404, a URL refused before routing). */
export const isMetaProxyUrl = (url: string): boolean =>
  url.startsWith(META_PROXY_PREFIX) && (url.length === META_PROXY_PREFIX.length || '/?'.includes(url[META_PROXY_PREFIX.length]!));

/** Meta's trace IDs: 23 characters of base64url, new for every error. */
export const fbtraceId = (): string => `A${randomBytes(16).toString('base64url').slice(0, 22)}`;

const detail = (e: ApiError): string => {
  const body = e.body as ErrorBody;
  return body.message ?? body.error;
};

/**
 * Meta answers every refused parameter with 400: a body too large, of the wrong type, or with a
 * field or record problem (422 on /api/v1) is one of those.
 */
const PARAMETER_STATUSES = new Set([400, 413, 415, 422]);

/** Graph fields of the shared errors, by status: Meta's codes for the same conditions. */
function byStatus(e: ApiError): { status: number; fields: GraphFields } {
  const s = e.statusCode;
  // A status a fault rule or X-Kapso-Mock-Status asked for is answered as asked (a 422 stays a 422).
  if (PARAMETER_STATUSES.has(s)) return { status: e.forced ? s : 400, fields: { message: `(#100) ${detail(e)}`, type: 'OAuthException', code: 100 } };
  switch (s) {
    case 401: return { status: s, fields: { message: detail(e), type: 'OAuthException', code: 190 } };
    case 403: return { status: s, fields: { message: '(#10) Application does not have permission for this action', type: 'OAuthException', code: 10 } };
    // An unknown path (Meta's "Unknown path components" code), with the path named.
    case 404: return { status: s, fields: { message: detail(e), type: 'OAuthException', code: 2500 } };
    case 429: return { status: s, fields: { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4 } };
    case 500: return { status: s, fields: { message: 'An unknown error occurred', type: 'OAuthException', code: 1 } };
    case 503: return { status: s, fields: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2 } };
    default: return { status: s, fields: { message: detail(e), type: 'OAuthException', code: s } };
  }
}

/** The status and Graph body an error answers on the Meta proxy. */
export function graphResponse(e: ApiError): { status: number; body: unknown } {
  if (e.custom) return { status: e.statusCode, body: e.body };
  const { status, fields } = e.graph ? { status: PARAMETER_STATUSES.has(e.statusCode) && !e.forced ? 400 : e.statusCode, fields: e.graph } : byStatus(e);
  return { status, body: { error: { ...fields, fbtrace_id: fbtraceId() } } };
}
