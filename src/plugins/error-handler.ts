// The one way failures become responses. Handlers and hooks throw; this turns every
// error (ApiError, request validation, body parsing, SQLite constraints, anything
// else) into Kapso's envelope with the status API-DECISIONS gives it.
import type { FastifyError, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors, type ZodFastifySchemaValidationError } from 'fastify-type-provider-zod';
import type { ZodObject } from 'zod';
import { describeConstraintViolation } from '../db/constraints.js';
import {
  ApiError, errorForStatus, invalidParameters, missingWrapper, payloadTooLarge, routeNotFound, unexpected,
  unprocessable, unsupportedMediaType, validationFailed,
} from '../errors.js';

const FASTIFY_ERRORS: Record<string, () => ApiError> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => invalidParameters('Body is not valid JSON'),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => invalidParameters('Body is not valid JSON'),
  FST_ERR_CTP_BODY_TOO_LARGE: payloadTooLarge,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: unsupportedMediaType,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => invalidParameters('Content-Length does not match the body'),
};

export function toApiError(err: unknown, request: FastifyRequest): ApiError {
  if (err instanceof ApiError) return err;
  if (hasZodFastifySchemaValidationErrors(err)) return fromValidation(err.validation, (err as FastifyError).validationContext, request);
  const constraint = describeConstraintViolation(err);
  if (constraint !== undefined) return constraint === 'Validation failed' ? validationFailed('The record breaks a uniqueness or reference rule') : unprocessable(constraint);
  const fastifyError = err as Partial<FastifyError>;
  const known = fastifyError.code !== undefined ? FASTIFY_ERRORS[fastifyError.code] : undefined;
  if (known) return known();
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return errorForStatus(status);
  return unexpected();
}

/**
 * Body validation: a body that is not an object, or lacks its wrapper object, is 400 (Rails'
 * ParameterMissing); problems with fields inside the wrapper are 422, one phrase per field.
 */
function fromValidation(issues: ZodFastifySchemaValidationError[], context: string | undefined, request: FastifyRequest): ApiError {
  if (context !== 'body') return invalidParameters(issues.map((i) => i.message).join(', '));
  const body = request.body;
  if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    return invalidParameters('Body must be a JSON object');
  }
  const bodySchema = request.routeOptions.schema?.body as ZodObject | undefined;
  const wrapper = Object.keys(bodySchema?.shape ?? {})[0] ?? 'body';
  const paths = issues.map((i) => i.instancePath.split('/').slice(1));
  if (paths.some((p) => p.length <= 1)) return missingWrapper(wrapper);
  const phrases = issues.map((issue, n) => describeIssue(issue, paths[n]!, body));
  return validationFailed([...new Set(phrases)].join(', '));
}

/** `is_primary must be a boolean`, `name can't be blank`, `graph.nodes[0].type must be one of: ...`. */
function describeIssue(issue: ZodFastifySchemaValidationError, path: string[], body: unknown): string {
  const field = path.slice(1).map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : i === 0 ? seg : `.${seg}`)).join('');
  const params = issue.params as { expected?: string; values?: unknown[] };
  switch (issue.keyword) {
    case 'invalid_type':
      if (valueAt(body, path) === undefined) return `${field} can't be blank`;
      return `${field} must be ${article(params.expected ?? 'value')}`;
    case 'invalid_value':
      return `${field} must be one of: ${(params.values ?? []).join(', ')}`;
    case 'custom':
      return `${field} ${issue.message}`;
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

export const errorHandlerPlugin = fp(
  async (app) => {
    app.setErrorHandler((err, request, reply) => {
      const apiError = toApiError(err, request);
      if (!(err instanceof ApiError) && apiError.statusCode >= 500) request.log.error({ err }, 'unexpected error');
      return reply.code(apiError.statusCode).send(apiError.body);
    });
    app.setNotFoundHandler((request) => {
      throw routeNotFound(request.method, request.url.split('?', 1)[0]!);
    });
  },
  { name: 'error-handler' },
);
