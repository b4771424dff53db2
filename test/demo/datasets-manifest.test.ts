import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATASETS_DIR, DOC_SEPARATOR, type ManifestEntry, readDocuments, readJson } from './demoAssets';

const manifest = readJson<ManifestEntry[]>(path.join(DATASETS_DIR, 'manifest.json'));

describe('public/datasets manifest', () => {
  it('manifest lists calibration and evaluation per domain', () => {
    const domains = [...new Set(manifest.map((e) => e.domain))];
    expect(domains.length).toBeGreaterThanOrEqual(3);
    for (const domain of domains) {
      const splits = manifest.filter((e) => e.domain === domain).map((e) => e.split).sort();
      expect(splits, domain).toEqual(['calibration', 'evaluation']);
    }
    expect(new Set(manifest.map((e) => e.id)).size).toBe(manifest.length);
  });

  it.each(manifest.map((e) => [e.id, e] as const))('manifest entry %s matches its file', (_id, entry) => {
    const expectedFile = `${entry.domain}-${entry.split === 'calibration' ? 'calib' : 'eval'}.txt`;
    expect(entry.file).toBe(expectedFile);
    expect(entry.id).toBe(expectedFile.replace(/\.txt$/, ''));
    expect(entry.licence.length).toBeGreaterThan(0);
    expect(entry.source.length).toBeGreaterThan(0);

    const data = fs.readFileSync(path.join(DATASETS_DIR, entry.file));
    expect(data.length).toBe(entry.bytes);
    expect(crypto.createHash('sha256').update(data).digest('hex')).toBe(entry.sha256);
    expect(data.length).toBeLessThan(400_000);
    expect(readDocuments(path.join(DATASETS_DIR, entry.file)).length).toBe(entry.documents);
  });

  it('readDocuments yields no empty or separator-bearing document', () => {
    for (const entry of manifest) {
      for (const doc of readDocuments(path.join(DATASETS_DIR, entry.file))) {
        expect(doc.trim().length, entry.id).toBeGreaterThan(0);
        expect(doc.split('\n'), entry.id).not.toContain(DOC_SEPARATOR);
      }
    }
  });

  it('calibration and evaluation splits share no document', () => {
    for (const domain of new Set(manifest.map((e) => e.domain))) {
      const files = manifest.filter((e) => e.domain === domain).map((e) => path.join(DATASETS_DIR, e.file));
      const calibration = new Set(readDocuments(files[0]));
      const shared = readDocuments(files[1]).filter((doc) => calibration.has(doc));
      expect(shared, domain).toEqual([]);
    }
  });
});
