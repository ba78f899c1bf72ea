// Bundles the connector into one file, dist/connector/nyckel-connector.mjs, that IT runs with
// plain `node` (20 or later): no npm install, no TypeScript, no repository on the server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const outfile = path.join(root, 'dist/connector/nyckel-connector.mjs');

await build({
  entryPoints: [path.join(root, 'connector/src/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // ws loads these optional native speed-ups if present; the bundle does without them.
  external: ['bufferutil', 'utf-8-validate'],
  define: { __NYCKEL_CONNECTOR_VERSION__: JSON.stringify(version) },
  // Bundled CommonJS (ws, parts of ldapts' dependencies) calls require() for Node's modules.
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __nyckelCreateRequire } from 'node:module';",
      'const require = __nyckelCreateRequire(import.meta.url);',
    ].join('\n'),
  },
  legalComments: 'linked',
  logLevel: 'warning',
});
process.stdout.write(`Built ${path.relative(root, outfile)} (connector ${version})\n`);
