import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VaratlasError } from '../errors.js';

/**
 * Who may read the API (docs/security.md): on loopback, whoever runs a program on this machine; beyond
 * it, whoever holds the access token. The token travels only in an `Authorization: Bearer` header (for
 * scripts) or is exchanged once at /login for an HttpOnly, SameSite=Strict session cookie (for the
 * atlas in a browser) — never in a URL, where logs and browser history keep it. Tokens are compared in
 * constant time. Every request must name an allowed Host, so that a web page cannot reach a loopback
 * server through DNS rebinding.
 */

/** A token must carry at least this much entropy, estimated from its length and the kinds of characters in it. */
const minimumBits = 128;

/** Refuse a token that is too easy to guess, saying how to make a good one. */
export function checkTokenStrength(token: string, where: string): string {
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].map((re, i) => (re.test(token) ? [26, 26, 10, 33][i]! : 0));
  const alphabet = classes.reduce((a, b) => a + b, 0);
  const distinct = new Set(token).size;
  const bits = token.length * Math.log2(Math.max(alphabet, 2));
  if (bits < minimumBits || distinct < 10) {
    throw new VaratlasError(
      'usage',
      `the access token in ${where} is too easy to guess (${token.length} characters, about ${Math.floor(bits)} bits; at least ${minimumBits} are needed). ` +
        'Make one with: openssl rand -hex 16 (or node -e "console.log(crypto.randomBytes(16).toString(\'hex\'))")',
    );
  }
  return token;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Compare in constant time (over digests, so that the length does not leak either). */
export function sameToken(given: string | undefined, token: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(token));
}

const cookieName = 'varatlas_session';
const sessionHours = 12;

/** The Host names a request may carry: the loopback names, the address bound, and those allowed by option. */
export function allowedHosts(bound: string | undefined, extra: string[] = []): Set<string> {
  return new Set(['localhost', '127.0.0.1', '::1', ...(bound && bound !== '0.0.0.0' && bound !== '::' ? [bound] : []), ...extra].map((h) => h.toLowerCase()));
}

/** The host name of a Host header, without port and brackets. */
function hostName(header: string | undefined): string {
  if (!header) return '';
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  return h.replace(/:\d+$/, '');
}

const loginPage = (failed: boolean) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>varatlas — sign in</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 26rem; margin: 4rem auto; padding: 0 1rem">
<h1 style="font-size: 1.3rem">varatlas</h1>
<p>This atlas needs its access token (ask whoever runs it).</p>
${failed ? '<p role="alert" style="color: #b00020">That token is not right.</p>' : ''}
<form method="post" action="/login">
<label for="token">Access token</label><br>
<input id="token" name="token" type="password" autocomplete="current-password" required style="width: 100%; padding: .4rem; margin: .3rem 0 1rem">
<button type="submit">Sign in</button>
</form></body></html>`;

/** Register the Host check, and with a token the login and the check of every request. */
export function registerAccess(app: FastifyInstance, o: { token?: string; hosts: Set<string> }): void {
  app.addHook('onRequest', async (req, reply) => {
    const host = hostName(req.headers.host);
    if (!o.hosts.has(host)) {
      return reply.code(421).send({ error: `this server does not answer for the host '${host.slice(0, 60)}' (allowed: ${[...o.hosts].join(', ')}; varatlas serve --allow-host NAME adds one)` });
    }
  });
  if (!o.token) return;
  const token = o.token;
  const sessions = new Map<string, number>();

  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  app.get('/login', async (_req, reply) => reply.type('text/html; charset=utf-8').send(loginPage(false)));
  app.post('/login', async (req: FastifyRequest<{ Body: { token?: string } }>, reply) => {
    if (!sameToken(typeof req.body?.token === 'string' ? req.body.token : undefined, token)) {
      return reply.code(401).type('text/html; charset=utf-8').send(loginPage(true));
    }
    const id = randomBytes(32).toString('base64url');
    const now = Date.now();
    for (const [s, until] of sessions) if (until < now) sessions.delete(s);
    sessions.set(id, now + sessionHours * 3600_000);
    const secure = req.headers['x-forwarded-proto'] === 'https' || req.protocol === 'https' ? '; Secure' : '';
    return reply
      .header('set-cookie', `${cookieName}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${sessionHours * 3600}${secure}`)
      .redirect('/', 303);
  });

  const session = (req: FastifyRequest) => {
    const cookie = String(req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim())
      .find((c) => c.startsWith(`${cookieName}=`));
    const until = cookie ? sessions.get(cookie.slice(cookieName.length + 1)) : undefined;
    return until !== undefined && until > Date.now();
  };
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0]!;
    if (path === '/login') return;
    const header = req.headers.authorization;
    if (sameToken(header?.startsWith('Bearer ') ? header.slice(7) : undefined, token) || session(req)) return;
    if (!path.startsWith('/api/') && req.method === 'GET') return reply.redirect('/login', 303);
    return reply.code(401).send({ error: 'an access token is required: Authorization: Bearer TOKEN, or sign in at /login' });
  });
}
