import { describe, expect, it } from 'vitest';
import { isGpruneError } from '../../src/core/errors';
import { DEFAULT_PRUNE_SETTINGS } from '../../src/core/session/pruneSettings';
import { decodeKeepCounts, encodeKeepCounts } from '../../src/core/session/learnedCounts';
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
    learned: null,
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
      ['learned counts', (l) => (l.learned = { keepCounts: '5,-9', priorLoss: 4, loss: 3.9, evaluations: 4, stopReason: 'budget' })],
      ['learned loss', (l) => (l.learned = { keepCounts: '5', priorLoss: 'x', loss: 3.9, evaluations: 4, stopReason: 'budget' })],
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

  it('decodeSessionLink() restores the learned keep counts exactly', () => {
    const link = sampleLink();
    const counts = Array.from({ length: 96 }, (_, i) => 240 + ((i * 37) % 29) - (i % 4) * 3);
    link.learned = { keepCounts: encodeKeepCounts(counts), priorLoss: 4.3737, loss: 4.3335, evaluations: 60, stopReason: 'budget' };
    const decoded = decodeSessionLink(encodeSessionLink(link));
    expect(decoded.learned).toEqual(link.learned);
    expect(decodeKeepCounts(decoded.learned!.keepCounts, 'counts')).toEqual(counts);
  });

  it('decodeSessionLink() reads a link without learned counts as null', () => {
    const link = sampleLink() as Partial<SessionLink>;
    delete link.learned;
    expect(decodeSessionLink(rawHash(link)).learned).toBeNull();
  });
});

describe('learned keep counts', () => {
  it('encodeKeepCounts() round-trips through decodeKeepCounts()', () => {
    const cases = [[], [0], [512], [252, 250, 260, 0, 36 ** 3, 7]];
    for (const counts of cases) expect(decodeKeepCounts(encodeKeepCounts(counts), 'counts')).toEqual(counts);
  });

  it('encodeKeepCounts() stores deltas, not absolute counts', () => {
    expect(encodeKeepCounts([252, 250, 260])).toBe(`${(252).toString(36)},-2,a`);
  });

  it('encodeKeepCounts() rejects negative and fractional counts', () => {
    expect(codeOf(() => encodeKeepCounts([3, -1]))).toBe('INVALID_CONFIG');
    expect(codeOf(() => encodeKeepCounts([1.5]))).toBe('INVALID_CONFIG');
  });

  it('decodeKeepCounts() rejects malformed entries and negative totals', () => {
    expect(codeOf(() => decodeKeepCounts('5,,3', 'counts'))).toBe('SHARE_LINK_INVALID');
    expect(codeOf(() => decodeKeepCounts('5,x!', 'counts'))).toBe('SHARE_LINK_INVALID');
    expect(codeOf(() => decodeKeepCounts('5,-6', 'counts'))).toBe('SHARE_LINK_INVALID');
  });

  it('encodeSessionLink() fits learned counts of 2048 modules', () => {
    const link = sampleLink();
    const counts = Array.from({ length: 2048 }, (_, i) => 2000 + ((i * 7919) % 400));
    link.learned = { keepCounts: encodeKeepCounts(counts), priorLoss: 2, loss: 1.9, evaluations: 60, stopReason: 'budget' };
    expect(encodeSessionLink(link).length).toBeLessThanOrEqual(MAX_SESSION_LINK_CHARS);
  });
});
