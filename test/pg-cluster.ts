// A throwaway PostgreSQL cluster for one test file (the cluster itself: test/pg-server.ts).
import { afterAll, beforeAll } from 'vitest';
import { startPgCluster, type PgCluster } from './pg-server.js';

export { startPgCluster, type PgCluster };

/** A cluster for one test file: started before its tests, stopped after them. */
export function usePgCluster(): { readonly cluster: PgCluster } {
  const holder: { cluster: PgCluster | null } = { cluster: null };
  beforeAll(async () => {
    holder.cluster = await startPgCluster();
  }, 60_000);
  afterAll(async () => {
    await holder.cluster?.stop();
  }, 30_000);
  return {
    get cluster() {
      if (!holder.cluster) throw new Error('the PostgreSQL cluster is not running (use it inside a test)');
      return holder.cluster;
    },
  };
}
