/**
 * Every page path of the web app, and the builders of paths that carry an id or a token. The
 * web's routers match paths with these and the worker builds the links it puts in e-mail,
 * SMS and the printed routine with them, so renaming a page here renames it in both: a link
 * spelled out by hand somewhere else would keep pointing at the old page without a word.
 * Swedish paths, since people read them in the address bar and in messages. Pure and
 * without imports, so the web app bundles it as it is.
 */

/** The top of each screen or area. */
export const PAGES = {
  start: '/',
  register: '/registrera',
  reset: '/aterstall',
  change: '/byt-losenord',
  /** A staff member's personal link from the SMS, with the token in the fragment. */
  reveal: '/visa',
  signIn: '/logga-in',
  /** A person's invite from the e-mail, with the token in the fragment. */
  invite: '/inbjudan',
  manager: '/chef',
  admin: '/admin',
} as const;

/** The manager's pages without an id. */
export const MANAGER_PAGES = {
  newHires: `${PAGES.manager}/nyanstallda`,
} as const;

/** The administrator's sections, each a page of its own. */
export const ADMIN_PAGES = {
  units: `${PAGES.admin}/enheter`,
  mailboxes: `${PAGES.admin}/brevlador`,
  people: `${PAGES.admin}/personer`,
  import: `${PAGES.admin}/nyanstallda`,
  networks: `${PAGES.admin}/natverk`,
  tokens: `${PAGES.admin}/tjanstetoken`,
  directory: `${PAGES.admin}/katalog`,
  webhook: `${PAGES.admin}/webhook`,
  audit: `${PAGES.admin}/logg`,
} as const;

/** A page with one id in its path: `<before>/<id><after>`. */
export interface IdPage {
  /** The page of that id; the id is encoded, so any id stays one path segment. */
  path(id: string): string;
  /** The id's segment of a path of this page, still encoded; null for any other path. */
  match(path: string): string | null;
  /** The page as a route of the web's router (preact-iso), the id as the parameter `id`. */
  route: string;
}

function idPage(before: string, after = ''): IdPage {
  return {
    path: (id) => `${before}/${encodeURIComponent(id)}${after}`,
    match(path) {
      if (!path.startsWith(`${before}/`) || !path.endsWith(after)) return null;
      const id = path.slice(before.length + 1, path.length - after.length);
      return id !== '' && !id.includes('/') ? id : null;
    },
    route: `${before}/:id${after}`,
  };
}

/** The pages with an id, for managers and delegates and for administrators. */
export const ID_PAGES = {
  mailbox: idPage(`${PAGES.manager}/brevlada`),
  unit: idPage(`${PAGES.manager}/enhet`),
  /** The unit's routine, beside the unit's own page. */
  routine: idPage(`${PAGES.manager}/enhet`, '/rutin'),
  /** A new hire, where the e-mail about them links. */
  identity: idPage(`${PAGES.manager}/identitet`),
  adminPerson: idPage(ADMIN_PAGES.people),
} as const;

export const mailboxPath = ID_PAGES.mailbox.path;
export const unitPath = ID_PAGES.unit.path;
export const routinePath = ID_PAGES.routine.path;
export const identityPath = ID_PAGES.identity.path;
export const adminPersonPath = ID_PAGES.adminPerson.path;

/**
 * The handover link: the token goes in the fragment, which the browser never sends, so no
 * server log or Referer sees it.
 */
export const handoverLink = (token: string) => `${PAGES.reveal}#${token}`;

/** The invite link, with its token in the fragment for the same reason. */
export const inviteLink = (token: string) => `${PAGES.invite}#${token}`;

/**
 * Paths served by the lazily loaded managing app (sign-in, invite, manager, administrator),
 * not by the mailbox flow.
 */
export function isManagePath(path: string): boolean {
  return [PAGES.signIn, PAGES.invite, PAGES.manager, PAGES.admin].some(
    (root) => path === root || path.startsWith(`${root}/`),
  );
}

/**
 * An absolute link to a page for a message or a printout: on the configured public origin,
 * never the Host header of the request that happened to cause it.
 */
export function pageUrl(publicOrigin: string | URL, path: string): string {
  return `${new URL(publicOrigin).origin}${path}`;
}
