import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { app } from '../../worker/index';
import { AuditFilter, MailboxFilter } from '../../worker/routes/admin.schemas';
import { OutboxList } from '../../worker/routes/dev.schemas';
import { IdentityDueQuery } from '../../worker/routes/identities.schemas';
import { AuditQuery } from '../../worker/routes/manager.schemas';
import { call, INTERNAL_IP, json, ORIGIN, OUTSIDE_IP, seedMailbox, startReset } from '../helpers';
import { DEFAULT_SUPPORT } from '../support-fixtures';

/** Runs the app with a different configuration (a fresh env object gets a fresh config). */
async function callWith(
  overrides: Partial<Env>,
  path: string,
  init: RequestInit & { ip?: string | null } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  const ip = init.ip === undefined ? OUTSIDE_IP : init.ip;
  if (ip !== null) headers.set('CF-Connecting-IP', ip);
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${ORIGIN}${path}`, { ...init, headers }),
    { ...env, ...overrides },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

describe('health and policy', () => {
  it('says it is up', async () => {
    const res = await call('/api/health');
    expect(res.status).toBe(200);
    // No mailbox uses the domain and no connector is registered.
    expect(await res.json()).toEqual({ ok: true, directory: 'local' });
  });

  it('publishes the password policy in force', async () => {
    const res = await call('/api/policy');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      minLength: 8,
      minClasses: 3,
      historyDepth: 24,
      maxAgeDays: 90,
    });
  });

  it('publishes a policy that follows the configuration', async () => {
    const res = await callWith({ POLICY_MIN_LENGTH: '12' }, '/api/policy');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      minLength: 12,
      minClasses: 3,
      historyDepth: 24,
      maxAgeDays: 90,
    });
  });
});

describe('network check', () => {
  async function internal(ip: string | null, headers?: Record<string, string>) {
    const res = await call('/api/network', { ip, headers });
    expect(res.status).toBe(200);
    return (await json<{ internal: boolean }>(res)).internal;
  }

  it('tells a caller on mobile data that it is outside', async () => {
    expect(await internal(OUTSIDE_IP)).toBe(false);
  });

  it.each([INTERNAL_IP, '172.31.255.255', 'fd00::1', '2001:db8:aaaa::5', '::ffff:10.1.2.3'])(
    'tells a caller from %s that it is on the internal network',
    async (ip) => {
      expect(await internal(ip)).toBe(true);
    },
  );

  it.each(['198.51.100.8', '2001:db8:bbbb::1', '::ffff:198.51.100.7'])(
    'tells a caller from %s that it is outside',
    async (ip) => {
      expect(await internal(ip)).toBe(false);
    },
  );

  it('counts a request without a client address as internal (fails closed)', async () => {
    expect(await internal(null)).toBe(true);
  });

  it('counts an unreadable client address as internal (fails closed)', async () => {
    expect(await internal('not-an-address')).toBe(true);
    expect(await internal('10.1.2.3, 198.51.100.7')).toBe(true);
  });

  it('counts everyone as internal when the configured network list is malformed', async () => {
    const res = await callWith({ INTERNAL_NETWORKS: '10.0.0.0/33' }, '/api/network');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ internal: true });
  });

  it('ignores X-Forwarded-For, which the client controls', async () => {
    expect(await internal(OUTSIDE_IP, { 'X-Forwarded-For': INTERNAL_IP })).toBe(false);
    expect(await internal(null, { 'X-Forwarded-For': OUTSIDE_IP })).toBe(true);
    expect(await internal(null, { 'X-Real-IP': OUTSIDE_IP, 'True-Client-IP': OUTSIDE_IP })).toBe(
      true,
    );
  });
});

describe('security headers', () => {
  function expectSecurityHeaders(res: Response) {
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(res.headers.get('Content-Security-Policy')).not.toContain('unsafe-inline');
    expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d{7,}/);
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  }

  it('sends them on a successful answer', async () => {
    const res = await call('/api/health');
    expect(res.status).toBe(200);
    expectSecurityHeaders(res);
  });

  it('sends them on an unauthorised answer', async () => {
    const res = await call('/api/mailbox');
    expect(res.status).toBe(401);
    expectSecurityHeaders(res);
  });

  it('sends them on a refused write from the internal network', async () => {
    const res = await call('/api/mailbox/phone', {
      method: 'PUT',
      body: { phone: '0701234567' },
      ip: INTERNAL_IP,
    });
    expect(res.status).toBe(403);
    expectSecurityHeaders(res);
  });

  it('sends them on a malformed request', async () => {
    const res = await call('/api/resets', { raw: '{not json' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_request' });
    expectSecurityHeaders(res);
  });

  it('sends them on an unknown API path', async () => {
    const res = await call('/api/does-not-exist');
    expect(res.status).toBe(404);
    expectSecurityHeaders(res);
  });

  it('sends them on a too large request', async () => {
    const res = await call('/api/resets', {
      raw: JSON.stringify({ username: 'x'.repeat(20_000) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'payload_too_large' });
    expectSecurityHeaders(res);
  });
});

describe('error messages', () => {
  async function notFound(acceptLanguage?: string) {
    const res = await call('/api/nowhere', {
      headers: acceptLanguage === undefined ? {} : { 'Accept-Language': acceptLanguage },
    });
    expect(res.status).toBe(404);
    return json<{ error: string; message: string }>(res);
  }

  it('speaks English to a client that asks for it', async () => {
    expect(await notFound('en')).toEqual({ error: 'not_found', message: 'There is nothing here.' });
    expect(await notFound('en-GB,en;q=0.9')).toEqual({
      error: 'not_found',
      message: 'There is nothing here.',
    });
  });

  it('follows the preference weights in Accept-Language', async () => {
    expect((await notFound('sv;q=0.4, en;q=0.8')).message).toBe('There is nothing here.');
    expect((await notFound('en;q=0.4, sv')).message).toBe('Det finns inget här.');
  });

  it.each([
    ['sv', 'sv'],
    ['no header', undefined],
    ['de', 'de'],
  ])('speaks Swedish for %s', async (_label, header) => {
    expect(await notFound(header)).toEqual({ error: 'not_found', message: 'Det finns inget här.' });
  });

  it('translates errors thrown deep in a use case too', async () => {
    const res = await call('/api/mailbox/session', {
      body: { username: 'okand', password: 'Fel-losen-1' },
      headers: { 'Accept-Language': 'en' },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: 'invalid_credentials',
      message: 'Wrong username or password.',
    });
  });
});

describe('development outbox', () => {
  it('lists what was sent, newest first', async () => {
    const first = await seedMailbox({ phone: '+46701111111' });
    const second = await seedMailbox({ phone: '+46702222222' });
    await startReset(first);
    await startReset(second);
    const res = await call('/api/dev/outbox');
    expect(res.status).toBe(200);
    const items = v.parse(OutboxList, await res.json());
    expect(items.map((m) => m.to)).toEqual(['+46702222222', '+46701111111']);
    expect(items[0]?.body).toContain(second.username);
  });

  it('does not exist outside development', async () => {
    const mailbox = await seedMailbox();
    await startReset(mailbox);
    const res = await callWith(
      { ENVIRONMENT: 'production', SMS_PROVIDER: '46elks', MAIL_PROVIDER: 'mailgun' },
      '/api/dev/outbox',
    );
    expect(res.status).toBe(404);
    const body = await json<{ error: string; message: string }>(res);
    expect(body.error).toBe('not_found');
    expect(JSON.stringify(body)).not.toContain(mailbox.phone ?? '');
  });
});

describe('unknown paths', () => {
  it('answers 404 not_found as JSON for an unknown API path', async () => {
    for (const [path, method] of [
      ['/api/nothing', 'GET'],
      ['/api/mailbox/nothing', 'GET'],
      ['/api/nothing', 'POST'],
    ] as const) {
      const res = await call(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
      expect(await res.json()).toMatchObject({ error: 'not_found' });
    }
  });

  it('serves the app shell from the static assets outside /api', async () => {
    const res = await SELF.fetch(`${ORIGIN}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/<!doctype html>/i);
  });
});

