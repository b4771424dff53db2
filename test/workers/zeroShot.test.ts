import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTokenizer } from '../../src/core/data/tokenizer';
import { isGpruneError } from '../../src/core/errors';
import { scoreTask } from '../../src/core/eval/multipleChoice';
import { parseTask } from '../../src/core/eval/tasks';
import { createSession, loadModel } from '../../src/core/run/loaded';
import { DEFAULT_PRUNE_SETTINGS } from '../../src/core/session/pruneSettings';
import { nodeModelFiles } from '../../src/runtime/nodeFiles';
import { guessTaskName } from '../../src/app/files/taskName';
import type { JobProgress, ModelFileInput, TaskFileInput } from '../../workers/studio/api';
import { StudioService } from '../../workers/studio/service';
import { MemoryStatsCache } from '../../workers/studio/statsCache';
import { fixtureDir, testEngine } from '../helpers/fixtures';

const FIXTURE = fixtureDir('stories260K-llama');

/** Six ARC-style items in LLM Foundry shape, gold at varying positions. */
const QUIZ = [
  { query: 'Lily went to the park. She saw a big', choices: ['dog', 'spoon', 'cloud', 'rocket'], gold: 0 },
  { query: 'Tom was very happy because he got a new', choices: ['the', 'toy', 'ran', 'blue'], gold: 1 },
  { query: 'Once upon a time, there was a little', choices: ['went', 'is', 'girl', 'of'], gold: 2 },
  { query: 'The sun was shining and the sky was', choices: ['dog', 'ate', 'under', 'blue'], gold: 3 },
  { query: 'Mom said, "Let us go to the', choices: ['park', 'jumped', 'very', 'she'], gold: 0 },
  { query: 'The cat liked to drink', choices: ['quickly', 'milk', 'tree', 'sad'], gold: 1 },
];
const QUIZ_JSONL = QUIZ.map((item) => JSON.stringify(item)).join('\n');

function droppedFolder(dir: string): ModelFileInput[] {
  const out: ModelFileInput[] = [];
  const walk = (relative: string) => {
    for (const name of readdirSync(path.join(dir, relative))) {
      const child = relative ? `${relative}/${name}` : name;
      if (statSync(path.join(dir, child)).isDirectory()) walk(child);
      else out.push({ path: `stories260K-llama/${child}`, file: new Blob([readFileSync(path.join(dir, child))]) });
    }
  };
  walk('');
  return out;
}

function quizInput(file = 'quiz.jsonl', text = QUIZ_JSONL): TaskFileInput {
  return { task: 'quiz', file, data: new Blob([text]) };
}

