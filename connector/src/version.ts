import { readFileSync } from 'node:fs';

/*
 * The version the connector reports in its hello. The bundle (connector/build.mjs) has it
 * written in at build time, since the bundled file runs without the repository's
 * package.json; run from source, it is read from there.
 */

declare const __NYCKEL_CONNECTOR_VERSION__: string | undefined;

function fromPackageJson(): string {
  try {
    const url = new URL('../../package.json', import.meta.url);
    const version: unknown = JSON.parse(readFileSync(url, 'utf8')).version;
    return typeof version === 'string' ? `${version}-source` : 'unknown';
  } catch {
    return 'unknown';
  }
}

export const VERSION: string =
  typeof __NYCKEL_CONNECTOR_VERSION__ === 'string'
    ? __NYCKEL_CONNECTOR_VERSION__
    : fromPackageJson();
