// The one way failures become responses. Handlers and hooks throw; this turns every
// error (ApiError, request validation, body parsing, SQLite constraints, anything
// else) into Kapso's envelope with the status docs/behaviour.md gives it, or, for a request
// to the Meta proxy (routed or not), into its Graph error (surfaces/meta-proxy/errors.ts).
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, type ZodFastifySchemaValidationError } from 'fastify-type-provider-zod';
import { isConstraintError } from '../db/constraints.js';
import {
  ApiError, errorForStatus, invalidParameters, missingParam, missingWrapper, notEmulated, payloadTooLarge, RecordInvalid, routeNotFound,
  ruleBroken, unexpected, unprocessable, unsupportedMediaType, validationFailed,
} from '../errors.js';
import { paramKeysOf, wrapperOf } from '../lib/route.js';
import { API_PREFIX, kapsoOperationFor } from '../not-emulated.js';
import { graphResponse, isMetaProxyUrl } from '../surfaces/meta-proxy/errors.js';

const FASTIFY_ERRORS: Record<string, () => ApiError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => invalidParameters('Body is not valid JSON'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => invalidParameters('Body is not valid JSON'),
  FST_ERR_CTP_BODY_TOO_LARGE: payloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: unsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => invalidParameters('Content-Length does not match the body'),
  FST_ERR_BAD_URL: () => invalidParameters('The URL is not valid'),
  // @fastify/multipart (Meta proxy uploads): a file over the route's limit, a form the parser cannot read.
  FST_REQ_FILE_TOO_LARGE: payloadTooLarge,
  FST_PARTS_LIMIT: () => invalidParameters('The form has too many parts'),
  FST_FILES_LIMIT: () => invalidParameters('The form has too many files'),
  FST_FIELDS_LIMIT: () => invalidParameters('The form has too many fields'),
  FST_INVALID_MULTIPART_CONTENT_TYPE: () => invalidParameters('The request is not multipart/form-data'),
  FST_INVALID_JSON_FIELD_ERROR: () => invalidParameters('A form field is not the JSON its Content-Type declares'),
  FST_PROTO_VIOLATION: () => invalidParameters('A form field name is not allowed'),
};

/** At most this many field problems are spelled out in one message. */
const MAX_PHRASES = 10;

export function toApiError(err: unknown, request: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) return fromValidation(err.validation, (err as FastifyError).validationContext, request);
  if (err instanceof RecordInvalid) return ruleBroken(err);
  // A constraint no repository words (repositories word theirs: db/constraints.ts).
  if (isConstraintError(err)) {
    return err.code === 'SQLITE_CONSTRAINT_FOREIGNKEY'
      ? unprocessable('A referenced record does not exist')
      : validationFailed('The record breaks a uniqueness or reference rule');
  }
  const fastifyError = err as Partial<FastifyError>;
  const known = fastifyError.code !== undefined ? FASTIFY_ERRORS[fastifyError.code] : undefined;
  if (known) return known();
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return errorForStatus(status);
  return unexpected();
}

/**
 * Body validation. Kapso's bodies wrap their fields in one object (`{"customer": {...}}`), declared
 * with wrapped() on the body schema: a body that is not an object, or lacks its wrapper, is 400
 * (Rails' ParameterMissing), and problems with fields inside the wrapper are 422, one phrase per
 * field. Other bodies (the mock's own admin bodies, Kapso's unwrapped ones such as `{graph}`) are
 * flat: any field problem is 422.
 */
function fromValidation(issues: ZodFastifySchemaValidationError[], context: string | undefined, request: FastifyRequest): ApiError {
  if (context !== 'body') {
    // Query and path values: always 400, phrased like body fields.
    const source = context === 'querystring' ? request.query : context === 'params' ? request.params : request.headers;
    return invalidParameters(issues.map((i) => { const path = i.instancePath.split('/').slice(1); return describeIssue(i, path, valueAt(source, path)); }).join(', '));
  }
  const body = request.body;
  const notAnObject = body === null || typeof body !== 'object' || Array.isArray(body);
  const wrapper = wrapperOf(request.routeOptions.schema?.body);
  const paramKeys = paramKeysOf(request.routeOptions.schema?.body);
  const paths = issues.map((i) => i.instancePath.split('/').slice(1));
  if (wrapper !== undefined) {
    if (body !== undefined && notAnObject) return invalidParameters('Body must be a JSON object');
    if (paths.some((p) => p.length <= 1)) return missingWrapper(wrapper);
  } else if (paramKeys !== undefined && body === undefined) {
    return missingParam(paramKeys[0]!);
  } else if (notAnObject) {
    return invalidParameters('Body must be a JSON object');
  } else if (paramKeys !== undefined) {
    // Keys read straight from params (route.ts railsParams): their problems are 400s, before any field's 422.
    const params = issues.flatMap((issue, n) => (paramKeys.includes(paths[n]![0]!) ? [{ issue, path: paths[n]! }] : []));
    if (params.length > 0) {
      const phrases = params.map(({ issue, path }) => {
        const value = valueAt(body, path);
        const blank = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
        return path.length === 1 && blank ? `param is missing or the value is empty: ${path[0]}` : describeIssue(issue, path, value);
      });
      return invalidParameters([...new Set(phrases)].slice(0, MAX_PHRASES).join(', '));
    }
  }
  const skip = wrapper === undefined ? 0 : 1;
  const phrases = [...new Set(issues.map((issue, n) => describeIssue(issue, paths[n]!.slice(skip), valueAt(body, paths[n]!))))];
  const more = phrases.length - MAX_PHRASES;
  return validationFailed(phrases.slice(0, MAX_PHRASES).join(', ') + (more > 0 ? ` and ${more} more` : ''), phrases.slice(0, MAX_PHRASES));
}

