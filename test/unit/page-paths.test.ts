import { describe, expect, it } from 'vitest';
import { handoverUrl } from '../../worker/domain/handover';
import {
  ADMIN_PAGES,
  adminPersonPath,
  handoverLink,
  ID_PAGES,
  identityPath,
  inviteLink,
  isManagePath,
  MANAGER_PAGES,
  mailboxPath,
  PAGES,
  pageUrl,
  routinePath,
  unitPath,
} from '../../worker/domain/page-paths';
import { routineLinks } from '../../worker/domain/routine';

declare global {
  interface ImportMeta {
    glob(
      patterns: string[],
      options: { query: '?raw'; import: 'default'; eager: true },
    ): Record<string, string>;
  }
}

type Screen = { screen: string; id?: string };

/**
 * Which screen the web app draws for a path, decided the way its routers decide it: app.tsx
 * sends a managing app's path to ManageApp and draws the flow's page of that path; ManageApp
 * draws the sign-in, the invite and the manager's pages and hands /admin to AdminApp, which
 * draws a section or a person. The routers themselves cannot be imported into the worker's
 * tests (they render with Preact and read `location`), so this follows them step by step with
 * the same page-paths values, an id page's `match` standing for its `route` pattern.
 */
function screenOf(path: string): Screen | null {
  if (!isManagePath(path)) {
    const flow = (['start', 'register', 'reset', 'change', 'reveal'] as const).find(
      (name) => PAGES[name] === path,
    );
    return flow ? { screen: flow } : null;
  }
  if (path === PAGES.signIn) return { screen: 'signIn' };
  if (path === PAGES.invite) return { screen: 'invite' };
  if (path === PAGES.manager) return { screen: 'manager' };
  if (path === MANAGER_PAGES.newHires) return { screen: 'newHires' };
  for (const name of ['identity', 'mailbox', 'unit', 'routine'] as const) {
    const id = ID_PAGES[name].match(path);
    if (id) return { screen: name, id: decodeURIComponent(id) };
  }
  if (path !== PAGES.admin && !path.startsWith(`${PAGES.admin}/`)) return null;
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path;
  if (clean === PAGES.admin) return { screen: 'admin' };
  const section = Object.entries(ADMIN_PAGES).find(([, page]) => page === clean);
  if (section) return { screen: `admin.${section[0]}` };
  const person = ID_PAGES.adminPerson.match(clean);
  return person ? { screen: 'adminPerson', id: decodeURIComponent(person) } : null;
}

/** The path of a link as the browser reads it: without the query and the fragment. */
const pathOf = (link: string) => new URL(link, 'https://nyckel.test').pathname;

const FIXED: [string, string][] = [
  ...Object.entries(PAGES),
  ...Object.entries(MANAGER_PAGES),
  ...Object.entries(ADMIN_PAGES).map(([name, path]): [string, string] => [`admin.${name}`, path]),
];

const BUILDERS = {
  mailbox: mailboxPath,
  unit: unitPath,
  routine: routinePath,
  identity: identityPath,
  adminPerson: adminPersonPath,
};

const IDS = ['mb-1', '01J9ZK3YV6W2Q8', 'a b/c?d#e', 'Åsa & Öbo', '%41', 'x'.repeat(64)];

describe('the page paths', () => {
  it('are distinct absolute paths, without a trailing slash or anything to encode', () => {
    const paths = FIXED.map(([, path]) => path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const path of paths) {
      expect(path).toMatch(/^\/([a-z-]+(\/[a-z-]+)*)?$/);
      expect(pathOf(path)).toBe(path);
    }
  });

  it.each(FIXED)('%s (%s) is drawn by the screen of its name', (name, path) => {
    expect(screenOf(path)).toEqual({ screen: name });
  });

  it("sends the managing app's paths to its chunk and nothing else", () => {
    for (const name of ['start', 'register', 'reset', 'change', 'reveal'] as const) {
      expect(isManagePath(PAGES[name]), name).toBe(false);
    }
    for (const path of [PAGES.signIn, PAGES.invite, MANAGER_PAGES.newHires, ADMIN_PAGES.audit]) {
      expect(isManagePath(path), path).toBe(true);
    }
    // A page whose name begins like a managing app's page is not one.
    expect(isManagePath(`${PAGES.manager}er`)).toBe(false);
  });
});

