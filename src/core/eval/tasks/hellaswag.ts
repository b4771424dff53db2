/**
 * HellaSwag: the lm-evaluation-harness text cleanup, Hugging Face records and the plain-text
 * layout with six lines per task.
 */
import { GpruneError } from '../../errors';
import { type TaskRecord, badRecord, checkGold, has, indexField, stringField, stringListField } from './fields';
import { choiceItem } from './items';
import type { TaskTemplate } from './template';
import type { TaskItem } from './types';

/**
 * Cleans WikiHow artifacts as lm-evaluation-harness's hellaswag `preprocess` does: trim,
 * " [title]" becomes ". ", every "[...]" is removed, then each double space becomes one.
 */
export function preprocessHellaswag(text: string): string {
  return text.trim().replaceAll(' [title]', '. ').replace(/\[.*?\]/g, '').replaceAll('  ', ' ');
}

/** Python's str.capitalize(): first character upper case, the rest lower case. */
export function capitalizeLikePython(text: string): string {
  const [first = '', ...rest] = [...text];
  return first.toUpperCase() + rest.join('').toLowerCase();
}

/**
 * Context `"{activity_label}: {ctx_a} {ctx_b.capitalize()}"` and the four endings, both
 * cleaned by preprocessHellaswag; records with only `ctx` use it in place of ctx_a and ctx_b.
 */
export function hellaswagFromHuggingFace(record: TaskRecord, where: string): TaskItem {
  const label = stringField(record, 'activity_label', where);
  const ctx = has(record, 'ctx_a', 'ctx_b') ? `${stringField(record, 'ctx_a', where)} ${capitalizeLikePython(stringField(record, 'ctx_b', where))}` : stringField(record, 'ctx', where);
  const endings = stringListField(record, 'endings', where).map(preprocessHellaswag);
  const gold = checkGold(indexField(record, 'label', where), endings.length, 'label', where);
  return choiceItem(preprocessHellaswag(`${label}: ${ctx}`), endings, gold, where);
}

/** Lines per task in the plain-text layout: context, gold label, four endings. */
const LINES_PER_TASK = 6;

/**
 * Reads the plain-text layout (`activity_label: ctx`, the gold index 0-3, then the four
 * endings, six lines per task), and applies preprocessHellaswag again. The extractor of
 * that file kept ctx_b's case and merged it into ctx, so the harness's capitalization of
 * ctx_b cannot be applied. Scores can therefore differ slightly from the Hugging Face records.
 */
export function parseHellaswagText(file: string, text: string, limit = Infinity): TaskItem[] {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  if (lines.length % LINES_PER_TASK !== 0) {
    const complete = Math.floor(lines.length / LINES_PER_TASK) * LINES_PER_TASK;
    throw new GpruneError(
      'DATASET_BAD_LINE',
      `${file} line ${complete + 1}: the last task has ${lines.length - complete} of its ${LINES_PER_TASK} lines (context, label, four endings). Restore the file or cut it after line ${complete}.`,
      { details: { file, line: complete + 1 } },
    );
  }
  const items: TaskItem[] = [];
  for (let start = 0; start < lines.length && items.length < limit; start += LINES_PER_TASK) {
    const where = `${file} line ${start + 1}`;
    const labelLine = lines[start + 1].trim();
    if (!/^[0-3]$/.test(labelLine)) throw badRecord(`${file} line ${start + 2}`, `the gold label must be 0, 1, 2 or 3, found "${labelLine.slice(0, 40)}"; each task is 6 lines (context, label, four endings)`);
    const endings = lines.slice(start + 2, start + LINES_PER_TASK).map(preprocessHellaswag);
    items.push(choiceItem(preprocessHellaswag(lines[start]), endings, Number(labelLine), where));
  }
  return items;
}

export const HELLASWAG: TaskTemplate = {
  id: 'hellaswag',
  aliases: [],
  kind: 'choice',
  hasAccNorm: true,
  template: 'context "{activity_label}: {ctx_a} {Ctx_b}", continuations " {ending}", harness cleanup of [title]/[header] tags',
  fromRecord(record, where) {
    if (has(record, 'query')) {
      const query = stringField(record, 'query', where);
      const endings = stringListField(record, 'choices', where).map(preprocessHellaswag);
      const gold = checkGold(indexField(record, 'gold', where), endings.length, 'gold', where);
      return { item: choiceItem(preprocessHellaswag(query), endings, gold, where), shape: 'llm-foundry' };
    }
    if (!has(record, 'activity_label', 'endings', 'label')) {
      throw badRecord(where, 'the record has neither the LLM Foundry fields (query, choices, gold) nor the Hugging Face fields (activity_label, ctx_a, ctx_b, endings, label)');
    }
    return { item: hellaswagFromHuggingFace(record, where), shape: 'huggingface' };
  },
};
