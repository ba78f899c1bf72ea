/*
 * Checks an Ed25519 public key before it is trusted to sign a connector's nonce. Web Crypto
 * verifies signatures but accepts a key of small order (the all-zero key, the identity, and
 * six more points), against which a signature can be made without any private key. Those
 * are refused, and so is any encoding that is not a point of the curve at all. Pure BigInt
 * arithmetic over the curve's field (RFC 8032 §5.1), no runtime imports.
 */

const P = 2n ** 255n - 19n;

function mod(a: bigint): bigint {
  const r = a % P;
  return r >= 0n ? r : r + P;
}

function pow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = mod(result * b);
    b = mod(b * b);
    e >>= 1n;
  }
  return result;
}

const inv = (a: bigint) => pow(a, P - 2n);
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

/** RFC 8032 §5.1.3: the point a 32-byte encoding stands for, or null if it is none. */
function decode(bytes: Uint8Array): { x: bigint; y: bigint } | null {
  if (bytes.length !== 32) return null;
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(bytes[i] ?? 0);
  const sign = y >> 255n;
  y &= (1n << 255n) - 1n;
  if (y >= P) return null;
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  if (mod(v * x * x) !== u) {
    if (mod(v * x * x) !== mod(-u)) return null;
    x = mod(x * SQRT_M1);
  }
  if (x === 0n && sign === 1n) return null;
  if ((x & 1n) !== sign) x = P - x;
  return { x, y };
}

/** P + P with the complete twisted Edwards addition law (a = −1). */
function double({ x, y }: { x: bigint; y: bigint }): { x: bigint; y: bigint } {
  const t = mod(D * x * x * y * y);
  return {
    x: mod(2n * x * y * inv(1n + t)),
    y: mod((y * y + x * x) * inv(mod(1n - t))),
  };
}

/** Whether the bytes are a usable Ed25519 public key: on the curve and not of small order. */
export function usableEd25519Key(bytes: Uint8Array): boolean {
  const point = decode(bytes);
  if (!point) return false;
  const eightfold = double(double(double(point)));
  return !(eightfold.x === 0n && eightfold.y === 1n);
}
