import {Session} from '@shopify/shopify-api';
import type {SessionStorage} from '@shopify/shopify-app-session-storage';
import type {Storage, StoredSession} from '../storage/storage.ts';

/**
 * Shopify's `SessionStorage` interface on our own storage (SQLite or
 * PostgreSQL, no native build): sessions become plain rows there, tokens
 * encrypted by the storage. Storage failures reject rather than answer
 * `false`, so a failed install or refresh is never mistaken for success.
 */
export function createSessionStorage(storage: Storage): SessionStorage {
  return {
    async storeSession(session) {
      await storage.storeSession(toStored(session));
      return true;
    },
    async loadSession(id) {
      const stored = await storage.loadSession(id);
      return stored && toSession(stored);
    },
    async deleteSession(id) {
      await storage.deleteSessions([id]);
      return true;
    },
    async deleteSessions(ids) {
      await storage.deleteSessions(ids);
      return true;
    },
    async findSessionsByShop(shop) {
      return (await storage.findSessionsByShop(shop)).map(toSession);
    },
  };
}

function toStored(session: Session): StoredSession {
  const userId = session.onlineAccessInfo?.associated_user?.id;
  return {
    id: session.id,
    shop: session.shop,
    state: session.state,
    isOnline: session.isOnline,
    scope: session.scope ?? null,
    expires: validDate(session.expires),
    accessToken: session.accessToken ?? null,
    refreshToken: session.refreshToken ?? null,
    refreshTokenExpires: validDate(session.refreshTokenExpires),
    userId: typeof userId === 'number' && Number.isFinite(userId) ? userId : null,
  };
}

/** Through Shopify's own property-array form, so loading matches what the library's other storages return. */
function toSession(s: StoredSession): Session {
  const entries: [string, string | number | boolean][] = [
    ['id', s.id],
    ['shop', s.shop],
    ['state', s.state],
    ['isOnline', s.isOnline],
  ];
  if (s.scope != null) entries.push(['scope', s.scope]);
  if (s.expires) entries.push(['expires', s.expires.getTime()]);
  if (s.accessToken != null) entries.push(['accessToken', s.accessToken]);
  if (s.refreshToken != null) entries.push(['refreshToken', s.refreshToken]);
  if (s.refreshTokenExpires) entries.push(['refreshTokenExpires', s.refreshTokenExpires.getTime()]);
  if (s.userId != null) entries.push(['onlineAccessInfo', s.userId]);
  return Session.fromPropertyArray(entries);
}

/** `expires: null` and invalid dates (seen from some callers) mean "does not expire". */
function validDate(value: Date | null | undefined): Date | null {
  return value instanceof Date && !Number.isNaN(value.getTime()) ? value : null;
}