describe('StudioService zero-shot tasks on stories260K', () => {
  const service = new StudioService(async () => testEngine(), (engine) => ({ name: engine.name, reason: engine.reason, backend: 'node', threads: 1, crossOriginIsolated: false }), new MemoryStatsCache());

  beforeAll(async () => {
    await service.openModel({ kind: 'files', label: 'stories260K-llama', files: droppedFolder(FIXTURE) }, 1);
    const plan = await service.plan({ ...DEFAULT_PRUNE_SETTINGS, method: 'baseline', metric: 'magnitude', sparsity: 0.5 });
    await service.saveVariant({ id: 'half', label: 'magnitude 50%', moduleKeepCounts: plan.moduleKeepCounts });
  });

  it('evaluateTasks() matches scoreTask for the dense model', async () => {
    const result = await service.evaluateTasks({ tasks: [quizInput()], limit: 5, variants: ['dense'], batchSize: 8 }, 2);

    const engine = testEngine();
    const loaded = await loadModel(await nodeModelFiles(FIXTURE));
    const tokenizer = loadTokenizer({ tokenizerJson: readFileSync(path.join(FIXTURE, 'tokenizer.json'), 'utf8'), tokenizerConfig: readFileSync(path.join(FIXTURE, 'tokenizer_config.json'), 'utf8'), source: FIXTURE });
    const session = await createSession(engine, loaded, { stats: false, masks: true, nll: true });
    try {
      const task = parseTask({ task: 'quiz', file: 'quiz.jsonl', bytes: new TextEncoder().encode(QUIZ_JSONL) }, { limit: 5 });
      const reference = await scoreTask(session, loaded, tokenizer, task, { batchSize: 8 });
      expect(result.rows).toHaveLength(1);
      expect(result.rows[0].items).toBe(5);
      expect(result.rows[0].acc).toBe(reference.acc);
      expect(result.rows[0].accNorm).toBe(reference.accNorm);
      expect(result.rows[0].accStderr).toBeCloseTo(reference.accStderr, 12);
      expect(result.protocol.quiz).toBe(reference.protocol);
    } finally {
      await session.release();
    }
  });

  it('evaluateTasks() scores every variant and task with item progress', async () => {
    const events: JobProgress[] = [];
    const arc = { task: 'arc_easy', file: 'arc_easy.jsonl', data: new Blob([QUIZ_JSONL]) };
    const result = await service.evaluateTasks({ tasks: [quizInput(), arc], limit: 100, variants: ['dense', 'half'], batchSize: 8 }, 3, (event) => events.push(event));
    expect(result.rows.map((r) => `${r.variant}/${r.task}`)).toEqual(['dense/quiz', 'dense/arc_easy', 'half/quiz', 'half/arc_easy']);
    for (const row of result.rows) {
      expect(row.items).toBe(QUIZ.length);
      expect(row.acc).toBeGreaterThanOrEqual(0);
      expect(row.acc).toBeLessThanOrEqual(1);
    }
    expect(Object.keys(result.protocol)).toEqual(['quiz', 'arc_easy']);
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.phase === 'tasks' && e.unit === 'items')).toBe(true);
    const last = events.at(-1)!;
    expect(last.total).toBe(4 * QUIZ.length);
    expect(last.done).toBe(last.total);
    const dones = events.map((e) => e.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
  });

  it('evaluateTasks() rejects a bad line naming the file', async () => {
    const bad = quizInput('broken.jsonl', `${JSON.stringify(QUIZ[0])}\n{"query": "no choices"}`);
    const error = await service.evaluateTasks({ tasks: [bad], limit: 10, variants: ['dense'], batchSize: 8 }, 4).catch((e: unknown) => e);
    expect(isGpruneError(error)).toBe(true);
    expect((error as Error).message).toContain('broken.jsonl line 2');
  });

  it('inspectTask() summarizes items up to the limit', async () => {
    const summary = await service.inspectTask(quizInput(), 4);
    expect(summary).toMatchObject({ task: 'quiz', file: 'quiz.jsonl', items: 4, kind: 'choice', shape: 'llm-foundry' });
    const error = await service.inspectTask({ task: 'hellaswag', file: 'quiz.txt', data: new Blob(['not six lines']) }, 4).catch((e: unknown) => e);
    expect((error as Error).message).toContain('quiz.txt');
  });

  it('evaluateTasks() cancelled before start raises CANCELLED', async () => {
    await service.cancel(5);
    const error = await service.evaluateTasks({ tasks: [quizInput()], limit: 6, variants: ['dense'], batchSize: 8 }, 5).catch((e: unknown) => e);
    expect(isGpruneError(error)).toBe(true);
    expect((error as { code: string }).code).toBe('CANCELLED');
  });

  it('evaluateTasks() with an unsaved variant names it', async () => {
    await expect(service.evaluateTasks({ tasks: [quizInput()], limit: 6, variants: ['v9'], batchSize: 8 }, 6)).rejects.toThrow(/Variant v9/);
  });
});

describe('guessTaskName', () => {
  it.each([
    ['arc_easy.jsonl', 'arc_easy'],
    ['ARC-Challenge.jsonl', 'arc_challenge'],
    ['hellaswag_val_full.txt', 'hellaswag'],
    ['piqa_validation.jsonl', 'piqa'],
    ['openbook_qa.jsonl', 'openbookqa'],
    ['my-quiz.jsonl', 'my_quiz'],
  ])('guessTaskName(%s) returns %s', (file, task) => {
    expect(guessTaskName(file)).toBe(task);
  });
});
