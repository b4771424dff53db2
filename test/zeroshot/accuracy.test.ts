import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GpruneError, isGpruneError } from '../../src/core/errors';
import { scoreTask } from '../../src/core/eval/multipleChoice';
import { parseTask, type ZeroShotTask } from '../../src/core/eval/tasks';
import type { SessionHandle } from '../../src/core/engine';
import type { ProgressEvent } from '../../src/core/progress';
import { type Fixture, KV_MODEL, PLAIN_MODEL, greedyTokens, harnessTokens, openFixture, referenceLogLikelihood } from './reference';

const PROMPTS = ['Once upon a time, there was a little girl named', 'The dog was very', 'Tom and his mom went to the', 'She looked up at the sky and saw a', 'One day, the little bird', 'Lily loved to play with her'];
const DISTRACTORS = ['purple elephants sing loudly', 'quantum zebra'];

/** Builds a task from inline LLM Foundry records; "handmade" has no built-in template, so query and choices are used as given. */
function inlineTask(name: string, records: object[]): ZeroShotTask {
  const text = records.map((r) => JSON.stringify(r)).join('\n');
  return parseTask({ task: name, file: `${name}.jsonl`, bytes: new TextEncoder().encode(text) });
}

/** Returns the model's greedy continuation of `prompt` as text, starting with its space. */
async function greedyText(fixture: Fixture, prompt: string, count: number): Promise<string> {
  const ids = [fixture.tokenizer.bosId!, ...fixture.tokenizer.encode(prompt)];
  const tokens = await greedyTokens(fixture, ids, count);
  return fixture.tokenizer.decode([...ids.slice(1), ...tokens]).slice(prompt.length);
}

const argmax = (xs: number[]) => xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);

describe('scoreTask accuracy on hand-made tasks', () => {
  let fixture: Fixture;
  let greedy: string[];
  beforeAll(async () => {
    fixture = await openFixture(PLAIN_MODEL, { masks: true });
    greedy = await Promise.all(PROMPTS.map((p) => greedyText(fixture, p, 4)));
  });
  afterAll(async () => fixture.release());

  /** Items whose choices are the greedy continuation (at index i % 3) and two distractors. */
  function greedyItems(goldOnGreedy: (i: number) => boolean) {
    return PROMPTS.map((query, i) => {
      const position = i % 3;
      const choices = [...DISTRACTORS];
      choices.splice(position, 0, greedy[i].trimStart());
      return { query, choices, gold: goldOnGreedy(i) ? position : (position + 1) % 3 };
    });
  }

  it('scoreTask acc is 1 when every gold is the greedy continuation', async () => {
    const records = greedyItems(() => true);
    for (const r of records) {
      const refs = await Promise.all(r.choices.map((c) => referenceLogLikelihood(fixture, r.query, ` ${c}`)));
      expect(argmax(refs), `greedy continuation of "${r.query}" should be the most likely choice`).toBe(r.gold);
    }
    const result = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, inlineTask('handmade', records));
    expect(result.acc).toBe(1);
    expect(result.accStderr).toBe(0);
    expect(result.items).toBe(PROMPTS.length);
  });

  it('scoreTask acc and stderr with half the golds on distractors', async () => {
    const result = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, inlineTask('handmade', greedyItems((i) => i % 2 === 0)));
    const n = PROMPTS.length;
    expect(result.acc).toBe(0.5);
    // Sample variance of n/2 ones and n/2 zeros is n / (4 (n − 1)).
    expect(result.accStderr).toBeCloseTo(Math.sqrt(n / (4 * (n - 1)) / n), 12);
  });

  it('scoreTask acc_norm can disagree with acc', async () => {
    const context = 'One day, a little';
    const long = (await greedyText(fixture, context, 12)).trimStart();
    const choices = [long, 'boy', ...DISTRACTORS];
    const refs = await Promise.all(choices.map((c) => referenceLogLikelihood(fixture, context, ` ${c}`)));
    const byCharacter = refs.map((ll, i) => ll / [...choices[i]].length);
    expect(argmax(refs), 'the short choice should win on the sum').toBe(1);
    expect(argmax(byCharacter), 'the long greedy choice should win per character').toBe(0);

    const result = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, inlineTask('handmade', [{ query: context, choices, gold: 0 }]));
    expect(result.acc).toBe(0);
    expect(result.accNorm).toBe(1);
    result.perItem[0].logLikelihoods.forEach((ll, i) => expect(Math.abs(ll - refs[i])).toBeLessThan(1e-3));
  });

  it('scoreTask lambada acc counts greedy targets and perplexity matches', async () => {
    const records = PROMPTS.slice(0, 4).map((context, i) => ({ context, continuation: i < 2 ? greedy[i].trim().split(/[ .,!]/)[0] : 'xylophone' }));
    for (const r of records.slice(0, 2)) {
      const { ids, continuationLength } = harnessTokens(fixture.tokenizer, r.context, ` ${r.continuation}`);
      const next = await greedyTokens(fixture, ids.slice(0, ids.length - continuationLength), continuationLength);
      expect(next, `"${r.continuation}" should be the greedy tokens after "${r.context}"`).toEqual(ids.slice(ids.length - continuationLength));
    }
    const task = inlineTask('lambada_openai', records);
    const result = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task);
    expect(result.perItem.map((item) => item.greedy[0])).toEqual([true, true, false, false]);
    expect(result.acc).toBe(0.5);
    expect(result.accNorm).toBeNull();
    const refs = await Promise.all(records.map((r) => referenceLogLikelihood(fixture, r.context, ` ${r.continuation}`)));
    expect(result.perplexity! / Math.exp(-refs.reduce((a, b) => a + b, 0) / refs.length)).toBeCloseTo(1, 4);
  });

  it('scoreTask applies keep-masks given as overrides', async () => {
    const task = inlineTask('handmade', greedyItems(() => true));
    const plain = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task);
    const width = fixture.loaded.anatomy.ffn[0].width;
    const ones = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task, { overrides: { masks: [new Float32Array(width).fill(1)] } });
    const zeroed = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task, { overrides: { masks: [new Float32Array(width)] } });
    expect(ones.perItem.map((item) => item.logLikelihoods)).toEqual(plain.perItem.map((item) => item.logLikelihoods));
    const change = Math.max(...zeroed.perItem.flatMap((item, i) => item.logLikelihoods.map((ll, j) => Math.abs(ll - plain.perItem[i].logLikelihoods[j]))));
    expect(change).toBeGreaterThan(1e-2);
  });

  it('scoreTask reports score progress and stops on abort', async () => {
    const task = inlineTask('handmade', greedyItems(() => true));
    const events: ProgressEvent[] = [];
    await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task, { batchSize: 4, onProgress: (e) => events.push(e) });
    expect(events.every((e) => e.phase === 'score' && e.unit === 'items' && e.task === 'handmade')).toBe(true);
    expect(events.at(-1)).toMatchObject({ done: PROMPTS.length, total: PROMPTS.length });

    const controller = new AbortController();
    controller.abort();
    const error = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task, { signal: controller.signal }).catch((e: unknown) => e);
    expect(isGpruneError(error)).toBe(true);
    expect((error as GpruneError).code).toBe('CANCELLED');
  });
});

