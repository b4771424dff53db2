/**
 * Share links: the settings of a studio session, versioned and validated, in a URL hash.
 * A link carries fingerprints and settings only, never weights or user text, so opening it
 * restores the settings and names the files the user still has to provide.
 */
import { GpruneError, isGpruneError } from '../errors';
import { type ModuleOverride, type PruneSettings, validatePruneSettings } from './pruneSettings';
import { type Reader, readBoolean, readInteger, readList, readNumber, readObject, readOneOf, readString } from './schemaReader';
import { CLUSTERING_IDS, PRIOR_IDS, RELIABLE_SOURCES } from '../prune/gprune/config';
import { type SharedLearned, readSharedLearned } from './learnedCounts';
import { METRIC_IDS } from '../prune/metrics/strategies';
import { ALLOCATION_IDS } from '../prune/allocation/strategies';

export const SESSION_LINK_VERSION = 1 as const;

/** Maximum length of an accepted hash fragment, in characters. Browsers and chat tools may cut longer URLs. */
export const MAX_SESSION_LINK_CHARS = 16_384;

/** The hash key the link is stored under: `#s=<base64url JSON>`. */
const HASH_KEY = 's=';

/** A dataset named by a link: a built-in id, or a user file identified by its SHA-256. */
export interface SharedDataset {
  /** Built-in dataset id or the file name the user dropped. */
  id: string;
  builtin: boolean;
  /** SHA-256 hex of the dataset file. */
  sha256: string;
}

export interface SessionLink {
  version: typeof SESSION_LINK_VERSION;
  model: {
    /** `modelFingerprint` of the model: SHA-256 hex of the .onnx bytes and the external data sizes. */
    fingerprint: string;
    /** Folder or file name, shown when asking for the model. */
    label: string;
    /** Whether the model is the studio's built-in demo model. */
    demo: boolean;
  };
  calibration: {
    datasets: SharedDataset[];
    /** Windows per dataset. */
    samples: number;
    /** Tokens per window, BOS included. */
    seqlen: number;
    seed: number;
    /** ε of the activation-frequency count. */
    epsilon: number;
    /** Share of each dataset's tokens held out of the statistics, a ratio 0–1. */
    heldOutFraction: number;
    /** Held-out windows per dataset for the loss estimate and the search. */
    heldOutSamples: number;
  };
  evaluation: {
    datasets: SharedDataset[];
    /** Tokens per window, BOS included. */
    seqlen: number;
    /** Windows evaluated per dataset. */
    maxWindows: number;
  };
  prune: PruneSettings;
  overrides: ModuleOverride[];
  /**
   * Module keep counts of the learned sparsity search, which replace the plan's counts
   * before `overrides` apply; null when the session has none. Links made before this field
   * existed omit it, and it reads as null.
   */
  learned: SharedLearned | null;
}

/** Encodes a link as a hash fragment without the leading '#'. Raises SHARE_LINK_INVALID when the result is too long. */
export function encodeSessionLink(link: SessionLink): string {
  const json = JSON.stringify(link);
  const hash = HASH_KEY + base64UrlEncode(new TextEncoder().encode(json));
  if (hash.length > MAX_SESSION_LINK_CHARS) {
    throw new GpruneError(
      'SHARE_LINK_INVALID',
      `The session link would be ${hash.length} characters, over the limit of ${MAX_SESSION_LINK_CHARS}. Remove some per-module overrides or datasets and share again.`,
    );
  }
  return hash;
}

