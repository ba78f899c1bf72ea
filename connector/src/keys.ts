import { webcrypto } from 'node:crypto';
import { open, readFile, stat, unlink } from 'node:fs/promises';
import * as v from 'valibot';
import { fromBase64Url, toBase64Url, utf8 } from '../../worker/domain/bytes';
import { ConnectorKeys } from '../../worker/domain/directory-protocol';

/*
 * The connector's two private keys, kept together in one JSON file of private JWKs:
 * - an Ed25519 key that signs the hub's challenge, so the hub knows which connector dialled in;
 * - an RSA-OAEP-256 key the worker encrypts passwords to, so neither the hub, its logs nor
 *   anything between the worker and the connector can read them.
 * The administrator registers the public halves (`publicKeys()`) in Administration → Katalog.
 */

const subtle = webcrypto.subtle;

/** BSI TR-02102 asks for at least 3000-bit RSA moduli from 2023 on. */
export const RSA_BITS = 3072;
const MIN_RSA_BYTES = 256;

const B64 = v.pipe(v.string(), v.regex(/^[\w-]+$/));

const KeyFileSchema = v.object({
  version: v.literal(1),
  signingKey: v.object({
    kty: v.literal('OKP'),
    crv: v.literal('Ed25519'),
    x: v.pipe(v.string(), v.regex(/^[\w-]{43}$/)),
    d: v.pipe(v.string(), v.regex(/^[\w-]{43}$/)),
  }),
  encryptionKey: v.object({
    kty: v.literal('RSA'),
    n: B64,
    e: B64,
    d: B64,
    p: B64,
    q: B64,
    dp: B64,
    dq: B64,
    qi: B64,
  }),
});
type KeyFile = v.InferOutput<typeof KeyFileSchema>;

/** Every failure to read or decrypt a JWE; the message never contains key or plaintext. */
export class JweError extends Error {
  override name = 'JweError';
}

export class KeyFileError extends Error {
  override name = 'KeyFileError';
}

/** RFC 7638 thumbprint of an RSA key: the `kid` the worker puts in every JWE it makes. */
export async function rsaThumbprint(jwk: { e: string; n: string }): Promise<string> {
  const canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
  return toBase64Url(new Uint8Array(await subtle.digest('SHA-256', utf8(canonical))));
}

const TAG_BYTES = 16;
const IV_BYTES = 12;
const CEK_BYTES = 32;
/** Members of a JWE header this connector understands; `zip` or `crit` would change meaning. */
const HEADER_MEMBERS = new Set(['alg', 'enc', 'kid', 'typ', 'cty']);
const decoder = new TextDecoder('utf-8', { fatal: true });

export class Keyring {
  private constructor(
    private readonly file: KeyFile,
    private readonly signingKey: webcrypto.CryptoKey,
    private readonly decryptionKey: webcrypto.CryptoKey,
    /** RFC 7638 thumbprint of the RSA key, the only `kid` accepted. */
    readonly kid: string,
  ) {}

