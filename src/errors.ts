// The one error type handlers throw. plugins/error-handler.ts turns it (and every
// other failure) into Kapso's envelope: {"error": "<short sentence>", "message"?: "<detail>"},
// or, on the Meta proxy, into Meta's Graph error (surfaces/meta-proxy/errors.ts).
// Repositories know no HTTP: they throw RecordInvalid for a broken record rule (a 422).

export interface ErrorBody {
  error: string;
  message?: string;
}

/**
 * Meta's Graph error, as the Meta proxy answers it: `{"error": {message, type, code, error_subcode?,
 * error_data?, fbtrace_id}}` (the fbtrace_id is added when the error is sent).
 */
export interface GraphFields {
  message: string;
  type: string;
  code: number;
  error_subcode?: number;
  error_data?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly statusCode: number;
  readonly body: ErrorBody | unknown;
  /** Set when the body is not the envelope (a fault rule's own body): it is sent as is. */
  readonly custom: boolean;
  /** Extra response headers (Retry-After on a 429, a fault rule's headers). */
  readonly headers: Record<string, string>;
  /** The problems one by one (a validation failure names each field), for the spec's bodies that list them (`{"errors": [...]}`). */
  readonly details: readonly string[];
  /** The Graph error this is on the Meta proxy (absent: derived from the status there). */
  readonly graph: GraphFields | undefined;
  /** A status someone asked for (a fault rule, X-Kapso-Mock-Status): every surface answers exactly it. */
  readonly forced: boolean;

  constructor(
    statusCode: number, error: string, message?: string, headers: Record<string, string> = {},
    extra: { body?: unknown; graph?: GraphFields; forced?: boolean; details?: readonly string[] } = {},
  ) {
    super(message ?? error);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.custom = 'body' in extra;
    this.body = this.custom ? extra.body : message === undefined ? { error } : { error, message };
    this.headers = headers;
    this.details = extra.details ?? [message ?? error];
    this.graph = extra.graph;
    this.forced = extra.forced ?? false;
  }

  /** An error response with a body of the caller's choosing (fault injection, the spec's own error bodies). */
  static withBody(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiError {
    return new ApiError(statusCode, 'Error', undefined, headers, { body });
  }
}

/**
 * A record rule a repository enforces was broken: a 422. `record` (the default): Kapso words it
 * in `error` itself ("Whatsapp config has already been taken"); `validation`: the envelope's
 * "Validation failed" with the rule in `message` ("Cannot send non-template messages outside the
 * 24-hour window"). A rule of WhatsApp's own names Meta's error code for it, which the Meta proxy
 * answers with (400, `(#133005) Two step verification PIN Mismatch`).
 */
export class RecordInvalid extends Error {
  override name = 'RecordInvalid';
  readonly kind: 'record' | 'validation';
  readonly graphCode: number | undefined;
  readonly data: Record<string, unknown> | undefined;