describe('OpenAPI document', () => {
  interface OpenApiOperation {
    operationId?: string;
    security?: Record<string, string[]>[];
    parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
    requestBody?: { content: { 'application/json': { schema: { required?: string[] } } } };
    responses: Record<string, unknown>;
  }
  type OpenApi = {
    openapi: string;
    paths: Record<string, Record<string, OpenApiOperation>>;
    components: { securitySchemes: Record<string, unknown> };
  };

  /** Every operation of the document, keyed 'METHOD /path'. */
  function operations(doc: OpenApi): [string, OpenApiOperation][] {
    return Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]): [string, OpenApiOperation] => [
        `${method.toUpperCase()} ${path}`,
        operation,
      ]),
    );
  }

  async function document(): Promise<OpenApi> {
    const res = await call('/api/openapi.json');
    expect(res.status).toBe(200);
    return json<OpenApi>(res);
  }

  /** Every route the app really registers, as 'METHOD /path/{param}'. */
  function registered(): Set<string> {
    const routes = new Set<string>();
    for (const route of app.routes) {
      if (route.method === 'ALL') continue;
      const path = route.path.replace(/:([A-Za-z_]+)/g, '{$1}').replace(/(.)\/$/, '$1');
      routes.add(`${route.method} ${path}`);
    }
    return routes;
  }

  function documented(doc: OpenApi): Set<string> {
    const ops = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) ops.add(`${method.toUpperCase()} ${path}`);
    }
    return ops;
  }

  it('is OpenAPI 3.1', async () => {
    expect((await document()).openapi).toBe('3.1.0');
  });

  it('documents exactly the routes the worker registers', async () => {
    const doc = await document();
    const routes = registered();
    // A sanity check that the route list was read at all.
    expect(routes).toContain('POST /api/resets/{id}/code');
    expect([...documented(doc)].sort()).toEqual([...routes].sort());
  });

  it('documents each request body with its required fields', async () => {
    const doc = await document();
    const bodies: Record<string, string[]> = {
      'POST /api/mailbox/session': ['username', 'password'],
      'PUT /api/mailbox/phone': ['phone'],
      'POST /api/mailbox/phone/verify': ['code'],
      'POST /api/mailbox/password': ['currentPassword', 'newPassword'],
      'POST /api/resets': ['username'],
      'POST /api/resets/{id}/code': ['code'],
      'POST /api/resets/{id}/password': ['token', 'newPassword'],
    };
    for (const [op, required] of Object.entries(bodies)) {
      const [method = '', path = ''] = op.split(' ');
      const operation = doc.paths[path]?.[method.toLowerCase()];
      const schema = operation?.requestBody?.content['application/json'].schema;
      expect(schema, op).toBeDefined();
      expect([...(schema?.required ?? [])].sort(), op).toEqual([...required].sort());
    }
  });

  it('documents every error status API v1 promises for a route', async () => {
    const doc = await document();
    // The error statuses API v1 has promised its clients from the start, route by route.
    const errors: Record<string, number[]> = {
      'POST /api/mailbox/session': [401, 403, 423, 429],
      'GET /api/mailbox': [401],
      'PUT /api/mailbox/phone': [400, 401, 403, 429],
      'POST /api/mailbox/phone/verify': [400, 410, 423, 401],
      'POST /api/mailbox/password': [401, 422],
      'POST /api/resets': [429],
      'POST /api/resets/{id}/resend': [429, 410],
      'POST /api/resets/{id}/code': [400, 410, 423],
      'POST /api/resets/{id}/password': [422, 410, 401],
      'GET /api/dev/outbox': [404],
    };
    for (const [op, statuses] of Object.entries(errors)) {
      const [method = '', path = ''] = op.split(' ');
      const responses = doc.paths[path]?.[method.toLowerCase()]?.responses ?? {};
      for (const status of statuses) {
        expect(Object.keys(responses), `${op} ${status}`).toContain(String(status));
      }
    }
  });

  it('names every operation once, for generated clients', async () => {
    const ids = operations(await document()).map(([key, operation]) => {
      expect(operation.operationId, key).toMatch(/^[a-z][A-Za-z0-9]+$/);
      return operation.operationId;
    });
    expect(ids.length).toBeGreaterThan(90);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says who may call every operation, anyone ([]) included', async () => {
    const doc = await document();
    const schemes = Object.keys(doc.components.securitySchemes);
    const publicOps: string[] = [];
    for (const [key, operation] of operations(doc)) {
      expect(Array.isArray(operation.security), key).toBe(true);
      for (const requirement of operation.security ?? []) {
        for (const scheme of Object.keys(requirement)) expect(schemes, key).toContain(scheme);
      }
      if (operation.security?.length === 0) publicOps.push(key);
      const path = key.split(' ')[1] ?? '';
      if (/^\/api\/(admin|manager)\//.test(path)) {
        expect(operation.security, key).toEqual([{ personSession: [] }]);
      }
      if (path.startsWith('/api/integration/')) {
        expect(Object.keys(operation.security?.[0] ?? {}), key).toEqual(['serviceToken']);
      }
    }
    for (const key of [
      'GET /api/health',
      'GET /api/openapi.json',
      'POST /api/mailbox/session',
      'POST /api/resets',
      'POST /api/handovers/reveal',
      'POST /api/people/session/totp',
    ]) {
      expect(publicOps, key).toContain(key);
    }
    expect(publicOps).not.toContain('GET /api/mailbox');
    expect(publicOps).not.toContain('GET /api/people/session');
  });

  it('lists the query parameters of every route that reads a query string', async () => {
    const doc = await document();
    // The routes that call readQuery, with the schema each reads.
    const queries = {
      'GET /api/admin/audit': AuditFilter,
      'GET /api/admin/audit.csv': AuditFilter,
      'GET /api/admin/mailboxes': MailboxFilter,
      'GET /api/manager/identities': IdentityDueQuery,
      'GET /api/manager/units/{id}/audit': AuditQuery,
    };
    for (const [key, schema] of Object.entries(queries)) {
      const [method = '', path = ''] = key.split(' ');
      const parameters = doc.paths[path]?.[method.toLowerCase()]?.parameters ?? [];
      const query = parameters.filter((p) => p.in === 'query');
      expect(query.map((p) => p.name).sort(), key).toEqual(Object.keys(schema.entries).sort());
      for (const parameter of query) {
        const field = schema.entries[
          parameter.name as keyof typeof schema.entries
        ] as v.GenericSchema;
        expect(parameter.required, `${key} ${parameter.name}`).toBe(field.type !== 'optional');
        expect(parameter.schema, `${key} ${parameter.name}`).toBeDefined();
      }
    }
    // Path parameters stay listed, before the query.
    const audit = doc.paths['/api/manager/units/{id}/audit']?.get?.parameters ?? [];
    expect(audit[0]).toMatchObject({ name: 'id', in: 'path', required: true });
    // Nothing else claims a query.
    for (const [key, operation] of operations(doc)) {
      if (key in queries) continue;
      expect(operation.parameters?.filter((p) => p.in === 'query') ?? [], key).toEqual([]);
    }
  });

  it("lists 410 for the mailbox's staff once the password can no longer be shared", async () => {
    const doc = await document();
    const responses = doc.paths['/api/mailbox/staff']?.get?.responses ?? {};
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(['200', '401', '403', '410']));
    expect(responses['410']).toMatchObject({ description: '`share_unavailable`' });
  });
});

