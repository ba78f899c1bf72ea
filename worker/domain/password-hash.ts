import { constantTimeEqual, fromBase64Url, randomBytes, toBase64Url, utf8 } from './bytes';
import { hmacSha256 } from './tokens';

/**
 * Password hashing: PBKDF2-SHA256 through WebCrypto over an HMAC of
 * the password with a pepper kept outside D1, stored as a self-describing string
 *
 *   pbkdf2-sha256$<iterations>$<pepper version>$<salt b64url>$<hash b64url>
 *
 * so iterations and peppers can change and old hashes be upgraded at the next login.
 *
 * 100,000 iterations is the most that production Workers allow; OWASP now asks for 600,000.
 * The pepper compensates: a stolen D1 copy without the Worker secret cannot be cracked at all.
 */
export const PBKDF2_ITERATIONS = 100_000;
/** The Workers production cap; local workerd does not enforce it, so this module does. */
export const MAX_ITERATIONS = 100_000;
const MIN_ITERATIONS = 10_000;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const SCHEME = 'pbkdf2-sha256';

export interface Peppers {
  /** The version new hashes are made with. */
  current: number;
  /** Every pepper still accepted, by version. */
  secrets: ReadonlyMap<number, string>;
}

export interface ParsedHash {
  iterations: number;
  pepperVersion: number;
  salt: Uint8Array<ArrayBuffer>;
  hash: Uint8Array<ArrayBuffer>;
}

/** Counts derivations so tests and benchmarks can prove what a request costs. */
export const derivationCounter = { count: 0 };

/** Derives PBKDF2-SHA256 over HMAC(pepper, password). Refuses more than the production cap. */
export async function derive(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  pepper: string,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be 1..${MAX_ITERATIONS}`);
  }
  derivationCounter.count++;
  const peppered = await hmacSha256(pepper, utf8(password));
  const key = await crypto.subtle.importKey('raw', peppered, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    HASH_BYTES * 8,
  );
  return new Uint8Array(bits);
}

function currentPepper(peppers: Peppers): string {
  const pepper = peppers.secrets.get(peppers.current);
  if (!pepper) throw new Error('the current pepper is not configured');
  return pepper;
}

export async function hashPassword(password: string, peppers: Peppers): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, PBKDF2_ITERATIONS, currentPepper(peppers));
  return [SCHEME, PBKDF2_ITERATIONS, peppers.current, toBase64Url(salt), toBase64Url(hash)].join(
    '$',
  );
}

/**
 * Parses a stored hash; null when it is not ours or its parameters are absurd (a tampered
 * row asking for a billion iterations must not cost a billion iterations).
 */
export function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 5 || parts[0] !== SCHEME) return null;
  const [, iterText = '', pepperText = '', saltText = '', hashText = ''] = parts;
  if (!/^\d{1,7}$/.test(iterText) || !/^\d{1,4}$/.test(pepperText)) return null;
  const iterations = Number(iterText);
  if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) return null;
  const salt = fromBase64Url(saltText);
  const hash = fromBase64Url(hashText);
  if (!salt || !hash || salt.length < SALT_BYTES || salt.length > 64) return null;
  if (hash.length !== HASH_BYTES) return null;
  return { iterations, pepperVersion: Number(pepperText), salt, hash };
}

export type VerifyResult = { ok: false } | { ok: true; needsRehash: boolean };

export async function verifyPassword(
  password: string,
  stored: string,
  peppers: Peppers,
): Promise<VerifyResult> {
  const parsed = parseHash(stored);
  if (!parsed) return { ok: false };
  const pepper = peppers.secrets.get(parsed.pepperVersion);
  if (!pepper) return { ok: false };
  const candidate = await derive(password, parsed.salt, parsed.iterations, pepper);
  if (!constantTimeEqual(candidate, parsed.hash)) return { ok: false };
  return {
    ok: true,
    needsRehash: parsed.iterations < PBKDF2_ITERATIONS || parsed.pepperVersion !== peppers.current,
  };
}

/**
 * Spends the same derivation as a real check, for a username that does not exist, so the
 * response time does not tell which usernames are real.
 */
export async function burnVerification(password: string, peppers: Peppers): Promise<void> {
  dummySalt ??= randomBytes(SALT_BYTES);
  await derive(password, dummySalt, PBKDF2_ITERATIONS, currentPepper(peppers));
}
// Made on first use: Workers allow no random values at global scope.
let dummySalt: Uint8Array<ArrayBuffer> | undefined;

/*
 * Password history (no reuse of the current or the last `historyDepth` passwords).
 *
 * Each account has ONE history salt, and every history entry is PBKDF2 of a former password
 * with that salt. Checking a candidate therefore costs one derivation whatever the depth,
 * and completing a reset costs at most two (this digest, and the new login hash with its
 * own fresh salt). The trade-off: someone holding a copy of D1 *and* the pepper can test a
 * guess against all of one account's history entries with one derivation instead of one per
 * entry. Entries stay per-account salted (no cross-account precomputation) and peppered, so
 * without the Worker secret they are as useless as the login hash.
 */
export function newHistorySalt(): string {
  return toBase64Url(randomBytes(SALT_BYTES));
}

async function digestWith(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  version: number,
  pepper: string,
): Promise<string> {
  return `${version}$${toBase64Url(await derive(password, salt, PBKDF2_ITERATIONS, pepper))}`;
}

export interface HistoryCheck {
  /** True when the candidate matches the current or a remembered password. */
  reused: boolean;
  /** The candidate's digest under the current pepper, to store if it is accepted. */
  digest: string;
}

/**
 * Derives the candidate once per pepper version present in the history (one, unless a
 * pepper rotation is under way) and compares it with every entry without stopping early.
 */
export async function checkHistory(
  password: string,
  historySalt: string,
  entries: readonly string[],
  peppers: Peppers,
): Promise<HistoryCheck> {
  const salt = fromBase64Url(historySalt);
  if (!salt || salt.length < SALT_BYTES) throw new Error('malformed history salt');
  const digest = await digestWith(password, salt, peppers.current, currentPepper(peppers));
  const digests = new Map<number, Uint8Array>([[peppers.current, utf8(digest)]]);
  let reused = false;
  for (const entry of entries) {
    const version = Number(entry.slice(0, entry.indexOf('$')));
    let mine = digests.get(version);
    if (!mine) {
      const pepper = peppers.secrets.get(version);
      if (!pepper) continue;
      mine = utf8(await digestWith(password, salt, version, pepper));
      digests.set(version, mine);
    }
    reused = constantTimeEqual(mine, utf8(entry)) || reused;
  }
  return { reused, digest };
}
