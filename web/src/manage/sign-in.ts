import {
  browserSupportsWebAuthn,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import type { InferOutput } from 'valibot';
import type {
  PasskeyCreation,
  PasskeyRequest,
  PersonView as PersonViewSchema,
} from '../../../worker/routes/people-auth.schemas';
import { type ApiFailure, type ApiResult, api } from '../api';
import { usePT } from './i18n-people';

type PersonView = InferOutput<typeof PersonViewSchema>;

/*
 * The options go to @simplewebauthn/browser as they came. The schemas describe them with plain
 * strings where the library lists the allowed values, so only `options` takes its type.
 */
type WithOptions<Answer, Options> = Omit<Answer, 'options'> & { options: Options };
type RequestOptions = WithOptions<
  InferOutput<typeof PasskeyRequest>,
  PublicKeyCredentialRequestOptionsJSON
>;
type CreationOptions = WithOptions<
  InferOutput<typeof PasskeyCreation>,
  PublicKeyCredentialCreationOptionsJSON
>;

/*
 * The ceremonies behind sign-in, enrolment and the step-up check. Every sign-in creates a
 * new session on the server (and ends the one the cookie pointed at), so the same calls
 * serve the step-up: a fresh passkey or code check is a fresh sign-in.
 */

type Translate = ReturnType<typeof usePT>;

function localFailure(error: string, message: string): ApiFailure {
  return { ok: false, status: 0, error, message };
}

/** What went wrong in the browser's passkey dialog, in the person's words. */
function ceremonyFailure(t: Translate, err: unknown): ApiFailure {
  const name = err instanceof Error ? err.name : '';
  const cause = (err as { cause?: unknown })?.cause;
  const causeName = cause instanceof Error ? cause.name : '';
  if (name === 'NotAllowedError' || causeName === 'NotAllowedError' || name === 'AbortError') {
    return localFailure('passkey_cancelled', t('passkeyCancelled'));
  }
  return localFailure('passkey_failed', t('passkeyFailed'));
}

export function useSignIn() {
  const t = usePT();
  return {
    async passkey(): Promise<ApiResult<PersonView>> {
      if (!browserSupportsWebAuthn()) {
        return localFailure('passkey_unsupported', t('passkeyUnsupported'));
      }
      const options = await api<RequestOptions>('POST', '/api/people/session/passkey/options', {});
      if (!options.ok) return options;
      let response: Awaited<ReturnType<typeof startAuthentication>>;
      try {
        response = await startAuthentication({ optionsJSON: options.data.options });
      } catch (err) {
        return ceremonyFailure(t, err);
      }
      return api<PersonView>('POST', '/api/people/session/passkey', {
        challengeId: options.data.challengeId,
        response,
      });
    },

    /** `headers` carries a Turnstile token when the API asked for the check. */
    totp(
      email: string,
      code: string,
      headers: Record<string, string> = {},
    ): Promise<ApiResult<PersonView>> {
      return api<PersonView>(
        'POST',
        '/api/people/session/totp',
        { email: email.trim(), code: code.replace(/\s/g, '') },
        headers,
      );
    },

    certificate(): Promise<ApiResult<PersonView>> {
      return api<PersonView>('POST', '/api/people/session/certificate', {});
    },

    /** Enrolment with an invite: a new passkey replaces any earlier way to sign in. */
    async enrolPasskey(token: string): Promise<ApiResult<PersonView>> {
      if (!browserSupportsWebAuthn()) {
        return localFailure('passkey_unsupported', t('passkeyUnsupported'));
      }
      const options = await api<CreationOptions>('POST', '/api/people/enrol/passkey/options', {
        token,
      });
      if (!options.ok) return options;
      let response: Awaited<ReturnType<typeof startRegistration>>;
      try {
        response = await startRegistration({ optionsJSON: options.data.options });
      } catch (err) {
        return ceremonyFailure(t, err);
      }
      return api<PersonView>('POST', '/api/people/enrol/passkey', {
        token,
        challengeId: options.data.challengeId,
        response,
      });
    },
  };
}
