// The one error type handlers throw. plugins/error-handler.ts turns it (and every
// other failure) into Kapso's envelope: {"error": "<short sentence>", "message"?: "<detail>"}.

export interface ErrorBody {
  error: string;
  message?: string;
}

export class ApiError extends Error {
  readonly statusCode: number;
  readonly body: ErrorBody | unknown;
  /** Set when the body is not the envelope (a fault rule's own body): it is sent as is. */
  readonly custom: boolean;
  /** Extra response headers (Retry-After on a 429, a fault rule's headers). */
  readonly headers: Record<string, string>;

  constructor(statusCode: number, error: string, message?: string, headers: Record<string, string> = {}) {
    super(message ?? error);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.body = message === undefined ? { error } : { error, message };
    this.custom = false;
    this.headers = headers;
  }

  /** An error response with a body of the caller's choosing (fault injection). */
  static withBody(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiError {
    const err = new ApiError(statusCode, 'Injected fault', undefined, headers);
    (err as { body: unknown }).body = body;
    (err as { custom: boolean }).custom = true;
    return err;
  }
}

/** 404 for a missing record, or one that belongs to another project: `notFound('Customer')`. */
export const notFound = (what: string) => new ApiError(404, `${what} not found`);

export const routeNotFound = (method: string, path: string) =>
  new ApiError(404, 'Not found', `No route matches ${method} ${path}`);

/** 404 for a route Kapso documents that the mock does not answer yet (so it cannot pass for a typo). */
export const notEmulated = (operationId: string, method: string, path: string) =>
  new ApiError(404, 'Not found', `Kapso operation ${operationId} (${method} ${path}) is not emulated yet`);

export const unauthorized = () => new ApiError(401, 'Invalid or missing API key');

/** 400: the body is not JSON, not an object, or lacks its wrapper key. */
export const invalidParameters = (message: string) => new ApiError(400, 'Invalid parameters', message);

export const missingWrapper = (wrapper: string) =>
  invalidParameters(`param is missing or the value is empty: ${wrapper}`);

/** 422 for field-level problems: `validationFailed('is_primary must be a boolean')`. */
export const validationFailed = (message: string) => new ApiError(422, 'Validation failed', message);

/** 422 for record-level rules that Kapso reports in `error` itself ("Whatsapp config has already been taken"). */
export const unprocessable = (error: string) => new ApiError(422, error);

export const payloadTooLarge = () => new ApiError(413, 'Payload too large');

export const unsupportedMediaType = () =>
  new ApiError(415, 'Unsupported media type', 'Send the body as JSON, with Content-Type: application/json');

export const unexpected = () => new ApiError(500, 'An unexpected error occurred');

export const rateLimited = (retryAfterSeconds: number) =>
  new ApiError(429, 'Rate limit exceeded', `Please retry after ${retryAfterSeconds} seconds`, {
    'retry-after': String(retryAfterSeconds),
    'x-ratelimit-remaining': '0',
  });

/** The envelope for a bare status code (used when nothing more specific is known). */
export function errorForStatus(statusCode: number): ApiError {
  switch (statusCode) {
    case 400: return invalidParameters('The request could not be understood');
    case 401: return unauthorized();
    case 404: return new ApiError(404, 'Not found');
    case 413: return payloadTooLarge();
    case 415: return unsupportedMediaType();
    case 422: return new ApiError(422, 'Validation failed');
    case 429: return rateLimited(60);
    case 500: return unexpected();
    default:
      return new ApiError(statusCode, STATUS_TEXT[statusCode] ?? (statusCode >= 500 ? 'An unexpected error occurred' : 'Request failed'));
  }
}

const STATUS_TEXT: Record<number, string> = {
  402: 'Payment required',
  403: 'Forbidden',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  410: 'Gone',
  431: 'Request header fields too large',
  502: 'Bad gateway',
  503: 'Service unavailable',
  504: 'Gateway timeout',
};
