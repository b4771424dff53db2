/**
 * ARC, OpenBookQA, PIQA and BoolQ with lm-evaluation-harness's zero-shot prompts. LLM Foundry
 * files carry their own prompt prefix in `query`. It is rewritten to the harness prompt, so
 * both shapes of one task give the same context.
 */
import { type TaskRecord, badRecord, checkGold, has, indexField, stringField, stringListField } from './fields';
import { choiceItem } from './items';
import type { RecordShape, TaskTemplate } from './template';
import type { TaskItem } from './types';

type Converted = { item: TaskItem; shape: RecordShape };

/** LLM Foundry's multiple-choice record: `query`, `choices` and `gold`. */
function foundryChoices(record: TaskRecord, where: string): { query: string; choices: string[]; gold: number } {
  const query = stringField(record, 'query', where);
  const choices = stringListField(record, 'choices', where);
  return { query, choices, gold: checkGold(indexField(record, 'gold', where), choices.length, 'gold', where) };
}

/** Hugging Face `choices: {text, label}` with an `answerKey` naming one label. */
function labelledChoices(record: TaskRecord, where: string): { choices: string[]; gold: number } {
  const box = record.choices;
  if (typeof box !== 'object' || box === null || Array.isArray(box)) throw badRecord(where, 'field "choices" must be an object {text: [...], label: [...]}');
  const choices = stringListField(box as TaskRecord, 'text', `${where} (choices)`);
  const labels = stringListField(box as TaskRecord, 'label', `${where} (choices)`);
  const key = stringField(record, 'answerKey', where).trimStart();
  const gold = labels.indexOf(key);
  if (gold < 0 || labels.length !== choices.length) throw badRecord(where, `answerKey "${key}" is not one of the choice labels ${labels.join(', ')}`);
  return { choices, gold };
}

function unknownShape(where: string, expected: string): never {
  throw badRecord(where, `the record has neither the LLM Foundry fields (query, choices, gold) nor the Hugging Face fields (${expected})`);
}

function arc(id: 'arc_easy' | 'arc_challenge'): TaskTemplate {
  return {
    id,
    aliases: [id.replace('_', '-')],
    kind: 'choice',
    hasAccNorm: true,
    template: 'context "Question: {question}\\nAnswer:", continuations " {choice}"',
    fromRecord(record, where): Converted {
      if (has(record, 'query')) {
        const { query, choices, gold } = foundryChoices(record, where);
        // LLM Foundry's query is already "Question: {question}".
        return { item: choiceItem(`${query}\nAnswer:`, choices, gold, where), shape: 'llm-foundry' };
      }
      if (!has(record, 'question', 'choices', 'answerKey')) unknownShape(where, 'question, choices, answerKey');
      const { choices, gold } = labelledChoices(record, where);
      return { item: choiceItem(`Question: ${stringField(record, 'question', where)}\nAnswer:`, choices, gold, where), shape: 'huggingface' };
    },
  };
}

export const ARC_EASY = arc('arc_easy');
export const ARC_CHALLENGE = arc('arc_challenge');

export const OPENBOOKQA: TaskTemplate = {
  id: 'openbookqa',
  aliases: ['openbook_qa', 'obqa'],
  kind: 'choice',
  hasAccNorm: true,
  template: 'context "{question_stem}", continuations " {choice}"',
  fromRecord(record, where): Converted {
    if (has(record, 'query')) {
      const { query, choices, gold } = foundryChoices(record, where);
      return { item: choiceItem(query, choices, gold, where), shape: 'llm-foundry' };
    }
    if (!has(record, 'question_stem', 'choices', 'answerKey')) unknownShape(where, 'question_stem, choices, answerKey');
    const { choices, gold } = labelledChoices(record, where);
    return { item: choiceItem(stringField(record, 'question_stem', where), choices, gold, where), shape: 'huggingface' };
  },
};

export const PIQA: TaskTemplate = {
  id: 'piqa',
  aliases: [],
  kind: 'choice',
  hasAccNorm: true,
  template: 'context "Question: {goal}\\nAnswer:", continuations " {sol1}", " {sol2}"',
  fromRecord(record, where): Converted {
    if (has(record, 'query')) {
      const { query, choices, gold } = foundryChoices(record, where);
      // LLM Foundry's query is "Question: {goal}\n".
      return { item: choiceItem(`${query.replace(/\n$/, '')}\nAnswer:`, choices, gold, where), shape: 'llm-foundry' };
    }
    if (!has(record, 'goal', 'sol1', 'sol2', 'label')) unknownShape(where, 'goal, sol1, sol2, label');
    const choices = [stringField(record, 'sol1', where), stringField(record, 'sol2', where)];
    const gold = checkGold(indexField(record, 'label', where), 2, 'label', where);
    return { item: choiceItem(`Question: ${stringField(record, 'goal', where)}\nAnswer:`, choices, gold, where), shape: 'huggingface' };
  },
};

export const BOOLQ: TaskTemplate = {
  id: 'boolq',
  aliases: [],
  kind: 'choice',
  hasAccNorm: true,
  template: 'context "{passage}\\nQuestion: {question}?\\nAnswer:", continuations " no", " yes"',
  fromRecord(record, where): Converted {
    if (has(record, 'query')) {
      const { query, choices, gold } = foundryChoices(record, where);
      // LLM Foundry's query is "Passage: {passage}\nQuestion: {question}?"; the harness has no "Passage: " prefix.
      return { item: choiceItem(`${query.replace(/^Passage: /, '')}\nAnswer:`, choices, gold, where), shape: 'llm-foundry' };
    }
    if (!has(record, 'question', 'passage')) unknownShape(where, 'question, passage, answer or label');
    const context = `${stringField(record, 'passage', where)}\nQuestion: ${stringField(record, 'question', where)}?\nAnswer:`;
    return { item: choiceItem(context, ['no', 'yes'], boolqGold(record, where), where), shape: 'huggingface' };
  },
};

/** `answer` (true/false, google/boolq) or `label` (0 = no, 1 = yes, super_glue). */
function boolqGold(record: TaskRecord, where: string): number {
  if (typeof record.answer === 'boolean') return record.answer ? 1 : 0;
  if (has(record, 'label')) return checkGold(indexField(record, 'label', where), 2, 'label', where);
  throw badRecord(where, 'a BoolQ record needs "answer" (true or false) or "label" (0 or 1)');
}
