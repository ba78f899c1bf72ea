import { useState } from 'preact/hooks';
import type { ApiFailure } from '../api';
import { loadFlow, saveFlow } from '../flow-state';

/**
 * A flow's current step, resumed from sessionStorage and saved there at every step `keep`
 * allows (the others start the flow afresh after a reload), and the refusal the step shows,
 * which moving to a new step clears.
 */
export function useFlow<S>(name: string, first: S, keep: (step: S) => boolean) {
  const [state, setStateRaw] = useState<S>(() => loadFlow<S>(name) ?? first);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const setState = (next: S) => {
    saveFlow(name, keep(next) ? next : null);
    setFailure(null);
    setStateRaw(next);
  };
  return { state, setState, failure, setFailure };
}
