import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGpruneError } from '../../src/core/errors';
import { capitalizeLikePython, parseTask, preprocessHellaswag, resolveTaskFile } from '../../src/core/eval/tasks';
import { FOUNDRY_DIR, HELLASWAG_TEXT } from './reference';

const bytes = (text: string) => new TextEncoder().encode(text);
const jsonl = (...records: object[]) => bytes(records.map((r) => JSON.stringify(r)).join('\n'));
const parseInline = (task: string, ...records: object[]) => parseTask({ task, file: `${task}.jsonl`, bytes: jsonl(...records) });

function errorOf(run: () => unknown): { code: string; message: string } {
  try {
    run();
  } catch (error) {
    if (isGpruneError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a GpruneError');
}

describe('parseTask with Hugging Face records', () => {
  it('parseTask arc_easy uses the Question/Answer prompt and answerKey', () => {
    const task = parseInline('arc_easy', { question: 'Which is a gas?', choices: { text: ['ice', 'steam', 'rock'], label: ['A', 'B', 'C'] }, answerKey: 'B' });
    expect(task.items[0].requests).toEqual([
      { context: 'Question: Which is a gas?\nAnswer:', continuation: ' ice' },
      { context: 'Question: Which is a gas?\nAnswer:', continuation: ' steam' },
      { context: 'Question: Which is a gas?\nAnswer:', continuation: ' rock' },
    ]);
    expect(task.items[0].gold).toBe(1);
    expect(task.items[0].choiceTexts).toEqual(['ice', 'steam', 'rock']);
    expect(task.shape).toBe('huggingface');
  });

  it('parseTask arc_challenge accepts numeric labels', () => {
    const task = parseInline('arc_challenge', { question: 'Q?', choices: { text: ['a', 'b', 'c', 'd'], label: ['1', '2', '3', '4'] }, answerKey: '4' });
    expect(task.items[0].gold).toBe(3);
  });

  it('parseTask openbookqa uses question_stem and a padded answerKey', () => {
    const task = parseInline('openbookqa', { question_stem: 'Predators eat', choices: { text: ['lions', 'bunnies'], label: ['A', 'B'] }, answerKey: ' B' });
    expect(task.items[0].requests[1]).toEqual({ context: 'Predators eat', continuation: ' bunnies' });
    expect(task.items[0].gold).toBe(1);
  });

  it('parseTask piqa uses goal, sol1, sol2', () => {
    const task = parseInline('piqa', { goal: 'Open a jar', sol1: 'twist the lid', sol2: 'eat the lid', label: 0 });
    expect(task.items[0].requests).toEqual([
      { context: 'Question: Open a jar\nAnswer:', continuation: ' twist the lid' },
      { context: 'Question: Open a jar\nAnswer:', continuation: ' eat the lid' },
    ]);
  });

  it('parseTask boolq reads answer or label', () => {
    const task = parseInline('boolq', { passage: 'Cats purr.', question: 'do cats purr', answer: true }, { passage: 'P', question: 'q', label: 0 });
    expect(task.items[0].requests).toEqual([
      { context: 'Cats purr.\nQuestion: do cats purr?\nAnswer:', continuation: ' no' },
      { context: 'Cats purr.\nQuestion: do cats purr?\nAnswer:', continuation: ' yes' },
    ]);
    expect(task.items.map((item) => item.gold)).toEqual([1, 0]);
  });

  it('parseTask winogrande fills the blank and scores the rest', () => {
    const task = parseInline('winogrande', { sentence: 'Sarah was a better surgeon than Maria so _ got the harder cases.', option1: 'Sarah', option2: 'Maria', answer: '1' });
    expect(task.items[0].requests).toEqual([
      { context: 'Sarah was a better surgeon than Maria so Sarah', continuation: ' got the harder cases.' },
      { context: 'Sarah was a better surgeon than Maria so Maria', continuation: ' got the harder cases.' },
    ]);
    expect(task.items[0].gold).toBe(0);
  });

  it('parseTask hellaswag builds the harness context', () => {
    const task = parseInline('hellaswag', {
      activity_label: 'Home and Garden',
      ctx_a: '[header] How to plant a tree [title] Dig a hole.',
      ctx_b: 'THEN you',
      endings: ['water it [step] daily.', 'eat  it.'],
      label: '0',
    });
    expect(task.items[0].requests[0].context).toBe('Home and Garden: How to plant a tree. Dig a hole. Then you');
    expect(task.items[0].choiceTexts).toEqual(['water it daily.', 'eat it.']);
    expect(task.items[0].gold).toBe(0);
  });

  it('parseTask lambada splits text at its last space', () => {
    const task = parseInline('lambada', { text: 'He opened the door and saw his dog' });
    expect(task.kind).toBe('lambada');
    expect(task.hasAccNorm).toBe(false);
    expect(task.items[0].requests).toEqual([{ context: 'He opened the door and saw his', continuation: ' dog' }]);
  });
});

describe('parseTask with LLM Foundry records', () => {
  it('parseTask rewrites LLM Foundry queries to harness prompts', () => {
    expect(parseInline('arc_easy', { query: 'Question: Why?', choices: ['a', 'b'], gold: 1 }).items[0].requests[0].context).toBe('Question: Why?\nAnswer:');
    expect(parseInline('piqa', { query: 'Question: Open a jar\n', choices: ['a', 'b'], gold: 0 }).items[0].requests[0].context).toBe('Question: Open a jar\nAnswer:');
    expect(parseInline('boolq', { query: 'Passage: Cats purr.\nQuestion: do cats purr?', choices: ['no', 'yes'], gold: 1 }).items[0].requests[1]).toEqual({
      context: 'Cats purr.\nQuestion: do cats purr?\nAnswer:',
      continuation: ' yes',
    });
    expect(parseInline('openbook_qa', { query: 'Predators eat', choices: ['a', 'b'], gold: 0 }).name).toBe('openbookqa');
  });

  it('parseTask reads the LLM Foundry winogrande shape', () => {
    const task = parseInline('winogrande', { context_options: ['A so Sarah', 'A so Maria'], continuation: 'always won.', gold: 1 });
    expect(task.items[0].requests).toEqual([
      { context: 'A so Sarah', continuation: ' always won.' },
      { context: 'A so Maria', continuation: ' always won.' },
    ]);
    expect(task.items[0].gold).toBe(1);
    expect(task.shape).toBe('llm-foundry');
  });

  it('parseTask generic names keep the query and choices', () => {
    const task = parseInline('my_quiz', { query: 'Two plus two is', choices: ['four', 'five'], gold: 0 });
    expect(task.name).toBe('my_quiz');
    expect(task.items[0].requests[0]).toEqual({ context: 'Two plus two is', continuation: ' four' });
    expect(parseInline('my_cloze', { context: 'The sky is', continuation: 'blue' }).kind).toBe('lambada');
  });

  it('parseTask limit keeps the first items', () => {
    const records = [0, 1, 2, 3].map((gold) => ({ query: `Q${gold}`, choices: ['a', 'b', 'c', 'd'], gold }));
    const task = parseTask({ task: 'arc_easy', file: 'arc_easy.jsonl', bytes: jsonl(...records) }, { limit: 2 });
    expect(task.items.map((item) => item.gold)).toEqual([0, 1]);
  });
});

describe('parseTask errors', () => {
  it('parseTask names the file and line of invalid JSON', () => {
    const error = errorOf(() => parseTask({ task: 'arc_easy', file: 'data/arc.jsonl', bytes: bytes('{"query": "Q", "choices": ["a"], "gold": 0}\n\n{not json\n') }));
    expect(error.code).toBe('DATASET_BAD_LINE');
    expect(error.message).toMatch(/^data\/arc\.jsonl line 3: not valid JSON/);
  });

  it('parseTask names a gold index out of range', () => {
    const error = errorOf(() => parseInline('piqa', { query: 'Q', choices: ['a', 'b'], gold: 2 }));
    expect(error.message).toMatch(/piqa\.jsonl line 1: field "gold" is 2, but the record has 2 choices/);
  });

  it('parseTask names missing fields', () => {
    const error = errorOf(() => parseInline('winogrande', { sentence: 'no blank here', option1: 'a', option2: 'b', answer: '1' }));
    expect(error.message).toMatch(/line 1: field "sentence" has no blank/);
    expect(errorOf(() => parseInline('hellaswag', { ctx: 'x' })).message).toMatch(/neither the LLM Foundry fields .* nor the Hugging Face fields/);
    expect(errorOf(() => parseInline('arc_easy', { question: 'Q', choices: { text: ['a'], label: ['A'] }, answerKey: 'C' })).message).toMatch(/answerKey "C" is not one of the choice labels A/);
  });

  it('parseTask rejects text files for tasks other than hellaswag', () => {
    expect(errorOf(() => parseTask({ task: 'piqa', file: 'piqa.txt', bytes: bytes('x\n') })).message).toMatch(/only for hellaswag/);
  });

  it('parseTask rejects an empty file', () => {
    expect(errorOf(() => parseTask({ task: 'piqa', file: 'piqa.jsonl', bytes: bytes('\n\n') })).code).toBe('DATASET_EMPTY');
  });

  it('parseTask names a truncated hellaswag text task', () => {
    const text = 'Label: ctx\n1\na\nb\nc\nd\nLabel: ctx2\n2\na\n';
    const error = errorOf(() => parseTask({ task: 'hellaswag', file: 'hs.txt', bytes: bytes(text) }));
    expect(error.message).toMatch(/^hs\.txt line 7: the last task has 3 of its 6 lines/);
    const badLabel = errorOf(() => parseTask({ task: 'hellaswag', file: 'hs.txt', bytes: bytes('Label: ctx\nx\na\nb\nc\nd\n') }));
    expect(badLabel.message).toMatch(/^hs\.txt line 2: the gold label must be 0, 1, 2 or 3/);
  });
});

describe('HellaSwag text helpers', () => {
  it('preprocessHellaswag removes tags like the harness', () => {
    expect(preprocessHellaswag(' Home: [header] How to cook [title] Boil water. [step] Wait. ')).toBe('Home: How to cook. Boil water. Wait.');
    // Trimming comes first and "  " → " " is one pass, as in Python, so some spaces remain.
    expect(preprocessHellaswag('[step] Wait.   Go.')).toBe(' Wait.  Go.');
  });

  it('capitalizeLikePython lowers the rest', () => {
    expect(capitalizeLikePython('tHE Man')).toBe('The man');
    expect(capitalizeLikePython('')).toBe('');
  });

  it('parseTask reads the six-line text layout', () => {
    const task = parseTask({ task: 'hellaswag', file: 'hs.txt', bytes: bytes('Cooking: A man [title] cooks.\n2\ne0\ne1\ne2\ne3 [step]\n') });
    expect(task.items[0].requests[0].context).toBe('Cooking: A man. cooks.');
    expect(task.items[0].choiceTexts).toEqual(['e0', 'e1', 'e2', 'e3 ']);
    expect(task.items[0].gold).toBe(2);
    expect(task.shape).toBe('hellaswag-text');
  });
});

describe('parseTask on the shared files', () => {
  // Rows per file: the size of each data set's published test or validation split.
  const counts: [string, string, number][] = [
    ['arc_easy', 'arc_easy.jsonl', 2376],
    ['arc_challenge', 'arc_challenge.jsonl', 1172],
    ['openbookqa', 'openbook_qa.jsonl', 500],
    ['piqa', 'piqa.jsonl', 1838],
    ['winogrande', 'winogrande.jsonl', 1267],
    ['boolq', 'boolq.jsonl', 3270],
    ['lambada_openai', 'lambada_openai.jsonl', 5153],
  ];
  it.each(counts)('parseTask reads every %s record', (task, file, rows) => {
    const parsed = parseTask({ task, file: path.join(FOUNDRY_DIR, file), bytes: new Uint8Array(readFileSync(path.join(FOUNDRY_DIR, file))) });
    expect(parsed.items).toHaveLength(rows);
    expect(parsed.shape).toBe('llm-foundry');
    for (const item of parsed.items) expect(item.gold).toBeLessThan(item.requests.length);
  });

  it('parseTask reads all 10042 hellaswag text tasks', () => {
    const parsed = parseTask({ task: 'hellaswag', file: HELLASWAG_TEXT, bytes: new Uint8Array(readFileSync(HELLASWAG_TEXT)) });
    expect(parsed.items).toHaveLength(10042);
    expect(parsed.items.every((item) => item.requests.length === 4)).toBe(true);
    expect(parsed.items.some((item) => /\[.*?\]/.test(item.requests[0].context))).toBe(false);
  });
});

describe('resolveTaskFile', () => {
  const files = ['d/arc_easy.jsonl', 'd/arc_challenge.jsonl', 'd/openbook_qa.jsonl', 'd/README.md', 'h/hellaswag_val_full.txt', 'd/piqa_validation.jsonl'];

  it('resolveTaskFile matches ids, aliases and prefixes', () => {
    expect(resolveTaskFile('arc_easy', files)).toBe('d/arc_easy.jsonl');
    expect(resolveTaskFile('openbookqa', files)).toBe('d/openbook_qa.jsonl');
    expect(resolveTaskFile('hellaswag', files)).toBe('h/hellaswag_val_full.txt');
    expect(resolveTaskFile('piqa', files)).toBe('d/piqa_validation.jsonl');
    expect(resolveTaskFile('boolq', files)).toBeUndefined();
  });

  it('resolveTaskFile prefers an exact name and rejects ties', () => {
    expect(resolveTaskFile('arc_easy', [...files, 'd/arc_easy_test.jsonl'])).toBe('d/arc_easy.jsonl');
    expect(errorOf(() => resolveTaskFile('piqa', [...files, 'd/piqa_test.jsonl'])).message).toMatch(/matches several files/);
  });
});