describe('the builders of paths with an id', () => {
  const cases = Object.entries(BUILDERS).flatMap(([name, build]) =>
    IDS.map((id): [string, (id: string) => string, string] => [name, build, id]),
  );

  it.each(cases)(
    '%s of %j is a path the web draws as that page with that id',
    (name, build, id) => {
      const path = build(id);
      expect(pathOf(path)).toBe(path);
      expect(screenOf(path)).toEqual({ screen: name, id });
    },
  );

  it("tells a unit's page from its routine", () => {
    expect(ID_PAGES.unit.match(routinePath('u1'))).toBeNull();
    expect(ID_PAGES.routine.match(unitPath('u1'))).toBeNull();
    expect(routinePath('u1').startsWith(`${unitPath('u1')}/`)).toBe(true);
  });

  it.each([
    `${PAGES.manager}/brevlada`,
    `${PAGES.manager}/brevlada/`,
    `${PAGES.manager}/brevlada/a/b`,
    `${PAGES.manager}/enhet//rutin`,
    `${PAGES.manager}/enhet/u1/rutin/mer`,
    `${ADMIN_PAGES.people}/a/b`,
    `${PAGES.reveal}/x`,
    '/finns-inte',
  ])('draws no page for %s', (path) => {
    expect(screenOf(path)).toBeNull();
  });
});

describe('the links with a token', () => {
  it.each([
    ['reveal', handoverLink, PAGES.reveal],
    ['invite', inviteLink, PAGES.invite],
  ] as const)('a %s link is its page with the token in the fragment alone', (name, build, page) => {
    const url = new URL(build('abc_DEF-123'), 'https://nyckel.test');
    expect(url.pathname).toBe(page);
    expect(url.search).toBe('');
    expect(url.hash).toBe('#abc_DEF-123');
    expect(screenOf(url.pathname)).toEqual({ screen: name });
  });
});

describe('the links the worker sends', () => {
  const ORIGIN = 'https://nyckel.example.se';

  it('puts a page on the configured origin, whatever path or query the setting carries', () => {
    expect(pageUrl(`${ORIGIN}/some/path?x=1`, mailboxPath('mb-1'))).toBe(
      `${ORIGIN}${PAGES.manager}/brevlada/mb-1`,
    );
    expect(pageUrl(new URL(ORIGIN), PAGES.start)).toBe(`${ORIGIN}/`);
  });

  it("builds the SMS's handover link from the reveal page", () => {
    const url = handoverUrl(`${ORIGIN}/x`, 'tok_EN-1');
    expect(url).toBe(`${ORIGIN}${handoverLink('tok_EN-1')}`);
    expect(url.startsWith(`${ORIGIN}${PAGES.reveal}#`)).toBe(true);
    expect(screenOf(new URL(url).pathname)).toEqual({ screen: 'reveal' });
  });

  it("builds the routine's links from the pages, the routine's own with the unit's id", () => {
    const links = routineLinks(new URL(ORIGIN), 'unit 1');
    expect(links).toEqual({
      app: `${ORIGIN}${PAGES.start}`,
      reset: `${ORIGIN}${PAGES.reset}`,
      register: `${ORIGIN}${PAGES.register}`,
      change: `${ORIGIN}${PAGES.change}`,
      routine: `${ORIGIN}${routinePath('unit 1')}`,
    });
    expect(links.routine.startsWith(`${ORIGIN}${PAGES.manager}/`)).toBe(true);
    expect(screenOf(new URL(links.routine).pathname)).toEqual({ screen: 'routine', id: 'unit 1' });
    for (const name of ['app', 'reset', 'register', 'change'] as const) {
      expect(screenOf(new URL(links[name]).pathname), name).not.toBeNull();
    }
  });
});

describe('where page paths are spelled', () => {
  /**
   * A page path written as a string anywhere but page-paths.ts would not follow a rename. The
   * roots are the first segment of every page; a literal, a template after `${…}` or an
   * escaped regular expression that starts with one is a page path spelled by hand.
   */
  const roots = [...new Set(FIXED.map(([, path]) => path.split('/')[1]).filter(Boolean))];
  const spelled = new RegExp(`(?:['"\`}]/|\\\\/)(?:${roots.join('|')})(?=$|['"\`/?#\\\\])`);
  const sources = import.meta.glob(['../../worker/**/*.ts', '../../web/src/**/*.{ts,tsx}'], {
    query: '?raw',
    import: 'default',
    eager: true,
  });

  it('reads the sources of the worker and the web app', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
    expect(spelled.test(`link: \`\${origin}/${roots[0]}/x\``)).toBe(true);
  });

  it('finds no page path outside worker/domain/page-paths.ts', () => {
    const found = Object.entries(sources)
      .filter(([file]) => !file.endsWith('/worker/domain/page-paths.ts'))
      .flatMap(([file, text]) =>
        text
          .split('\n')
          // Comments may name the pages they describe; only code builds links.
          .filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line) && spelled.test(line))
          .map((line) => `${file}: ${line.trim()}`),
      );
    expect(found).toEqual([]);
  });
});
