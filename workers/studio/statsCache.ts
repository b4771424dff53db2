/**
 * Cache of profiling results per model fingerprint, dataset hash and calibration settings,
 * so reloading the page does not profile again. The worker uses IndexedDB; tests use the
 * in-memory cache.
 */
import { logger } from '../../src/core/log';
import type { CalibrationConfig } from '../../src/core/pipeline/calibration';
import type { DatasetStats } from '../../src/core/stats/types';

const log = logger('cache');

export interface StatsCache {
  get(key: string): Promise<DatasetStats | undefined>;
  put(key: string, stats: DatasetStats): Promise<void>;
}

/** Bump when the statistics a profile produces change meaning (instrumentation, sampling). */
const CACHE_FORMAT = 1;

/**
 * Builds the cache key. The held-out share is part of it because it sets which tokens are
 * profiled. The batch size is not, because it only changes the order of float additions.
 * Neither are the held-out window count, which does not touch the profiled tokens, and the
 * dataset's id, because the same bytes give the same statistics.
 */
export function statsCacheKey(fingerprint: string, datasetSha256: string, calibration: CalibrationConfig): string {
  return [`v${CACHE_FORMAT}`, fingerprint, datasetSha256, `samples=${calibration.samples}`, `seqlen=${calibration.seqlen}`, `seed=${calibration.seed}`, `epsilon=${calibration.epsilon}`, `heldOut=${calibration.heldOutFraction}`].join('|');
}

export class MemoryStatsCache implements StatsCache {
  readonly entries = new Map<string, DatasetStats>();

  async get(key: string): Promise<DatasetStats | undefined> {
    return this.entries.get(key);
  }

  async put(key: string, stats: DatasetStats): Promise<void> {
    this.entries.set(key, stats);
  }
}

const DB_NAME = 'gprune-studio';
const STORE = 'profile-stats';

/**
 * IndexedDB-backed cache. Every failure (private mode, quota, blocked upgrade) is logged
 * and treated as a miss, because the cache only saves time.
 */
export class IndexedDbStatsCache implements StatsCache {
  private db: Promise<IDBDatabase | null> | null = null;

  private open(): Promise<IDBDatabase | null> {
    this.db ??= new Promise((resolve) => {
      if (typeof indexedDB === 'undefined') return resolve(null);
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => {
        log.warn(`IndexedDB ${DB_NAME} could not be opened (${request.error?.message}); profiles will not be cached`);
        resolve(null);
      };
      request.onblocked = () => resolve(null);
    });
    return this.db;
  }

  async get(key: string): Promise<DatasetStats | undefined> {
    const db = await this.open();
    if (!db) return undefined;
    return new Promise((resolve) => {
      const request = db.transaction(STORE, 'readonly').objectStore(STORE).get(key);
      request.onsuccess = () => resolve(request.result as DatasetStats | undefined);
      request.onerror = () => {
        log.warn(`reading cached statistics failed (${request.error?.message})`);
        resolve(undefined);
      };
    });
  }

  async put(key: string, stats: DatasetStats): Promise<void> {
    const db = await this.open();
    if (!db) return;
    await new Promise<void>((resolve) => {
      const transaction = db.transaction(STORE, 'readwrite');
      transaction.objectStore(STORE).put(stats, key);
      transaction.oncomplete = () => resolve();
      transaction.onerror = () => {
        log.warn(`storing statistics failed (${transaction.error?.message}); the next load profiles again`);
        resolve();
      };
      transaction.onabort = () => resolve();
    });
  }
}
