/**
 * Shared cases of the log-likelihood tests: each task's first items scored by scoreTask and
 * by the plain graph with a hand-written log-softmax.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scoreTask } from '../../src/core/eval/multipleChoice';
import type { ScoringStrategy } from '../../src/core/eval/multipleChoiceOptions';
import { type ZeroShotTask, parseTask } from '../../src/core/eval/tasks';
import { FOUNDRY_DIR, type Fixture, HELLASWAG_TEXT, foundryRecords, openFixture, referenceLogLikelihood } from './reference';

type Expected = { context: string; continuation: string }[];

/** Each task's prompts for raw LLM Foundry records, written from lm-evaluation-harness's templates. */
const CASES: { task: string; file: string; count: number; expected: (record: Record<string, unknown>) => Expected }[] = [
  { task: 'arc_easy', file: 'arc_easy.jsonl', count: 2, expected: (r) => (r.choices as string[]).map((c) => ({ context: `${r.query}\nAnswer:`, continuation: ` ${c}` })) },
  { task: 'arc_challenge', file: 'arc_challenge.jsonl', count: 2, expected: (r) => (r.choices as string[]).map((c) => ({ context: `${r.query}\nAnswer:`, continuation: ` ${c}` })) },
  { task: 'piqa', file: 'piqa.jsonl', count: 2, expected: (r) => (r.choices as string[]).map((c) => ({ context: `${(r.query as string).slice(0, -1)}\nAnswer:`, continuation: ` ${c}` })) },
  { task: 'openbookqa', file: 'openbook_qa.jsonl', count: 2, expected: (r) => (r.choices as string[]).map((c) => ({ context: r.query as string, continuation: ` ${c}` })) },
  {
    task: 'boolq',
    file: 'boolq.jsonl',
    // The first two records are longer than the fixture's 512 tokens, so their contexts are cut from the left.
    count: 3,
    expected: (r) => ['no', 'yes'].map((c) => ({ context: `${(r.query as string).slice('Passage: '.length)}\nAnswer:`, continuation: ` ${c}` })),
  },
  { task: 'winogrande', file: 'winogrande.jsonl', count: 2, expected: (r) => (r.context_options as string[]).map((c) => ({ context: c, continuation: ` ${r.continuation}` })) },
  { task: 'lambada_openai', file: 'lambada_openai.jsonl', count: 3, expected: (r) => [{ context: r.context as string, continuation: ` ${r.continuation}` }] },
];

function loadShared(task: string, file: string, limit: number): ZeroShotTask {
  return parseTask({ task, file, bytes: new Uint8Array(readFileSync(file)) }, { limit });
}

async function expectMatchesReference(fixture: Fixture, task: ZeroShotTask, expected: Expected[], strategy: ScoringStrategy): Promise<void> {
  const result = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task, { strategy, batchSize: 3 });
  for (const [i, requests] of expected.entries()) {
    for (const [j, { context, continuation }] of requests.entries()) {
      const reference = await referenceLogLikelihood(fixture, context, continuation);
      expect(Math.abs(result.perItem[i].logLikelihoods[j] - reference), `${task.name} item ${i} choice ${j} (${strategy}): ${result.perItem[i].logLikelihoods[j]} vs ${reference}`).toBeLessThan(2e-3);
    }
  }
}

/** Registers the log-likelihood tests of every task for one model folder and its strategies. */
export function describeLogLikelihoods(name: string, dir: string, strategies: ScoringStrategy[]): void {
  describe(`scoreTask(${name}) log-likelihoods`, () => {
    let fixture: Fixture;
    beforeAll(async () => {
      fixture = await openFixture(dir);
    });
    afterAll(async () => fixture.release());

    for (const { task, file, count, expected } of CASES) {
      it(`${task} matches log-softmax of the plain graph`, async () => {
        const records = foundryRecords(file, count);
        const parsed = loadShared(task, path.join(FOUNDRY_DIR, file), count);
        const want = records.map(expected);
        expect(parsed.items.map((item) => item.requests)).toEqual(want);
        expect(parsed.items.map((item) => item.gold)).toEqual(records.map((r) => (r.gold as number | undefined) ?? 0));
        for (const strategy of strategies) await expectMatchesReference(fixture, parsed, want, strategy);
      });
    }

    it('hellaswag text file matches log-softmax of the plain graph', async () => {
      const lines = readFileSync(HELLASWAG_TEXT, 'utf8').split('\n');
      const parsed = loadShared('hellaswag', HELLASWAG_TEXT, 2);
      // The first two tasks have no [title]-like tags, so the cleanup leaves their text unchanged.
      const want = [0, 6].map((start) => lines.slice(start + 2, start + 6).map((ending) => ({ context: lines[start], continuation: ` ${ending}` })));
      expect(parsed.items.map((item) => item.requests)).toEqual(want);
      expect(parsed.items.map((item) => item.gold)).toEqual([Number(lines[1]), Number(lines[7])]);
      for (const strategy of strategies) await expectMatchesReference(fixture, parsed, want, strategy);
    });
  });
}