  /** Fresh keys, not yet stored anywhere. */
  static async generate(): Promise<Keyring> {
    // Node's types predate Ed25519 in Web Crypto and cannot tell this makes a pair.
    const signing = (await subtle.generateKey({ name: 'Ed25519' }, true, [
      'sign',
      'verify',
    ])) as webcrypto.CryptoKeyPair;
    const encryption = await subtle.generateKey(
      {
        name: 'RSA-OAEP',
        modulusLength: RSA_BITS,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      },
      true,
      ['encrypt', 'decrypt'],
    );
    const signingJwk = await subtle.exportKey('jwk', signing.privateKey);
    const encryptionJwk = await subtle.exportKey('jwk', encryption.privateKey);
    const file = v.parse(KeyFileSchema, {
      version: 1,
      signingKey: pick(signingJwk, ['kty', 'crv', 'x', 'd']),
      encryptionKey: pick(encryptionJwk, ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']),
    });
    return Keyring.fromFile(file);
  }

  /** Reads and checks a key file; throws KeyFileError with a message for the administrator. */
  static async load(path: string): Promise<Keyring> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) {
        throw new KeyFileError(`No key file at ${path}: create one with the "keys" command`);
      }
      throw new KeyFileError(`Cannot read the key file ${path}: ${errorMessage(err)}`);
    }
    await checkPrivate(path);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new KeyFileError(`The key file ${path} is not JSON`);
    }
    const parsed = v.safeParse(KeyFileSchema, json);
    if (!parsed.success) {
      throw new KeyFileError(`The key file ${path} does not hold this connector's keys`);
    }
    try {
      return await Keyring.fromFile(parsed.output);
    } catch (err) {
      if (err instanceof KeyFileError) throw new KeyFileError(`${path}: ${err.message}`);
      throw new KeyFileError(`The keys in ${path} cannot be used: ${errorMessage(err)}`);
    }
  }

  /**
   * Loads the key file, or creates it when there is none. Never overwrites: a new key would
   * silently orphan the registration in Katalog and every JWE already on its way.
   */
  static async loadOrCreate(path: string): Promise<{ keys: Keyring; created: boolean }> {
    try {
      return { keys: await Keyring.load(path), created: false };
    } catch (err) {
      if (!(err instanceof KeyFileError) || !(await missing(path))) throw err;
    }
    const keys = await Keyring.generate();
    await keys.save(path);
    return { keys, created: true };
  }

  private static async fromFile(file: KeyFile): Promise<Keyring> {
    const n = fromBase64Url(file.encryptionKey.n);
    if (!n || n.length < MIN_RSA_BYTES) {
      throw new KeyFileError('the RSA key is shorter than 2048 bits');
    }
    const signingKey = await subtle.importKey('jwk', file.signingKey, { name: 'Ed25519' }, false, [
      'sign',
    ]);
    const decryptionKey = await subtle.importKey(
      'jwk',
      file.encryptionKey,
      { name: 'RSA-OAEP', hash: 'SHA-256' },
      false,
      ['decrypt'],
    );
    const keyring = new Keyring(
      file,
      signingKey,
      decryptionKey,
      await rsaThumbprint(file.encryptionKey),
    );
    await keyring.selfTest();
    return keyring;
  }

  /**
   * Proves each private half matches the public half that gets registered: a file edited by
   * hand (or a JWK whose `d` belongs to another key) would otherwise only show as every hello
   * and every JWE failing, far from the cause.
   */
  private async selfTest(): Promise<void> {
    const probe = utf8('nyckel-connector key self-test');
    const publicKeys = this.publicKeys();
    const verifyKey = await subtle.importKey(
      'jwk',
      publicKeys.signingKey,
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
    const signature = await subtle.sign({ name: 'Ed25519' }, this.signingKey, probe);
    if (!(await subtle.verify({ name: 'Ed25519' }, verifyKey, signature, probe))) {
      throw new KeyFileError('the Ed25519 private key does not match its public key');
    }
    const encryptKey = await subtle.importKey(
      'jwk',
      publicKeys.encryptionKey,
      { name: 'RSA-OAEP', hash: 'SHA-256' },
      false,
      ['encrypt'],
    );
    const sealed = await subtle.encrypt({ name: 'RSA-OAEP' }, encryptKey, probe);
    let opened: Uint8Array;
    try {
      opened = new Uint8Array(
        await subtle.decrypt({ name: 'RSA-OAEP' }, this.decryptionKey, sealed),
      );
    } catch {
      throw new KeyFileError('the RSA private key does not match its public key');
    }
    if (decoder.decode(opened) !== 'nyckel-connector key self-test') {
      throw new KeyFileError('the RSA private key does not match its public key');
    }
  }

  /**
   * Writes the key file readable by its owner only (0600). `wx` refuses to replace an existing
   * file, so two `keys` commands racing cannot leave a registration pointing at lost keys.
   */
  async save(path: string): Promise<void> {
    const handle = await open(path, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(this.file, null, 2)}\n`, 'utf8');
      await handle.sync();
    } catch (err) {
      await handle.close();
      await unlink(path).catch(() => {});
      throw err;
    }
    await handle.close();
  }

  /** What the administrator registers; exactly the contract's ConnectorKeys. */
  publicKeys(): ConnectorKeys {
    return v.parse(ConnectorKeys, {
      signingKey: { kty: 'OKP', crv: 'Ed25519', x: this.file.signingKey.x },
      encryptionKey: { kty: 'RSA', n: this.file.encryptionKey.n, e: this.file.encryptionKey.e },
    });
  }

  /** Ed25519 over the given bytes (the challenge text), base64url. */
  async sign(data: Uint8Array | string): Promise<string> {
    const bytes = typeof data === 'string' ? utf8(data) : new Uint8Array(data);
    return toBase64Url(
      new Uint8Array(await subtle.sign({ name: 'Ed25519' }, this.signingKey, bytes)),
    );
  }

  /**
   * Opens a compact JWE made by the worker's encryptForConnector: RSA-OAEP-256 key wrapping,
   * A256GCM content encryption, `kid` equal to our RSA key's thumbprint. Anything else throws
   * JweError. Every failure past the header reads the same, so the answers give an attacker
   * who can submit JWEs no oracle on the RSA padding or the GCM tag.
   */
  async decryptJwe(jwe: string): Promise<string> {
    if (typeof jwe !== 'string' || jwe.length > 16_384) throw new JweError('Malformed JWE');
    const parts = jwe.split('.');
    if (parts.length !== 5) throw new JweError('Malformed JWE');
    const [headerPart, keyPart, ivPart, cipherPart, tagPart] = parts as [
      string,
      string,
      string,
      string,
      string,
    ];
    const headerBytes = fromBase64Url(headerPart);
    const encryptedKey = fromBase64Url(keyPart);
    const iv = fromBase64Url(ivPart);
    const ciphertext = fromBase64Url(cipherPart);
    const tag = fromBase64Url(tagPart);
    if (!headerBytes || !encryptedKey || !iv || !ciphertext || !tag || headerPart === '') {
      throw new JweError('Malformed JWE');
    }
    let header: unknown;
    try {
      header = JSON.parse(decoder.decode(headerBytes));
    } catch {
      throw new JweError('Malformed JWE header');
    }
    if (typeof header !== 'object' || header === null || Array.isArray(header)) {
      throw new JweError('Malformed JWE header');
    }
    const members = header as Record<string, unknown>;
    for (const name of Object.keys(members)) {
      if (!HEADER_MEMBERS.has(name)) throw new JweError(`Unsupported JWE header member ${name}`);
    }
    if (members.alg !== 'RSA-OAEP-256') throw new JweError('JWE alg is not RSA-OAEP-256');
    if (members.enc !== 'A256GCM') throw new JweError('JWE enc is not A256GCM');
    if (members.kid !== this.kid) {
      throw new JweError('The JWE was encrypted to another key than this connector has');
    }
    const modulus = fromBase64Url(this.file.encryptionKey.n);
    if (
      encryptedKey.length !== modulus?.length ||
      iv.length !== IV_BYTES ||
      tag.length !== TAG_BYTES
    ) {
      throw new JweError('Malformed JWE');
    }
    let cek: Uint8Array<ArrayBuffer> | null = null;
    try {
      cek = new Uint8Array(
        await subtle.decrypt({ name: 'RSA-OAEP' }, this.decryptionKey, encryptedKey),
      );
      if (cek.length !== CEK_BYTES) throw new Error('content key length');
      const contentKey = await subtle.importKey('raw', cek, { name: 'AES-GCM' }, false, [
        'decrypt',
      ]);
      const sealed = new Uint8Array(ciphertext.length + TAG_BYTES);
      sealed.set(ciphertext, 0);
      sealed.set(tag, ciphertext.length);
      const plain = await subtle.decrypt(
        { name: 'AES-GCM', iv, additionalData: utf8(headerPart), tagLength: TAG_BYTES * 8 },
        contentKey,
        sealed,
      );
      return decoder.decode(plain);
    } catch {
      throw new JweError('The JWE could not be decrypted');
    } finally {
      cek?.fill(0);
    }
  }
}

/**
 * ssh refuses a private key others can read; so does this. On Windows the mode bits mean
 * nothing, and the file's ACL is the administrator's job (docs/connector.md says how).
 */
async function checkPrivate(path: string): Promise<void> {
  if (process.platform === 'win32') return;
  const info = await stat(path);
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(4, '0');
    throw new KeyFileError(
      `The key file ${path} is readable by others (mode ${mode}); run: chmod 600 ${path}`,
    );
  }
}

async function missing(path: string): Promise<boolean> {
  try {
    await stat(path);
    return false;
  } catch (err) {
    return isErrno(err, 'ENOENT');
  }
}

function pick(jwk: webcrypto.JsonWebKey, names: readonly string[]): Record<string, unknown> {
  const source = jwk as Record<string, unknown>;
  return Object.fromEntries(names.map((name) => [name, source[name]]));
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
