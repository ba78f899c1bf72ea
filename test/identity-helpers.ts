import { env } from 'cloudflare:test';
import { swedishDate } from '../worker/domain/identity-rules';
import { newServiceToken, serviceTokenDigest } from '../worker/domain/service-token';
import { call } from './helpers';

let seq = 0;

/** A live service token with the scopes, written to D1; returns the bearer token. */
export async function seedServiceToken(
  scopes: string[] = ['identities:write'],
  options: { revoked?: boolean; expiresAt?: number | null } = {},
): Promise<{ id: string; token: string }> {
  seq++;
  const token = newServiceToken();
  const id = `token-${seq}-${crypto.randomUUID()}`;
  const now = Math.floor(Date.now() / 1000);
  await env.DB.prepare(
    `INSERT INTO service_tokens (id, name, token_hash, scopes, created_at, created_by, revoked_at,
       expires_at)
     VALUES (?, ?, ?, ?, ?, 'test', ?, ?)`,
  )
    .bind(
      id,
      `HR ${seq}`,
      await serviceTokenDigest(token),
      scopes.join(' '),
      now,
      options.revoked ? now : null,
      options.expiresAt ?? null,
    )
    .run();
  return { id, token };
}

/** A call as another system: a bearer token, no cookie, no Origin. */
export function integrationCall(
  path: string,
  token: string | null,
  options: { method?: string; body?: unknown; raw?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  return call(path, {
    method: options.method ?? (options.body !== undefined || options.raw ? 'POST' : 'GET'),
    headers,
    ...(options.body !== undefined ? { body: options.body } : {}),
    ...(options.raw !== undefined ? { raw: options.raw } : {}),
  });
}

/** A Swedish calendar date `days` from today. */
export function dayFromToday(days: number): string {
  return swedishDate(Math.floor(Date.now() / 1000) + days * 86_400);
}

/** Valid personnummer (Luhn-checked) for tests, with their masked forms. */
export const PNR = {
  anna: { input: '19850612-1238', canonical: '198506121238', masked: '198506••-••••' },
  ake: { input: '811228-9874', canonical: '198112289874', masked: '198112••-••••' },
  coordination: { input: '701063-2391', canonical: '197010632391', masked: '197010••-••••' },
};

/** A valid personnummer for 1990-01-(n+1), with the Luhn digit computed. */
export function validPnr(n: number): string {
  const day = String((n % 28) + 1).padStart(2, '0');
  const serial = String(100 + n).slice(-3);
  const base = `9001${day}${serial}`;
  let sum = 0;
  for (let i = 0; i < base.length; i++) {
    let d = Number(base[i]) * (i % 2 === 0 ? 2 : 1);
    if (d > 9) d -= 9;
    sum += d;
  }
  return `19${base}${(10 - (sum % 10)) % 10}`;
}

export function identityBody(
  unitId: string,
  overrides: Partial<{
    personalNumber: string;
    hsaId: string | null;
    givenName: string;
    familyName: string;
    unitId: string;
    startDate: string;
    state: string;
  }> = {},
) {
  return {
    personalNumber: PNR.anna.input,
    hsaId: 'SE2321000131-E000000000001',
    givenName: 'Anna',
    familyName: 'Andersson',
    unitId,
    startDate: dayFromToday(9),
    state: 'new',
    ...overrides,
  };
}
