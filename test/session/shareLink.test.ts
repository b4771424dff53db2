import { describe, expect, it } from 'vitest';
import { isGpruneError } from '../../src/core/errors';
import { DEFAULT_PRUNE_SETTINGS } from '../../src/core/session/pruneSettings';
import { MAX_SESSION_LINK_CHARS, type SessionLink, decodeSessionLink, encodeSessionLink, hasSessionLink } from '../../src/core/session/shareLink';

const hex = (c: string) => c.repeat(64);

function sampleLink(): SessionLink {
  return {
    version: 1,
    model: { fingerprint: hex('a'), label: 'demo', demo: true },
    calibration: { datasets: [{ id: 'code-calib', builtin: true, sha256: hex('b') }, { id: 'my notes.txt', builtin: false, sha256: hex('c') }], samples: 16, seqlen: 128, seed: 3, epsilon: 0.001, heldOutFraction: 0.2, heldOutSamples: 4 },
    evaluation: { datasets: [{ id: 'code-eval', builtin: true, sha256: hex('d') }], seqlen: 128, maxWindows: 32 },
    prune: { ...DEFAULT_PRUNE_SETTINGS, sparsity: 0.35, method: 'baseline', metric: 'wanda-sp' },
    overrides: [{ layer: 1, module: 2, keepRatio: 0.25 }],
  };
}

/** Encodes an arbitrary object the way the studio does, to build tampered links. */
function rawHash(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  return 's=' + btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isGpruneError(error) ? error.code : 'other';
  }
  return undefined;
}

describe('session links', () => {
  it('encodeSessionLink() round-trips through decodeSessionLink()', () => {
    const link = sampleLink();
    const hash = encodeSessionLink(link);
    expect(hasSessionLink('#' + hash)).toBe(true);
    expect(decodeSessionLink('#' + hash)).toEqual(link);
  });

  it('decodeSessionLink() rejects a truncated link', () => {
    const hash = encodeSessionLink(sampleLink());
    expect(codeOf(() => decodeSessionLink(hash.slice(0, hash.length - 7)))).toBe('SHARE_LINK_INVALID');
  });

  it('decodeSessionLink() rejects characters outside base64url', () => {
    expect(codeOf(() => decodeSessionLink('#s=abc$%^'))).toBe('SHARE_LINK_INVALID');
  });

  it('decodeSessionLink() names the invalid field', () => {
    const link = sampleLink() as unknown as { prune: { sparsity: number } };
    link.prune.sparsity = 1.5;
    expect(() => decodeSessionLink(rawHash(link))).toThrow(/link\.prune\.sparsity/);
  });

  it('decodeSessionLink() rejects other versions, wrong types and missing fields', () => {
    const cases: [string, (link: Record<string, any>) => void][] = [
      ['version', (l) => (l.version = 2)],
      ['fingerprint', (l) => (l.model.fingerprint = 'not-hex')],
      ['method', (l) => (l.prune.method = 'magic')],
      ['overrides', (l) => (l.overrides = [{ layer: 0, module: 0, keepRatio: 2 }])],
      ['datasets', (l) => (l.calibration.datasets = 'all')],
      ['missing', (l) => delete l.evaluation],
      ['unreliableMetric', (l) => (l.prune.unreliableMetric = 'flap')],
    ];
    for (const [name, tamper] of cases) {
      const link = JSON.parse(JSON.stringify(sampleLink()));
      tamper(link);
      expect(codeOf(() => decodeSessionLink(rawHash(link))), name).toBe('SHARE_LINK_INVALID');
    }
  });

  it('decodeSessionLink() rejects an oversized link before parsing it', () => {
    expect(() => decodeSessionLink('#s=' + 'A'.repeat(MAX_SESSION_LINK_CHARS))).toThrow(/over the limit/);
  });

  it('encodeSessionLink() rejects links over the size limit', () => {
    const link = sampleLink();
    link.overrides = Array.from({ length: 5000 }, (_, i) => ({ layer: i, module: 3, keepRatio: 0.123456789 }));
    expect(codeOf(() => encodeSessionLink(link))).toBe('SHARE_LINK_INVALID');
  });

  it('decodeSessionLink() rejects non-JSON and non-object payloads', () => {
    expect(codeOf(() => decodeSessionLink(rawHash([1, 2, 3])))).toBe('SHARE_LINK_INVALID');
    expect(codeOf(() => decodeSessionLink('s=' + btoa('{not json')))).toBe('SHARE_LINK_INVALID');
    expect(codeOf(() => decodeSessionLink('#nothing'))).toBe('SHARE_LINK_INVALID');
  });
});