/** `is_primary must be a boolean`, `name can't be blank`, `graph.nodes[0].type must be one of: ...`. */
function describeIssue(issue: ZodFastifySchemaValidationError, fieldPath: string[], value: unknown): string {
  const field = fieldPath.map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
  const params = issue.params as { expected?: string; values?: unknown[]; minimum?: number; maximum?: number };
  switch (issue.keyword) {
    case 'invalid_type':
      if (value === undefined) return `${field} can't be blank`;
      return `${field} must be ${article(params.expected ?? 'value')}`;
    case 'invalid_value':
      return `${field} must be one of: ${(params.values ?? []).join(', ')}`;
    case 'too_small':
      return `${field} must be at least ${params.minimum}`;
    case 'too_big':
      return `${field} must be at most ${params.maximum}`;
    case 'custom':
      return `${field} ${issue.message}`;
    case 'invalid_union': {
      // A field of several shapes (a string, or a structured object): the branch of the value's own
      // type says what is wrong inside it; a value of none of the types is named by the types.
      type Inner = { code: string; path: PropertyKey[]; message: string; expected?: string };
      const branches = ((issue.params as { errors?: Inner[][] }).errors ?? []).filter((b) => b.length > 0);
      const inner = branches.find((b) => !(b[0]!.code === 'invalid_type' && b[0]!.path.length === 0))?.[0];
      if (inner) {
        const path = inner.path.map(String);
        const { code, message, path: _path, ...rest } = inner;
        return describeIssue({ ...issue, keyword: code, message, params: rest }, [...fieldPath, ...path], valueAt(value, path));
      }
      const expected = [...new Set(branches.map((b) => b[0]!.expected).filter((e): e is string => e !== undefined))];
      return expected.length > 0 ? `${field} must be ${expected.map(article).join(' or ')}` : `${field} is invalid`;
    }
    case 'invalid_format':
      // Our own formats carry a phrase ("must be an RFC 3339 timestamp"); zod's defaults do not.
      return issue.message.startsWith('Invalid') ? `${field} is invalid` : `${field} ${issue.message}`;
    default:
      return `${field} is invalid`;
  }
}

function valueAt(root: unknown, path: string[]): unknown {
  let node = root;
  for (const seg of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, seg)) return undefined;
    node = (node as Record<string, unknown>)[seg];
  }
  return node;
}

const article = (type: string): string =>
  ({ object: 'an object', record: 'an object', array: 'an array', int: 'an integer', number: 'a number' })[type] ?? `a ${type}`;

/**
 * Errors Fastify raises before routing (a URL that cannot be decoded): the same envelope,
 * sent from here because they never reach setErrorHandler.
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  void send(toApiError(err, request), request, reply);
}

/**
 * Sends an error in the format of the surface the request came through: Graph errors on the Meta
 * proxy, Kapso's envelope everywhere else. A body that is not the route's declared envelope (a
 * fault rule's own, a Graph error) is written as it is.
 */
function send(apiError: ApiError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const graph = isMetaProxyUrl(request.url);
  const { status, body } = graph ? graphResponse(apiError) : { status: apiError.statusCode, body: apiError.body };
  if (graph || apiError.custom) reply.serializer(JSON.stringify).type('application/json; charset=utf-8');
  return reply.code(status).headers(apiError.headers).send(body);
}

const CLIENT_ERRORS: Record<string, number> = { HPE_HEADER_OVERFLOW: 431, ERR_HTTP_REQUEST_TIMEOUT: 408 };

/**
 * Requests Node's HTTP parser cannot read (a broken request line or header, headers too large,
 * a request that timed out): answered on the raw socket with the envelope. Only the error code
 * is logged: the raw packet can hold an API key.
 */
export function clientErrorHandler(this: FastifyInstance, err: NodeJS.ErrnoException, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return;
  this.log.debug({ code: err.code }, 'malformed request');
  const status = CLIENT_ERRORS[err.code ?? ''] ?? 400;
  const apiError = status === 400 ? invalidParameters('The HTTP request is malformed') : errorForStatus(status);
  const body = JSON.stringify(apiError.body);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n`
      + `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Unknown route or method: thrown, so it takes the same path as every other error. A route
 * Kapso documents but the mock does not answer yet says so (src/not-emulated.ts).
 */
export async function notFoundHandler(request: FastifyRequest): Promise<never> {
  const path = request.url.split('?', 1)[0]!;
  const kapso = kapsoOperationFor(request.method, path);
  if (kapso) throw notEmulated(kapso[2], kapso[0], `${API_PREFIX}${kapso[1]}`);
  throw routeNotFound(request.method, path);
}

export const errorHandlerPlugin = fp(
  async (app) => {
    app.setErrorHandler((err, request, reply) => {
      let apiError = toApiError(err, request);
      // An operation whose spec documents its own body for this status (contacts' `{"errors": [...]}`).
      const own = request.routeOptions.config?.errorBodies?.[apiError.statusCode];
      if (own && !apiError.custom) apiError = ApiError.withBody(apiError.statusCode, own(apiError), apiError.headers);
      if (!(err instanceof ApiError) && apiError.statusCode >= 500) request.log.error({ err }, 'unexpected error');
      return send(apiError, request, reply);
    });
    app.setNotFoundHandler(notFoundHandler);
  },
  { name: 'error-handler' },
);