describe('scoreTask strategy checks', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await openFixture(PLAIN_MODEL);
  });
  afterAll(async () => fixture.release());

  it('scoreTask rejects prefix-cache without a KV cache', async () => {
    const task = inlineTask('handmade', [{ query: 'The dog was very', choices: ['big', 'small'], gold: 0 }]);
    const error = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task, { strategy: 'prefix-cache' }).catch((e: unknown) => e);
    expect(isGpruneError(error)).toBe(true);
    expect((error as GpruneError).message).toMatch(/needs a graph with past_key_values inputs/);
    const auto = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task);
    expect(auto.strategy).toBe('batched');
  });
});

describe('scoreTask session checks', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await openFixture(KV_MODEL);
  });
  afterAll(async () => fixture.release());

  it('scoreTask rejects overrides on a session without mask inputs', async () => {
    const task = inlineTask('handmade', [{ query: 'The dog was very', choices: ['big', 'small'], gold: 0 }]);
    const error = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task, { overrides: { masks: [] } }).catch((e: unknown) => e);
    expect(isGpruneError(error)).toBe(true);
    expect((error as GpruneError).code).toBe('INVALID_ARGUMENT');
    expect((error as Error).message).toMatch(/masks: true/);
  });

  it('scoreTask rejects a session without the NLL output', async () => {
    const task = inlineTask('handmade', [{ query: 'The dog was very', choices: ['big', 'small'], gold: 0 }]);
    const error = await scoreTask(fixture.plain, fixture.loaded, fixture.tokenizer, task).catch((e: unknown) => e);
    expect(isGpruneError(error)).toBe(true);
    expect((error as GpruneError).code).toBe('INVALID_ARGUMENT');
  });

  it('scoreTask auto falls back when the cache disagrees', async () => {
    // Adds 1 nat to every NLL of runs that continue a non-empty cache, as if the graph
    // ignored the cache's padding.
    const skewed: SessionHandle = {
      inputNames: fixture.scoring.inputNames,
      outputNames: fixture.scoring.outputNames,
      release: async () => undefined,
      async run(feeds, fetches) {
        const out = await fixture.scoring.run(feeds, fetches);
        const cached = (feeds['past_key_values.0.key']?.dims[2] ?? 0) > 0;
        if (!cached || !out.gprune_nll) return out;
        const nll = Float32Array.from(out.gprune_nll.data as Float32Array, (x) => x + 1);
        return { ...out, gprune_nll: { ...out.gprune_nll, data: nll } };
      },
    };
    const task = inlineTask('handmade', [{ query: 'The dog was very', choices: ['big', 'small', 'happy'], gold: 0 }]);
    const auto = await scoreTask(skewed, fixture.loaded, fixture.tokenizer, task);
    const batched = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task, { strategy: 'batched' });
    expect(auto.strategy).toBe('batched');
    expect(auto.perItem[0].logLikelihoods).toEqual(batched.perItem[0].logLikelihoods);
  });

  it('scoreTask auto uses the prefix cache on a KV graph', async () => {
    const task = inlineTask('handmade', [{ query: 'The dog was very', choices: ['big', 'small', 'happy'], gold: 0 }]);
    const auto = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task);
    expect(auto.strategy).toBe('prefix-cache');
    const batched = await scoreTask(fixture.scoring, fixture.loaded, fixture.tokenizer, task, { strategy: 'batched' });
    auto.perItem[0].logLikelihoods.forEach((ll, i) => expect(Math.abs(ll - batched.perItem[0].logLikelihoods[i])).toBeLessThan(1e-4));
  });
});
