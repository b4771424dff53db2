import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { findTaskFiles } from '../../src/cli/commands/zeroShot';
import { main } from '../../src/cli/main';
import { FOUNDRY_DIR, HELLASWAG_TEXT, KV_MODEL } from './reference';

/** Runs the CLI and returns its exit code, stdout and stderr. */
async function runCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  vi.spyOn(console, 'log').mockImplementation((...parts) => void (stdout += `${parts.join(' ')}\n`));
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

afterEach(() => vi.restoreAllMocks());

describe('gprune eval --tasks', () => {
  it('gprune eval --json reports acc, acc_norm and stderr per task', async () => {
    const data = `${FOUNDRY_DIR},${path.dirname(HELLASWAG_TEXT)}`;
    const { code, stdout, stderr } = await runCli(['eval', KV_MODEL, '--tasks', 'arc_easy,winogrande,hellaswag,lambada', '--data', data, '--limit', '4', '--json', '--threads', '1']);
    expect(code, stderr).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json.tasks)).toEqual(['arc_easy', 'winogrande', 'hellaswag', 'lambada_openai']);
    for (const name of ['arc_easy', 'winogrande', 'hellaswag']) {
      const task = json.tasks[name];
      expect(task.items).toBe(4);
      // With 4 items, acc is a multiple of 1/4 and its stderr √(p(1 − p)·4/3)/2.
      expect(Number.isInteger(task.acc * 4)).toBe(true);
      expect(task.stderr).toBeCloseTo(Math.sqrt((task.acc * (1 - task.acc) * 4) / 3) / 2, 12);
      expect(Number.isInteger(task.acc_norm * 4)).toBe(true);
    }
    expect(json.tasks.lambada_openai.acc_norm).toBeNull();
    expect(json.tasks.lambada_openai.perplexity).toBeGreaterThan(1);
    expect(json.perplexity).toBeUndefined();
    const accs = Object.values(json.tasks).map((t) => (t as { acc: number }).acc);
    expect(json.average.acc).toBeCloseTo(accs.reduce((a, b) => a + b, 0) / accs.length, 12);
  });

  it('gprune eval prints a table with the average', async () => {
    const { code, stdout } = await runCli(['eval', KV_MODEL, '--tasks', 'piqa', '--data', FOUNDRY_DIR, '--limit', '2', '--threads', '1']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^task\s+items\s+acc %/m);
    expect(stdout).toMatch(/^piqa\s+2\s/m);
    expect(stdout).toMatch(/^average \(1\)/m);
  });

  it('gprune eval needs --ppl or --tasks', async () => {
    const { code, stderr } = await runCli(['eval', KV_MODEL]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/needs --ppl .* or --tasks with --data/);
  });

  it('gprune eval names a task without a file', async () => {
    const { code, stderr } = await runCli(['eval', KV_MODEL, '--tasks', 'arc_easy', '--data', path.dirname(HELLASWAG_TEXT)]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/DATASET_NOT_FOUND.*No file for task arc_easy/);
  });
});

describe('findTaskFiles', () => {
  it('findTaskFiles takes TASK=FILE pairs, files and folders', async () => {
    const folder = mkdtempSync(path.join(os.tmpdir(), 'gprune-tasks-'));
    writeFileSync(path.join(folder, 'boolq.jsonl'), '');
    const quiz = path.join(folder, 'my quiz.jsonl');
    writeFileSync(quiz, '');
    const found = await findTaskFiles(['boolq', 'quiz', 'piqa'], [folder, `quiz=${quiz}`, path.join(FOUNDRY_DIR, 'piqa.jsonl')]);
    expect(found).toEqual([
      { task: 'boolq', file: path.join(folder, 'boolq.jsonl') },
      { task: 'quiz', file: quiz },
      { task: 'piqa', file: path.join(FOUNDRY_DIR, 'piqa.jsonl') },
    ]);
  });

  it('findTaskFiles rejects a missing --data entry', async () => {
    await expect(findTaskFiles(['piqa'], ['/nonexistent/folder'])).rejects.toThrow(/does not exist/);
    await expect(findTaskFiles(['piqa'], [])).rejects.toThrow(/--tasks needs --data/);
  });
});
