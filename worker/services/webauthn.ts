/**
 * Passkeys (WebAuthn) through @simplewebauthn/server: the options a browser needs and the
 * verification of what it answers. No D1 here; services/people-auth.ts stores challenges and
 * credentials. Verification errors are turned into a plain "no", never passed on: their
 * messages quote challenges and origins.
 */
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { Config } from '../config';
import { toBase64Url, utf8 } from '../domain/bytes';

/** A ceremony must finish within this; the challenge row lives as long. */
export const CHALLENGE_SECONDS = 5 * 60;

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

export interface RelyingParty {
  rpID: string;
  origins: string[];
}

/**
 * The relying party for a request: the public origin's host and origin. In development a page
 * served from localhost or 127.0.0.1 (`npm start`, the browser tests on a random port) is its
 * own relying party too, since a browser only lets a page use an rpID that matches its host.
 */
export function relyingParty(cfg: Config, requestUrl: string): RelyingParty {
  const rp: RelyingParty = { rpID: cfg.people.rpId, origins: [cfg.publicOrigin.origin] };
  if (cfg.isDevelopment) {
    const url = new URL(requestUrl);
    if (LOCAL_HOSTS.has(url.hostname)) {
      rp.rpID = url.hostname;
      if (!rp.origins.includes(url.origin)) rp.origins.push(url.origin);
    }
  }
  return rp;
}

/**
 * The WebAuthn user handle of a person: a SHA-256 of their id, fixed at 32 bytes (the spec
 * allows 64) and free of personal data, the same at every enrolment so an authenticator
 * replaces its old passkey for Nyckel instead of piling up new ones.
 */
export async function userHandle(personId: string): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(`nyckel-person:${personId}`)));
}

export async function registrationOptions(
  cfg: Config,
  rp: RelyingParty,
  person: { id: string; name: string; email: string },
) {
  return generateRegistrationOptions({
    rpName: cfg.people.rpName,
    rpID: rp.rpID,
    userName: person.email,
    userDisplayName: person.name,
    userID: await userHandle(person.id),
    timeout: CHALLENGE_SECONDS * 1000,
    // No attestation: Nyckel trusts the invite, not the authenticator's make, and "none" keeps
    // the browser from asking the person for consent to share device details.
    attestationType: 'none',
    // Discoverable (sign-in needs no username) and verified with a PIN or biometric.
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
}

export type RegisteredPasskey = {
  id: string;
  publicKey: string;
  counter: number;
  transports: string[];
};

export async function verifyRegistration(
  rp: RelyingParty,
  response: RegistrationResponseJSON,
  expectedChallenge: string,
): Promise<RegisteredPasskey | null> {
  try {
    const result = await verifyRegistrationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpID,
      requireUserPresence: true,
      requireUserVerification: true,
    });
    if (!result.verified) return null;
    const { credential } = result.registrationInfo;
    // The id the browser reports must be the one the authenticator signed into authData.
    if (credential.id !== response.id) return null;
    return {
      id: credential.id,
      publicKey: toBase64Url(credential.publicKey),
      counter: credential.counter,
      transports: (response.response.transports ?? []).slice(0, 8),
    };
  } catch {
    return null;
  }
}

export function authenticationOptions(rp: RelyingParty) {
  return generateAuthenticationOptions({
    rpID: rp.rpID,
    // Discoverable credentials: the authenticator offers the person's passkeys itself.
    allowCredentials: [],
    userVerification: 'required',
    timeout: CHALLENGE_SECONDS * 1000,
  });
}

export async function verifyAuthentication(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  expectedChallenge: string,
  credential: {
    id: string;
    publicKey: Uint8Array<ArrayBuffer>;
    counter: number;
    transports: string[];
  },
): Promise<{ newCounter: number } | null> {
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpID,
      credential,
      requireUserVerification: true,
    });
    return result.verified ? { newCounter: result.authenticationInfo.newCounter } : null;
  } catch {
    return null;
  }
}

/** The user handle as the browser returns it (base64url), to compare with a response's. */
export async function userHandleText(personId: string): Promise<string> {
  return toBase64Url(await userHandle(personId));
}
