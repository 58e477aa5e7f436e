/**
 * A short-lived, bounded, in-process cache of credential lookups (API keys by hash, OAuth clients by id), so the
 * gateway does not read the credential tables on every request. Only positive answers are kept: a key created by
 * another process resolves at once. A revocation or rotation made through any repository of this process drops the
 * entry at once ({@link processCredentialInvalidations}); one made by another process takes effect when the entry
 * expires, at most `ttlMs` later. See docs/adr/0009-api-key-cache.md.
 */

/** Announces, within one process, that a credential (by its id) was revoked or rotated. */
export interface CredentialInvalidations {
  /** Tells every cache subscribed here to drop the credential `id`. */
  publish(id: string): void;
  /** Calls `listener` on every published id; returns the unsubscribe function. */
  subscribe(listener: (id: string) => void): () => void;
}

/** Builds an empty {@link CredentialInvalidations} channel (tests use one to play a second process). */
export function createCredentialInvalidations(): CredentialInvalidations {
  const listeners = new Set<(id: string) => void>();
  return {
    publish(id) {
      for (const listener of [...listeners]) listener(id);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The channel every credential repository of this process uses unless told otherwise: a revocation through one
 * repository instance (the CLI's, the server's) invalidates the caches of all of them.
 */
export const processCredentialInvalidations: CredentialInvalidations = createCredentialInvalidations();

/** Options of a credential cache (`createApiKeyRepo(db, { cache })`, `createOAuthClientRepo(db, { cache })`). */
export interface CredentialCacheOptions {
  /** How long a looked-up credential is reused, in ms; `0` reads the table on every request. @default 0 */
  ttlMs?: number | undefined;
  /** Most credentials kept; the oldest entry goes first. @default 10000 */
  maxEntries?: number | undefined;
  /** The current time in epoch ms (entries expire by it). @default Date.now */
  now?: (() => number) | undefined;
  /** Where revocations and rotations are announced. @default processCredentialInvalidations */
  invalidations?: CredentialInvalidations | undefined;
}

/** Largest TTL a cache accepts, in ms: revocation by another process must take effect within seconds. */
export const MAX_CREDENTIAL_CACHE_TTL_MS = 60_000;

/** A loaded credential: its value, its id (what revocations name) and when it stops being valid (epoch ms). */
export interface LoadedCredential<V> {
  id: string;
  value: V;
  /** When the credential itself expires (a rotated key's overlap end); null when it does not. */
  expiresAt: number | null;
}

/** The cache: `get` answers from memory or calls `load`; `invalidate` drops a credential by id from every cache on its channel. */
export interface CredentialCache<V> {
  get(lookupKey: string, load: () => Promise<LoadedCredential<V> | null>): Promise<V | null>;
  invalidate(id: string): void;
}

interface Entry<V> {
  id: string;
  value: V;
  until: number;
}

interface State<V> {
  entries: Map<string, Entry<V>>;
  /** Bumped on every invalidation, so a lookup that started before it does not store what it read. */
  generation: number;
}

function drop<V>(state: State<V>, id: string): void {
  state.generation++;
  for (const [key, entry] of state.entries) if (entry.id === id) state.entries.delete(key);
}

/** Builds a {@link CredentialCache}; with `ttlMs` 0 it is a pass-through. */
export function createCredentialCache<V>(options: CredentialCacheOptions = {}): CredentialCache<V> {
  const ttlMs = options.ttlMs ?? 0;
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isInteger(ttlMs) || ttlMs < 0 || ttlMs > MAX_CREDENTIAL_CACHE_TTL_MS) {
    throw new RangeError(`credential cache ttlMs must be a whole number from 0 to ${MAX_CREDENTIAL_CACHE_TTL_MS}`);
  }
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('credential cache maxEntries must be a positive whole number');
  const now = options.now ?? Date.now;
  const invalidations = options.invalidations ?? processCredentialInvalidations;
  if (ttlMs === 0) {
    return {
      async get(_lookupKey, load) {
        return (await load())?.value ?? null;
      },
      // nothing kept here, but other caches of this process may hold the credential
      invalidate(id) {
        invalidations.publish(id);
      },
    };
  }
  const state: State<V> = { entries: new Map(), generation: 0 };
  // The channel outlives caches (it is process-wide): hold the cache weakly and leave once it is collected.
  const ref = new WeakRef(state);
  const unsubscribe = invalidations.subscribe((id) => {
    const s = ref.deref();
    if (s) drop(s, id);
    else unsubscribe();
  });
  return {
    async get(lookupKey, load) {
      const started = now();
      const hit = state.entries.get(lookupKey);
      if (hit) {
        if (hit.until > started) return hit.value;
        state.entries.delete(lookupKey);
      }
      const generation = state.generation;
      const loaded = await load();
      if (!loaded) return null;
      const until = Math.min(started + ttlMs, loaded.expiresAt ?? Number.POSITIVE_INFINITY);
      if (generation === state.generation && until > now()) {
        if (state.entries.size >= maxEntries) state.entries.delete(state.entries.keys().next().value!);
        state.entries.set(lookupKey, { id: loaded.id, value: loaded.value, until });
      }
      return loaded.value;
    },
    invalidate(id) {
      invalidations.publish(id);
    },
  };
}
