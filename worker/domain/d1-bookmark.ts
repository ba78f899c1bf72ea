/**
 * D1 read replication. A request that only reads may be answered from a replica near the
 * person's PoP; every answer says how far the database had got for it (a bookmark), and the
 * web app sends the newest bookmark it has seen with its next request, so a replica answers
 * only once it has caught up with the person's own writes (read-your-writes).
 *
 * A header rather than a cookie: only the app's own `fetch` sends it (no navigation, no other
 * site, no tool that merely replays cookies), a failed sign-in or a refused code still answers
 * without any `Set-Cookie`, and each tab keeps its own newest bookmark. Bookmarks sort as
 * plain strings, oldest first.
 */
export const BOOKMARK_HEADER = 'X-D1-Bookmark';

/**
 * D1 writes a bookmark as four dash-separated hex fields (8-8-8-32 digits). Anything else a
 * client sends is ignored, so a made-up value can neither fail the request nor reach D1.
 */
const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

export function isBookmark(value: string | null | undefined): value is string {
  return typeof value === 'string' && BOOKMARK.test(value);
}
