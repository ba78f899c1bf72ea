import { ROUTES } from '../router';

/** The manager's screens for new hires; the e-mail links to the identity page. */
export const NEW_HIRES_PATH = `${ROUTES.manager}/nyanstallda`;
export const identityPath = (id: string) => `${ROUTES.manager}/identitet/${encodeURIComponent(id)}`;
