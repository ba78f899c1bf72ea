/**
 * A flow's progress in sessionStorage, so it survives a trip to the Messages app, a reload or
 * the app being killed and reopened in the same tab. Never a password: only ids, times and
 * the short-lived reset token, which is useless without the person's new password.
 */
export function loadFlow<T>(name: string): T | null {
  try {
    const raw = sessionStorage.getItem(`nyckel.flow.${name}`);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export function saveFlow<T>(name: string, state: T | null) {
  try {
    if (state === null) sessionStorage.removeItem(`nyckel.flow.${name}`);
    else sessionStorage.setItem(`nyckel.flow.${name}`, JSON.stringify(state));
  } catch {
    // Private mode or full storage: the flow still works, it just will not resume.
  }
}