/** Returns whether a hash fragment (with or without '#') contains a session link. */
export function hasSessionLink(hash: string): boolean {
  return hash.replace(/^#/, '').startsWith(HASH_KEY);
}

/**
 * Decodes and validates a hash fragment (with or without '#'). Raises SHARE_LINK_INVALID
 * for an oversized, truncated, tampered or unknown-version link, naming the first bad field.
 */
export function decodeSessionLink(hash: string): SessionLink {
  const fragment = hash.replace(/^#/, '');
  if (!fragment.startsWith(HASH_KEY)) {
    throw new GpruneError('SHARE_LINK_INVALID', 'The address contains no session link (expected "#s=…"). Copy the whole link from the Share panel.');
  }
  if (fragment.length > MAX_SESSION_LINK_CHARS) {
    throw new GpruneError('SHARE_LINK_INVALID', `The session link is ${fragment.length} characters, over the limit of ${MAX_SESSION_LINK_CHARS}. Ask for a link with fewer overrides.`);
  }

  let value: unknown;
  try {
    const bytes = base64UrlDecode(fragment.slice(HASH_KEY.length));
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new GpruneError('SHARE_LINK_INVALID', `The session link is damaged (${(cause as Error).message}). Copy the whole link again; it may have been cut off.`, { cause });
  }
  return validateSessionLink(value);
}

/** Checks an untrusted value against the link schema and returns a clean copy. Raises SHARE_LINK_INVALID. */
export function validateSessionLink(value: unknown): SessionLink {
  try {
    const root = readObject(value, 'link');
    const version = root.get('version', readNumber);
    if (version !== SESSION_LINK_VERSION) {
      throw new GpruneError('SHARE_LINK_INVALID', `link version ${version} is not supported; this studio reads version ${SESSION_LINK_VERSION}. Open the link in the studio version that made it.`);
    }
    // Sections are read in document order, so the first invalid field is the one reported.
    const model = root.get('model', readObject);
    const modelFields = {
      fingerprint: model.get('fingerprint', readHex64),
      label: model.get('label', (v, p) => readString(v, p, { maxLength: 200 })),
      demo: model.get('demo', readBoolean),
    };
    const calibration = root.get('calibration', readObject);
    const calibrationFields = {
        datasets: calibration.get('datasets', (v, p) => readList(v, p, readSharedDataset, 32)),
        samples: calibration.get('samples', (v, p) => readInteger(v, p, 1, 1_000_000)),
        seqlen: calibration.get('seqlen', (v, p) => readInteger(v, p, 2, 1 << 20)),
        seed: calibration.get('seed', (v, p) => readInteger(v, p, 0, 2 ** 31 - 1)),
        epsilon: calibration.get('epsilon', (v, p) => readNumber(v, p, 0, 1e6)),
        heldOutFraction: calibration.get('heldOutFraction', (v, p) => readNumber(v, p, 0, 0.99)),
        heldOutSamples: calibration.get('heldOutSamples', (v, p) => readInteger(v, p, 0, 100_000)),
    };
    const evaluation = root.get('evaluation', readObject);
    const evaluationFields = {
      datasets: evaluation.get('datasets', (v, p) => readList(v, p, readSharedDataset, 32)),
      seqlen: evaluation.get('seqlen', (v, p) => readInteger(v, p, 2, 1 << 20)),
      maxWindows: evaluation.get('maxWindows', (v, p) => readInteger(v, p, 1, 1_000_000)),
    };
    return {
      version: SESSION_LINK_VERSION,
      model: modelFields,
      calibration: calibrationFields,
      evaluation: evaluationFields,
      prune: root.get('prune', readPruneSettings),
      overrides: root.get('overrides', (v, p) => readList(v, p, readOverride, 100_000)),
      learned: root.get('learned', (v, p) => (v === undefined || v === null ? null : readSharedLearned(v, p))),
    };
  } catch (error) {
    if (isGpruneError(error) && error.code === 'SHARE_LINK_INVALID') throw error;
    if (isGpruneError(error)) throw new GpruneError('SHARE_LINK_INVALID', `The session link has invalid settings: ${error.message}.`, { cause: error });
    throw error;
  }
}

const readHex64: Reader<string> = (value, path) => readString(value, path, { pattern: /^[0-9a-f]{64}$/, expected: '64 lowercase hex digits (a SHA-256)' });

const readSharedDataset: Reader<SharedDataset> = (value, path) => {
  const entry = readObject(value, path);
  return {
    id: entry.get('id', (v, p) => readString(v, p, { maxLength: 200, pattern: /^[^\u0000-\u001f]+$/, expected: 'a dataset name without control characters' })),
    builtin: entry.get('builtin', readBoolean),
    sha256: entry.get('sha256', readHex64),
  };
};

const readOverride: Reader<ModuleOverride> = (value, path) => {
  const entry = readObject(value, path);
  return {
    layer: entry.get('layer', (v, p) => readInteger(v, p, 0, 100_000)),
    module: entry.get('module', (v, p) => readInteger(v, p, 0, 100_000)),
    keepRatio: entry.get('keepRatio', (v, p) => readNumber(v, p, 0, 1)),
  };
};

const readPruneSettings: Reader<PruneSettings> = (value, path) => {
  const entry = readObject(value, path);
  const metrics = METRIC_IDS;
  const settings: PruneSettings = {
    method: entry.get('method', (v, p) => readOneOf(v, p, ['gprune', 'baseline'] as const)),
    metric: entry.get('metric', (v, p) => readOneOf(v, p, metrics)),
    allocation: entry.get('allocation', (v, p) => readOneOf(v, p, [...ALLOCATION_IDS, 'auto'] as const)),
    sparsity: entry.get('sparsity', (v, p) => readNumber(v, p, 0, 0.999999)),
    biasCompensation: entry.get('biasCompensation', (v, p) => (v === 'auto' ? 'auto' : readBoolean(v, p))),
    minPerLayer: entry.get('minPerLayer', (v, p) => readInteger(v, p, 0, 1 << 20)),
    seed: entry.get('seed', (v, p) => readInteger(v, p, 0, 2 ** 31 - 1)),
    modules: entry.get('modules', (v, p) => readInteger(v, p, 1, 256)),
    clustering: entry.get('clustering', (v, p) => readOneOf(v, p, CLUSTERING_IDS)),
    metricSwitch: entry.get('metricSwitch', readBoolean),
    unreliableMetric: entry.get('unreliableMetric', (v, p) => readOneOf(v, p, metrics)),
    reliableSource: entry.get('reliableSource', (v, p) => readOneOf(v, p, RELIABLE_SOURCES)),
    primaryDataset: entry.get('primaryDataset', (v, p) => (v === null ? null : readString(v, p, { maxLength: 200 }))),
    prior: entry.get('prior', (v, p) => readOneOf(v, p, PRIOR_IDS)),
    searchEvaluations: entry.get('searchEvaluations', (v, p) => readInteger(v, p, 0, 100_000)),
  };
  validatePruneSettings(settings);
  return settings;
};

function base64UrlEncode(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function base64UrlDecode(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the link contains characters outside base64url');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
