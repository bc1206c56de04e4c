// Routes declare, handlers stay short (docs/contributing.md "Routes"). A route states its
// operation (operationId, tags, summary), its inputs and its success response; this file adds
// what every route has in common:
//   - the success status by method (201 for POST, 204 for DELETE, 200 otherwise) unless declared
//     (202 for a start, 200 for a resume),
//   - the error statuses by method unless declared (all with Kapso's envelope),
//   - the hidden PUT/PATCH twin of an update (Rails routes both to `update`),
//   - the response cache for GETs (a GET whose answer depends on the clock declares `cache: false`).
// The handler returns the body; the declared status is sent with it. A surface with other
// conventions (the Meta proxy: POSTs answer 200, errors in Graph form) says so once, in routes()'s options.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import type { ApiError } from '../errors.js';
import { ErrorBody, NoContent } from './schemas.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Error statuses whose body the spec documents differently for this operation: how the error becomes it. */
    errorBodies?: Readonly<Record<number, (error: ApiError) => unknown>>;
  }
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Schema = z.ZodType;

/** A documented error body and how any error of its status becomes it. */
export interface OwnErrorBody {
  schema: Schema;
  from: (error: ApiError) => unknown;
}
const isOwnErrorBody = (b: Schema | OwnErrorBody): b is OwnErrorBody => !(b instanceof z.ZodType);
type Out<S> = S extends Schema ? z.output<S> : undefined;

/** Wrapped bodies (`{"customer": {...}}`) remember their key, so a missing wrapper is a 400 by declaration, not by guess. */
const WRAPPERS = new WeakMap<object, string>();

/**
 * Kapso's body shape: the fields inside one wrapper key, `wrapped('customer', z.object({...}))`.
 * `siblings`: top-level fields some operations take beside the wrapper (`{"message": {...}, "whatsapp_config_id": "..."}`).
 */
export function wrapped<K extends string, T extends Schema, S extends z.ZodRawShape = {}>(
  key: K, fields: T, siblings?: S,
): z.ZodObject<{ [P in K]: T } & S> {
  const schema = z.object({ ...siblings, [key]: fields } as { [P in K]: T } & S);
  WRAPPERS.set(schema, key);
  return schema;
}

/** The wrapper key a body schema declares, if any. */
export const wrapperOf = (schema: unknown): string | undefined =>
  schema !== null && typeof schema === 'object' ? WRAPPERS.get(schema) : undefined;

/** Flat bodies whose listed top-level keys a Rails controller reads straight from params. */
const PARAM_KEYS = new WeakMap<object, readonly string[]>();

/**
 * A flat body (no wrapper) some of whose top-level keys Kapso reads straight from params
 * (`params.require(:message)`, `params.require(:agent_test_run)`) rather than as fields of a
 * record: a problem with one of those keys is a 400 (a missing or blank one is Rails'
 * "param is missing or the value is empty: <key>"), problems with the other keys stay 422.
 */
export function railsParams<T extends z.ZodObject>(schema: T, keys: readonly (keyof T['shape'] & string)[]): T {
  PARAM_KEYS.set(schema, keys);
  return schema;
}

/** The keys a flat body schema declares with railsParams(), if any (the body may be declared optional). */
export const paramKeysOf = (schema: unknown): readonly string[] | undefined => {
  if (schema === null || typeof schema !== 'object') return undefined;
  const inner = schema instanceof z.ZodOptional ? schema.unwrap() : schema;
  return PARAM_KEYS.get(inner as object);
};

export interface RouteDef<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, R extends Schema> {
  operationId: string;
  summary: string;
  description?: string;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Success status (default by method: POST 201, DELETE 204, else 200). */
  status?: 200 | 201 | 202;
  /** Error statuses, replacing the defaults of the method. */
  errors?: readonly number[];
  /**
   * Error statuses whose body the spec documents in its own shape instead of the envelope. Either
   * the schema alone (createFlowExecution's 422 `{error, details}`: the handler throws it with
   * ApiError.withBody), or the schema and how any error of that status becomes it (a contact
   * create's `{"errors": [...]}`: the error handler rewrites every 422 of the route).
   */
  errorBodies?: Readonly<Record<number, Schema | OwnErrorBody>>;
  /** GET only: false when the answer depends on the clock, so it is never served from the response cache. */
  cache?: boolean;
  /** Left out of the document. */
  hide?: boolean;
  /** Tags, replacing the family's. */
  tags?: string[];
  /** Body media types other than JSON (`['multipart/form-data']`). */
  consumes?: string[];
  /** Success media types other than JSON (`['application/octet-stream']`); errors stay JSON. */
  produces?: string[];
  /** Route config for plugins (`multipartOptions`). */
  config?: Record<string, unknown>;
}

export type RouteRequest<P, Q, B> = Omit<FastifyRequest, 'params' | 'query' | 'body'> & { params: Out<P>; query: Out<Q>; body: Out<B> };
type Handler<P, Q, B, R extends Schema> = (request: RouteRequest<P, Q, B>, reply: FastifyReply) => z.input<R> | Promise<z.input<R>>;
type DeleteDef<P extends Schema | undefined, Q extends Schema | undefined> = Omit<RouteDef<P, Q, undefined, Schema>, 'response' | 'status' | 'body' | 'cache'>;

