/**
 * Concurrent calls with the same key share one run of `work`: two lookups
 * that find the same expired token cause one refresh, not two (a refresh
 * replaces the refresh token, so a second one would fail).
 */
export function singleFlight<V>(): (key: string, work: () => Promise<V>) => Promise<V> {
  const running = new Map<string, Promise<V>>();
  return (key, work) => {
    const current = running.get(key);
    if (current) return current;
    const started = (async () => work())().finally(() => running.delete(key));
    running.set(key, started);
    return started;
  };
}
