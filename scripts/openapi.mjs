// The OpenAPI document, generated from the worker's routes without running the worker.
//
//   node scripts/openapi.mjs         prints the document
//   node scripts/openapi.mjs lint    lints it with Redocly (redocly.yaml); fails on an error
//
// How: the app is imported in Node itself (tsx compiles the TypeScript). The worker is plain
// Hono apart from one import, `cloudflare:workers` (the directory hub's Durable Object base
// class), which Node cannot resolve: a module hook answers it with an empty class, since
// describing the routes never constructs the hub. This is offline and takes about a second,
// where starting workerd (wrangler's unstable_startWorker) or a vitest run would take many and
// need the build.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === 'cloudflare:workers') {
    return { url: 'data:text/javascript,export class DurableObject {}', shortCircuit: true };
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
// One registration for both imports below: they must share one module graph, since
// hono-openapi finds each route's description by a symbol of its own module instance.
const tsx = await import('tsx/esm/api');
tsx.register();

const { app } = await import('../worker/index.ts');
const { openApiDocument } = await import('../worker/http/openapi.ts');
// The origin wrangler.toml configures; a deployment serves its own PUBLIC_ORIGIN.
const doc = await openApiDocument(app, 'https://nyckel.example.se');
const text = `${JSON.stringify(doc, null, 2)}\n`;

if (process.argv[2] === 'lint') {
  const dir = mkdtempSync(join(tmpdir(), 'nyckel-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, text);
    const bin = join(root, 'node_modules', '.bin', 'redocly');
    const result = spawnSync(bin, ['lint', file, '--config', join(root, 'redocly.yaml')], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    });
    process.exitCode = result.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  process.stdout.write(text);
}
