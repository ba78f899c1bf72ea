import { SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { app } from '../../worker/index';
import { call, ORIGIN, OUTSIDE_IP } from '../helpers';

/*
 * Security headers on every answer: CSP without inline script
 * and with frame-ancestors 'none', HSTS, nosniff, Referrer-Policy no-referrer; and no-store on
 * every /api/* answer. Walked over every route the app registers (as meta.test.ts reads them),
 * called the way an anonymous outsider would, so the error paths are covered too; and over the
 * static app: the shell, its assets, the SPA fallback and unknown paths.
 */

function expectSecurityHeaders(res: Response, label: string) {
  const csp = res.headers.get('Content-Security-Policy') ?? '';
  expect(csp, label).toContain("frame-ancestors 'none'");
  expect(csp, label).not.toContain('unsafe-inline');
  expect(csp, label).not.toContain('unsafe-eval');
  expect(res.headers.get('Strict-Transport-Security'), label).toMatch(/max-age=\d{7,}/);
  expect(res.headers.get('Referrer-Policy'), label).toBe('no-referrer');
  expect(res.headers.get('X-Content-Type-Options'), label).toBe('nosniff');
}

/** Every route the app registers, with a made-up value in each path parameter. */
function routes(): { method: string; path: string }[] {
  const seen = new Set<string>();
  const list: { method: string; path: string }[] = [];
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    const path = route.path.replace(/:([A-Za-z_]+)(\{[^}]*\})?/g, 'x1y2z3').replace(/(.)\/$/, '$1');
    const key = `${route.method} ${path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    list.push({ method: route.method, path });
  }
  return list;
}

describe('every API route', () => {
  const all = routes();

  it('is really the whole app', () => {
    // A sanity check that the route table was read: public, mailbox, manager and admin routes.
    const keys = all.map((r) => `${r.method} ${r.path}`);
    expect(keys).toContain('GET /api/health');
    expect(keys).toContain('POST /api/resets/x1y2z3/code');
    expect(keys.some((k) => k.includes('/api/admin/'))).toBe(true);
    expect(keys.some((k) => k.includes('/api/manager/'))).toBe(true);
    expect(all.length).toBeGreaterThan(40);
  });

  it.each(all)(
    '$method $path answers an anonymous caller with the headers and no-store, never a 5xx',
    async ({ method, path }) => {
      const hasBody = method !== 'GET' && method !== 'HEAD';
      const res = await call(path, { method, raw: hasBody ? '{}' : undefined });
      const label = `${method} ${path} → ${res.status}`;
      expect(res.status, label).toBeLessThan(500);
      expectSecurityHeaders(res, label);
      expect(res.headers.get('Cache-Control'), label).toBe('no-store');
      await res.arrayBuffer();
    },
  );

  it.each([
    ['an unknown path', 'GET', '/api/finns/inte'],
    ['a known path with a method it does not have', 'DELETE', '/api/health'],
    ['a path that escapes upwards', 'GET', '/api/../api/health'],
    ['a percent-encoded path', 'GET', '/api/%2e%2e/%2e%2e/etc/passwd'],
  ])('sends them on %s', async (label, method, path) => {
    const res = await SELF.fetch(`${ORIGIN}${path}`, {
      method,
      headers: { 'CF-Connecting-IP': OUTSIDE_IP, Origin: ORIGIN },
    });
    expect(res.status, label).toBeLessThan(500);
    expectSecurityHeaders(res, label);
    if (new URL(res.url || `${ORIGIN}${path}`).pathname.startsWith('/api/')) {
      expect(res.headers.get('Cache-Control'), label).toBe('no-store');
    }
    await res.arrayBuffer();
  });
});

describe('the static app', () => {
  async function assetPaths(): Promise<string[]> {
    const shell = await (await SELF.fetch(`${ORIGIN}/`)).text();
    const linked = [...shell.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1] ?? '');
    return ['/', '/index.html', '/manifest.webmanifest', '/sw.js', ...linked.slice(0, 6)];
  }

  it('sends the headers on the shell, the manifest, the service worker and the assets', async () => {
    const paths = await assetPaths();
    expect(paths.some((p) => p.startsWith('/assets/'))).toBe(true);
    for (const path of paths) {
      const res = await SELF.fetch(`${ORIGIN}${path}`);
      expect(res.status, path).toBeLessThan(400);
      expectSecurityHeaders(res, path);
      await res.arrayBuffer();
    }
  });

  it.each(['/aterstall', '/chef/brevlada/okand', '/finns/inte/alls', '/assets/finns-inte.js'])(
    'sends them on %s (SPA fallback or not found)',
    async (path) => {
      const res = await SELF.fetch(`${ORIGIN}${path}`);
      expect(res.status, path).toBeLessThan(500);
      expectSecurityHeaders(res, path);
      await res.arrayBuffer();
    },
  );
});

describe('the refusals of anonymous writes', () => {
  it.each([
    ['a foreign Origin', { Origin: 'https://evil.example', 'Content-Type': 'application/json' }],
    ['a text/plain body', { Origin: ORIGIN, 'Content-Type': 'text/plain' }],
  ])('carry the headers and no-store (%s)', async (label, headers) => {
    const res = await SELF.fetch(`${ORIGIN}/api/resets`, {
      method: 'POST',
      headers: { 'CF-Connecting-IP': OUTSIDE_IP, ...headers },
      body: '{"username":"hemtjanstab"}',
    });
    expect([403, 415], label).toContain(res.status);
    expectSecurityHeaders(res, label);
    expect(res.headers.get('Cache-Control'), label).toBe('no-store');
    await res.arrayBuffer();
  });
});

describe("the page's CSP and Turnstile", () => {
  it('lets in Cloudflare’s challenge for scripts and frames only, and nothing else from outside', async () => {
    const res = await SELF.fetch(`${ORIGIN}/`);
    await res.arrayBuffer();
    const directives = new Map(
      (res.headers.get('Content-Security-Policy') ?? '')
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .map(([name, ...values]) => [name ?? '', values.join(' ')]),
    );
    expect(directives.get('script-src')).toBe("'self' https://challenges.cloudflare.com");
    expect(directives.get('frame-src')).toBe('https://challenges.cloudflare.com');
    for (const name of ['default-src', 'connect-src', 'style-src', 'img-src', 'worker-src']) {
      expect(directives.get(name), name).not.toContain('https:');
    }
  });
});