  constructor(message: string, options: { kind?: 'record' | 'validation'; graphCode?: number; data?: Record<string, unknown> } = {}) {
    super(message);
    this.kind = options.kind ?? 'record';
    this.graphCode = options.graphCode;
    this.data = options.data;
  }
}

/**
 * A message that may not be sent (the 24-hour window, an agent execution in charge, a template
 * that is missing, not approved or given the wrong parameters): nothing is stored. Each send
 * operation answers it in its own documented way; unanswered, it is a 422 like any RecordInvalid.
 */
export class SendRefused extends RecordInvalid {
  override name = 'SendRefused';
  constructor(readonly reason: 'blocked' | 'window' | 'template_missing' | 'template_status' | 'template_parameters' | 'thread' | 'marketing_stopped', message: string) {
    super(message, { kind: 'validation' });
  }
}

/** 404 for a missing record, or one that belongs to another project: `notFound('Customer')`. */
export const notFound = (what: string) => new ApiError(404, `${what} not found`);

export const routeNotFound = (method: string, path: string, message = `No route matches ${method} ${path}`) =>
  new ApiError(404, 'Not found', message);

/** 404 for a route Kapso documents that the mock does not answer yet (so it cannot pass for a typo). */
export const notEmulated = (operationId: string, method: string, path: string) =>
  new ApiError(404, 'Not found', `Kapso operation ${operationId} (${method} ${path}) is not emulated yet`);

export const unauthorized = () => new ApiError(401, 'Invalid or missing API key');

export const adminUnauthorized = () => new ApiError(401, 'Invalid or missing admin token');

/** 400: the body is not JSON, not an object, or lacks its wrapper key. */
export const invalidParameters = (message: string) => new ApiError(400, 'Invalid parameters', message);

export const missingWrapper = (wrapper: string) =>
  invalidParameters(`param is missing or the value is empty: ${wrapper}`);

/** 400 for a top-level key Rails reads with params.require (`message`, `agent_test_run`): the same words as a missing wrapper. */
export const missingParam = missingWrapper;

/** 422 for field-level problems: `validationFailed('is_primary must be a boolean')`; `details` lists them one by one. */
export const validationFailed = (message: string, details?: readonly string[]) => new ApiError(422, 'Validation failed', message, {}, details === undefined ? {} : { details });

/** 400 with the spec's own sentence in `error` ("Phone number is required"). */
export const badRequest = (error: string) => new ApiError(400, error);

/** 409: a manual message while an agent execution on the conversation is active (the spec's sentence). */
export const executionActive = () =>
  new ApiError(409, 'Cannot send a manual message when an agent execution is active and not in handoff, failed, or stopped state');

/** 400 resuming an agent execution that is not paused (API-DECISIONS "Other resources"). */
export const executionNotResumable = () => new ApiError(400, 'Execution cannot be resumed', 'This execution is not in a paused state');

/** 422 for a fixtures document that does not validate or cannot be seeded (the message names the record). */
export const invalidFixtures = (message: string) => new ApiError(422, 'Invalid fixtures', message);

/** 422 for record-level rules that Kapso reports in `error` itself ("Whatsapp config has already been taken"). */
export const unprocessable = (error: string) => new ApiError(422, error);

/** 402 when the project has no AI credits left: the body the spec documents for test chats. */
export const insufficientCredits = (projectId: string) =>
  new ApiError(402, `Insufficient credits. Go to https://app.kapso.ai/projects/${projectId}/billing`);

/** 422 resuming a test chat that is not completed: the spec's own body. */
export const testChatNotResumable = () => new ApiError(422, 'Test chat cannot be resumed', 'This test chat is not in a completed state');

/** 400 sending a message to a test chat whose last turn is still being processed. */
export const testChatBusy = () =>
  invalidParameters('Test chat is still processing the previous message; send the next one once its status is completed');

/** A broken record rule: Kapso's 422, with Meta's code for the proxy when the rule has one. */
export const ruleBroken = (err: RecordInvalid) =>
  err.graphCode === undefined
    ? (err.kind === 'validation' ? validationFailed(err.message) : unprocessable(err.message))
    : new ApiError(422, err.message, undefined, {}, {
      graph: {
        message: `(#${err.graphCode}) ${err.message}`, type: 'OAuthException', code: err.graphCode,
        ...(err.data !== undefined && { error_data: err.data }),
      },
    });

export const payloadTooLarge = () => new ApiError(413, 'Payload too large');

export const unsupportedMediaType = () =>
  new ApiError(415, 'Unsupported media type', 'Send the body as JSON, with Content-Type: application/json');

export const unexpected = () => new ApiError(500, 'An unexpected error occurred');

export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError(429, 'Rate limit exceeded', `Please retry after ${retryAfterSeconds} seconds`, {
    'retry-after': String(retryAfterSeconds),
    'x-ratelimit-remaining': '0',
  });

// ---------------------------------------------------------------------------------------------
// The Meta proxy's own errors (API-DECISIONS "Errors on the Meta proxy"). Everything else that goes
// wrong there (validation, auth, limits, faults) is one of the errors above, which the proxy's
// format turns into its Graph twin by status.

/** A Graph error with Meta's code: `graphError(400, 133005, 'Two step verification PIN Mismatch')`. */
export const graphError = (
  statusCode: number, code: number, message: string,
  extra: { type?: string; subcode?: number; data?: Record<string, unknown>; status?: 'exact' } = {},
) =>
  new ApiError(statusCode, message, undefined, {}, {
    // `status: 'exact'`: a status Kapso's proxy documents for this error (131047's 422), not folded into Meta's 400.
    ...(extra.status === 'exact' && { forced: true }),
    graph: {
      message, type: extra.type ?? 'OAuthException', code,
      ...(extra.subcode !== undefined && { error_subcode: extra.subcode }),
      ...(extra.data !== undefined && { error_data: extra.data }),
    },
  });

/** 400, code 100: a parameter Meta refuses, `(#100) <what is wrong>`. */
export const graphInvalidParameter = (message: string, data?: Record<string, unknown>) =>
  graphError(400, 100, `(#100) ${message}`, data === undefined ? {} : { data });

/**
 * An ID that names nothing this key may see (missing, another project's, or of a kind the
 * operation does not apply to), in Meta's words (code 100, subcode 33). HTTP 404, as Kapso's
 * proxy documents its not-found answers (Meta itself answers 400).
 */
export const unknownGraphObject = (method: string, id: string) =>
  graphError(
    404, 100,
    `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    { type: 'GraphMethodException', subcode: 33 },
  );

/** The `error` phrase of the envelope for each error status (also the document's response descriptions). */
export const ERROR_TEXT: Readonly<Record<number, string>> = {
  400: 'Invalid parameters',
  401: 'Invalid or missing API key',
  402: 'Payment required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Validation failed',
  429: 'Rate limit exceeded',
  431: 'Request header fields too large',
  500: 'An unexpected error occurred',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};

/** The error a fault rule or X-Kapso-Mock-Status asks for: the envelope of its status, kept on every surface. */
export function forcedError(statusCode: number): ApiError {
  const e = errorForStatus(statusCode);
  const body = e.body as ErrorBody;
  return new ApiError(e.statusCode, body.error, body.message, e.headers, { forced: true });
}

/** The envelope for a bare status code (used when nothing more specific is known). */
export function errorForStatus(statusCode: number): ApiError {
  switch (statusCode) {
    case 400: return invalidParameters('The request could not be understood');
    case 401: return unauthorized();
    case 413: return payloadTooLarge();
    case 415: return unsupportedMediaType();
    case 429: return rateLimited(60);
    case 500: return unexpected();
    default:
      return new ApiError(statusCode, ERROR_TEXT[statusCode] ?? (statusCode >= 500 ? ERROR_TEXT[500]! : 'Request failed'));
  }
}
