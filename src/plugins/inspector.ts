// The inspector (docs/inspector.md): a web page served by the mock itself at /__inspector/ to watch
// and drive it. Plain HTML, CSS and JavaScript modules from the package's inspector/ folder, no
// build step, nothing fetched from the internet. It reads and acts only through the documented
// admin routes, /api/v1 and the event stream; the one thing it adds is the token form's session:
//   GET    /__inspector/session   {token_required, authenticated}
//   POST   /__inspector/session   {"token": "..."}: sets an HttpOnly, SameSite=Strict cookie (204), or 401
//   DELETE /__inspector/session   ends the session (204)
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { sessionCookieName } from '../admin/session.js';
import { adminUnauthorized } from '../errors.js';
import { packagePath } from '../paths.js';

export const INSPECTOR_PREFIX = '/__inspector/';
/** The assets: inspector/ at the package's root. */
export const INSPECTOR_DIR = packagePath('inspector/');

/**
 * Everything the page loads comes from the mock (self); images and media may come from anywhere,
 * because messages carry their URLs (the page loads one only when asked, or when it is the mock's own).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", 'img-src * data: blob:', 'media-src * data: blob:',
  "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'",
].join('; ');

const LoginBody = z.object({ token: z.string().max(4096) });

export const inspectorPlugin = fp(
  async (app: FastifyInstance) => {
    const sessions = app.adminSessions;
    const hide = { schema: { hide: true } };

    await app.register(fastifyStatic, {
      root: INSPECTOR_DIR,
      // Without the trailing slash, so /__inspector redirects to /__inspector/.
      prefix: INSPECTOR_PREFIX.slice(0, -1),
      decorateReply: false,
      redirect: true,
      index: ['index.html'],
      // Always revalidated (ETag), so a new version of the page is picked up at once.
      maxAge: 0,
      setHeaders: (res) => {
        res.setHeader('content-security-policy', CONTENT_SECURITY_POLICY);
        res.setHeader('x-content-type-options', 'nosniff');
        res.setHeader('referrer-policy', 'no-referrer');
      },
    });

    app.get('/__inspector/session', hide, async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { data: { token_required: sessions.required, authenticated: sessions.allows(request.headers) } };
    });

    app.post('/__inspector/session', hide, async (request, reply) => {
      const body = LoginBody.safeParse(request.body);
      const id = body.success ? sessions.open(body.data.token) : undefined;
      if (id === undefined) throw adminUnauthorized();
      // HttpOnly: page scripts never see it; SameSite=Strict: no other site's page sends it; no
      // Secure, as the mock serves plain HTTP (browsers treat 127.0.0.1 and localhost as secure anyway).
      reply.header('set-cookie', `${sessionCookieName(request.headers.host)}=${id}; Path=/; HttpOnly; SameSite=Strict`);
      return reply.code(204).send();
    });

    app.delete('/__inspector/session', hide, async (request, reply) => {
      sessions.close(request.headers);
      reply.header('set-cookie', `${sessionCookieName(request.headers.host)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
      return reply.code(204).send();
    });
  },
  { name: 'inspector', dependencies: ['control'] },
);