describe('public configuration for the app', () => {
  it('tells the organisation, the support channels and whether this is development', async () => {
    const res = await call('/api/info');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      organisation: 'Örebro kommun',
      support: DEFAULT_SUPPORT,
      development: true,
      cardSignIn: false,
    });
  });

  it('says whether sign-in with a SITHS card is on, so the sign-in page offers it only then', async () => {
    const on = await callWith(
      { CLIENT_CERT_ISSUERS: 'CN=SITHS e-id Person ID 3 CA v1,O=Inera AB,C=SE' },
      '/api/info',
    );
    expect(await on.json()).toMatchObject({ cardSignIn: true });
    const blank = await callWith({ CLIENT_CERT_ISSUERS: ' ' }, '/api/info');
    expect(await blank.json()).toMatchObject({ cardSignIn: false });
  });

  it('says development is off in production, so the app hides the outbox panel', async () => {
    const ctx = createExecutionContext();
    const res = await app.fetch(
      new Request(`${ORIGIN}/api/info`, { headers: { 'CF-Connecting-IP': OUTSIDE_IP } }),
      { ...env, ENVIRONMENT: 'production', SMS_PROVIDER: '46elks', MAIL_PROVIDER: 'mailgun' },
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(await res.json()).toMatchObject({ development: false });
  });
});
