/**
 * Learned module keep counts in a share link. The counts are stored as a delta-encoded
 * string (the first count, then the difference to the previous one, in base 36 and
 * separated by commas), because neighbouring modules have similar counts and a list of
 * small numbers stays short: about 3 characters per module before base64.
 */
import { GpruneError } from '../errors';
import { type Reader, readInteger, readNumber, readObject, readString } from './schemaReader';

/** The result of the learned sparsity search, as a link carries it. */
export interface SharedLearned {
  /** Module keep counts in the plan's module order, delta-encoded by `encodeKeepCounts`. */
  keepCounts: string;
  /** Held-out loss of the prior's counts, in nats/token. */
  priorLoss: number;
  /** Held-out loss of the learned counts, in nats/token. */
  loss: number;
  /** Loss evaluations the search spent. */
  evaluations: number;
  /** Why the search stopped, as the search reported it. */
  stopReason: string;
}

/** Most modules a link may name; far above any model the browser loads (layers × K). */
export const MAX_SHARED_MODULES = 100_000;

/** Encodes non-negative integer keep counts as delta-encoded base-36 text, e.g. [252, 250, 260] → "70,-2,a". */
export function encodeKeepCounts(counts: readonly number[]): string {
  const parts: string[] = [];
  let previous = 0;
  for (const [i, count] of counts.entries()) {
    if (!Number.isInteger(count) || count < 0) {
      throw new GpruneError('INVALID_CONFIG', `keep count ${count} of module ${i} is invalid; expected a non-negative integer`);
    }
    parts.push((count - previous).toString(36));
    previous = count;
  }
  return parts.join(',');
}

/** Decodes `encodeKeepCounts` text. Raises SHARE_LINK_INVALID at `path` for malformed text or a negative count. */
export function decodeKeepCounts(text: string, path: string): number[] {
  if (text === '') return [];
  const parts = text.split(',');
  if (parts.length > MAX_SHARED_MODULES) {
    throw new GpruneError('SHARE_LINK_INVALID', `Session link field ${path} names ${parts.length} modules; expected at most ${MAX_SHARED_MODULES}.`);
  }
  const counts: number[] = [];
  let previous = 0;
  for (const [i, part] of parts.entries()) {
    if (!/^-?[0-9a-z]{1,6}$/.test(part)) {
      throw new GpruneError('SHARE_LINK_INVALID', `Session link field ${path} has an invalid entry ${JSON.stringify(part.slice(0, 12))} at module ${i}; expected a base-36 integer.`);
    }
    const count = previous + parseInt(part, 36);
    if (count < 0) {
      throw new GpruneError('SHARE_LINK_INVALID', `Session link field ${path} gives module ${i} a negative keep count (${count}); copy the whole link again.`);
    }
    counts.push(count);
    previous = count;
  }
  return counts;
}

export const readSharedLearned: Reader<SharedLearned> = (value, path) => {
  const entry = readObject(value, path);
  const keepCounts = entry.get('keepCounts', (v, p) => readString(v, p, { maxLength: 8 * MAX_SHARED_MODULES, pattern: /^[0-9a-z,-]*$/, expected: 'delta-encoded base-36 keep counts' }));
  decodeKeepCounts(keepCounts, `${path}.keepCounts`);
  return {
    keepCounts,
    priorLoss: entry.get('priorLoss', (v, p) => readNumber(v, p, 0, 1e6)),
    loss: entry.get('loss', (v, p) => readNumber(v, p, 0, 1e6)),
    evaluations: entry.get('evaluations', (v, p) => readInteger(v, p, 0, 1_000_000)),
    stopReason: entry.get('stopReason', (v, p) => readString(v, p, { maxLength: 100 })),
  };
};