/** Errors a route can answer, by method: everything authenticated can be 401; IDs can be missing; bodies can be bad. */
export function defaultErrors(method: Method, hasParams: boolean, hasBody: boolean): number[] {
  if (method === 'DELETE') return [401, 404];
  if (method === 'GET' || !hasBody) return hasParams ? [401, 404] : [401];
  return hasParams || method !== 'POST' ? [400, 401, 404, 422] : [400, 401, 422];
}

/** What a surface does differently from Kapso's /api/v1 conventions. */
export interface RouteConventions {
  /** The error body schema of every error status (default: Kapso's envelope). */
  errorBody?: Schema;
  /** Error statuses by method when a route declares none (default: defaultErrors). */
  errorStatuses?: typeof defaultErrors;
  /** The success status of a POST (default 201). */
  created?: 200 | 201;
}

/**
 * The route builder of one family: `const r = routes(app, ['Customers'])`, then
 * `r.get(url, def, handler)`, `r.post`, `r.update` (PATCH or PUT with its hidden twin), `r.delete`.
 */
// The app is any Fastify instance (the zod type provider types the handlers through RouteDef instead).
export function routes(app: FastifyInstance<any, any, any, any, any>, tags: string[], conventions: RouteConventions = {}) {
  const { errorBody = ErrorBody, errorStatuses = defaultErrors, created = 201 } = conventions;
  const add = <P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, R extends Schema>(
    method: Method, url: string, def: RouteDef<P, Q, B, R>, handler: Handler<P, Q, B, R>, status: number,
  ) => {
    const errorStatusList = def.errors ?? errorStatuses(method, def.params !== undefined, def.body !== undefined);
    app.route({
      method,
      url,
      config: {
        ...def.config,
        cacheable: method === 'GET' && def.cache !== false,
        ...(def.errorBodies && {
          errorBodies: Object.fromEntries(Object.entries(def.errorBodies).filter(([, b]) => isOwnErrorBody(b)).map(([s, b]) => [s, (b as OwnErrorBody).from])),
        }),
      },
      schema: {
        operationId: def.operationId,
        tags: def.tags ?? tags,
        summary: def.summary,
        ...(def.description !== undefined && { description: def.description }),
        ...(def.hide && { hide: true }),
        ...(def.params && { params: def.params }),
        ...(def.query && { querystring: def.query }),
        ...(def.body && { body: def.body }),
        ...(def.consumes && { consumes: def.consumes }),
        ...(def.produces && { produces: def.produces }),
        response: {
          [status]: def.response,
          ...Object.fromEntries(errorStatusList.map((s) => [s, errorBody])),
          ...(def.errorBodies && Object.fromEntries(Object.entries(def.errorBodies).map(([s, b]) => [s, isOwnErrorBody(b) ? b.schema : b]))),
        },
      },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const body = await handler(request as unknown as RouteRequest<P, Q, B>, reply);
        // A handler that answered itself (a file, a stream) returns the reply.
        if ((body as unknown) === reply || reply.sent) return reply;
        return reply.code(status).send(status === 204 ? null : body);
      },
    } as RouteOptions);
  };
  const defaultStatus = (method: Method) => (method === 'POST' ? created : 200);
  const one = (method: Method) =>
    <P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined, R extends Schema = Schema>(
      url: string, def: RouteDef<P, Q, B, R>, handler: Handler<P, Q, B, R>,
    ) => add(method, url, def, handler, def.status ?? defaultStatus(method));

  return {
    get: one('GET'),
    post: one('POST'),
    /** Any method with a body in its answer (a DELETE that answers 200 with the new state). */
    route<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined, R extends Schema = Schema>(
      method: Method, url: string, def: RouteDef<P, Q, B, R>, handler: Handler<P, Q, B, R>,
    ) {
      add(method, url, def, handler, def.status ?? defaultStatus(method));
    },
    /**
     * An update: the documented method (`def.method`, as the spec names it) and its twin, which
     * Rails routes to the same action; the twin is left out of the document.
     */
    update<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, B extends Schema | undefined = undefined, R extends Schema = Schema>(
      url: string, def: RouteDef<P, Q, B, R> & { method: 'PATCH' | 'PUT' }, handler: Handler<P, Q, B, R>,
    ) {
      const twin = def.method === 'PATCH' ? 'PUT' : 'PATCH';
      add(def.method, url, def, handler, def.status ?? 200);
      add(twin, url, { ...def, hide: true }, handler, def.status ?? 200);
    },
    delete<P extends Schema | undefined = undefined, Q extends Schema | undefined = undefined>(
      url: string, def: DeleteDef<P, Q>, handler: (request: RouteRequest<P, Q, undefined>, reply: FastifyReply) => void | Promise<void>,
    ) {
      add<P, Q, undefined, typeof NoContent>('DELETE', url, { ...def, response: NoContent }, async (request, reply) => {
        await handler(request, reply);
        return null;
      }, 204);
    },
  };
}
