import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, PTB_VALID, STORIES, gprune } from './run';

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'gprune-cli-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

/** A failed run prints one line naming the error code, and no stack trace. */
function expectOneLineError(result: ReturnType<typeof gprune>, code: string): void {
  expect(result.status).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`[${code}]`);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe('gprune --help', () => {
  it.each(['inspect', 'profile', 'prune', 'eval', 'demo'])('gprune %s --help lists its options', (command) => {
    const result = gprune(command, '--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`gprune ${command}`);
    expect(result.stdout).toContain('--json');
  });

  it('gprune without a command prints usage and fails', () => {
    const result = gprune();
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('Commands:');
  });
});

describe('gprune inspect', () => {
  it('--json reports every FFN layer of the fixture', () => {
    const result = gprune('inspect', FIXTURE, '--json');
    expect(result.status).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.layers.map((l: { ffn: { neurons: number } }) => l.ffn.neurons)).toEqual([172, 172, 172, 172, 172]);
    expect(doc.parameters.ffn).toBe(5 * 172 * 3 * 64);
  });

  it('accepts the path of the .onnx file', () => {
    const result = gprune('inspect', path.join(FIXTURE, 'onnx/model.onnx'), '--json');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).layers).toHaveLength(5);
  });
});

describe('gprune bad input', () => {
  it('a missing model gives FILE_NOT_FOUND', () => {
    expectOneLineError(gprune('inspect', path.join(tmp, 'nope')), 'FILE_NOT_FOUND');
  });

  it('a text file named .onnx gives ONNX_PARSE_FAILED', async () => {
    const file = path.join(tmp, 'text.onnx');
    await fs.writeFile(file, 'this is not a model\n');
    expectOneLineError(gprune('inspect', file), 'ONNX_PARSE_FAILED');
  });

  it('a truncated .onnx gives ONNX_PARSE_FAILED', async () => {
    const bytes = await fs.readFile(path.join(FIXTURE, 'onnx/model.onnx'));
    const file = path.join(tmp, 'truncated.onnx');
    await fs.writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expectOneLineError(gprune('inspect', file), 'ONNX_PARSE_FAILED');
  });

  it('a sparsity of 1.2 is rejected before any work', () => {
    const result = gprune('prune', FIXTURE, '--sparsity', '1.2', '--calib', STORIES, '--out', path.join(tmp, 'x'));
    expectOneLineError(result, 'INVALID_ARGUMENT');
    expect(result.stderr).toContain('--sparsity 1.2');
  });

  it('an unknown dataset gives DATASET_NOT_FOUND', () => {
    expectOneLineError(gprune('eval', FIXTURE, '--ppl', path.join(tmp, 'missing.txt')), 'DATASET_NOT_FOUND');
  });

  it('a negative value is read as the flag value', () => {
    const result = gprune('prune', FIXTURE, '--sparsity', '-0.1', '--out', path.join(tmp, 'neg'));
    expectOneLineError(result, 'INVALID_ARGUMENT');
    expect(result.stderr).toContain('--sparsity -0.1');
  });

  it('an --out that is a file is rejected before any work', async () => {
    const file = path.join(tmp, 'a-file');
    await fs.writeFile(file, 'mine');
    expectOneLineError(gprune('prune', FIXTURE, '--method', 'magnitude', '--out', file), 'OUTPUT_NOT_WRITABLE');
    expect(await fs.readFile(file, 'utf8')).toBe('mine');
  });

  it('a run that fails after creating its output leaves nothing behind', async () => {
    const out = path.join(tmp, 'failed');
    const result = gprune('prune', FIXTURE, '--method', 'flap', '--stats', path.join(tmp, 'missing-stats.json'), '--out', out);
    expectOneLineError(result, 'FILE_NOT_FOUND');
    const left = (await fs.readdir(tmp)).filter((name) => name.startsWith('failed'));
    expect(left).toEqual([]);
  });

  it('an unknown flag names the flag', () => {
    const result = gprune('eval', FIXTURE, '--pppl', 'x');
    expectOneLineError(result, 'INVALID_ARGUMENT');
    expect(result.stderr).toContain('--pppl');
  });
});

describe('gprune prune and eval', () => {
  it('prune --json meets sparsity, eval reads output', async () => {
    const out = path.join(tmp, 'pruned');
    const result = gprune('prune', FIXTURE, '--method', 'wanda-sp', '--sparsity', '0.3', '--calib', `${STORIES},${PTB_VALID}`, '--samples', '8', '--out', out, '--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const doc = JSON.parse(result.stdout);
    const removedNeurons = Math.round(0.3 * 5 * 172);
    expect(doc.parameters.before - doc.parameters.after).toBe(removedNeurons * 3 * 64);
    expect(doc.output).toBe(out);
    expect(doc.bytes.after).toBeLessThan(doc.bytes.before);

    const inspect = JSON.parse(gprune('inspect', out, '--json').stdout);
    const widths = inspect.layers.map((l: { ffn: { neurons: number } }) => l.ffn.neurons);
    expect(widths.reduce((a: number, b: number) => a + b, 0)).toBe(5 * 172 - removedNeurons);
    const report = JSON.parse(await fs.readFile(path.join(out, 'gprune_report.json'), 'utf8'));
    expect(report.layers.map((l: { neuronsAfter: number }) => l.neuronsAfter)).toEqual(widths);

    const evalResult = gprune('eval', out, '--ppl', STORIES, '--max-windows', '4', '--json');
    expect(evalResult.status).toBe(0);
    const ppl = JSON.parse(evalResult.stdout).perplexity['validation_100.txt'];
    expect(ppl).toBeGreaterThan(1);
    expect(Number.isFinite(ppl)).toBe(true);
  });

  it('refuses to overwrite a non-empty --out folder', async () => {
    const out = path.join(tmp, 'occupied');
    await fs.mkdir(out);
    await fs.writeFile(path.join(out, 'keep.txt'), 'mine');
    expectOneLineError(gprune('prune', FIXTURE, '--method', 'magnitude', '--sparsity', '0.2', '--out', out), 'INVALID_ARGUMENT');
    expect(await fs.readFile(path.join(out, 'keep.txt'), 'utf8')).toBe('mine');
  });
});
