/**
 * The built-in task templates, lookup by name, and the generic template used for a task
 * name without one.
 */
import { badRecord, checkGold, has, indexField, stringField, stringListField } from './fields';
import { HELLASWAG } from './hellaswag';
import { choiceItem, lambadaItem, partialItem } from './items';
import { LAMBADA_OPENAI } from './lambada';
import { ARC_CHALLENGE, ARC_EASY, BOOLQ, OPENBOOKQA, PIQA } from './questionAnswering';
import type { TaskTemplate } from './template';
import { WINOGRANDE } from './winogrande';

export const TASK_TEMPLATES: readonly TaskTemplate[] = [ARC_EASY, ARC_CHALLENGE, BOOLQ, HELLASWAG, LAMBADA_OPENAI, OPENBOOKQA, PIQA, WINOGRANDE];

/** Lower case, with "-" read as "_", so `ARC-Easy` finds arc_easy. */
export function normalizeTaskName(name: string): string {
  return name.trim().toLowerCase().replaceAll('-', '_');
}

/** Finds the built-in template whose id or alias is `name`; undefined when there is none. */
export function findTaskTemplate(name: string): TaskTemplate | undefined {
  const key = normalizeTaskName(name);
  return TASK_TEMPLATES.find((t) => t.id === key || t.aliases.some((alias) => normalizeTaskName(alias) === key));
}

/**
 * Builds a template for task files without a built-in prompt. It reads the LLM Foundry
 * shapes as they are: query/choices/gold scores " {choice}" after the query,
 * context_options/continuation/gold becomes a partial-evaluation item, and
 * context/continuation is scored like LAMBADA.
 */
export function genericTemplate(name: string): TaskTemplate {
  return {
    id: name,
    aliases: [],
    kind: 'choice',
    hasAccNorm: true,
    template: 'LLM Foundry fields as given: context "{query}", continuations " {choice}"',
    fromRecord(record, where) {
      if (has(record, 'query', 'choices', 'gold')) {
        const choices = stringListField(record, 'choices', where);
        const gold = checkGold(indexField(record, 'gold', where), choices.length, 'gold', where);
        return { item: choiceItem(stringField(record, 'query', where), choices, gold, where), shape: 'llm-foundry', kind: 'choice' };
      }
      if (has(record, 'context_options', 'continuation', 'gold')) {
        const contexts = stringListField(record, 'context_options', where);
        const gold = checkGold(indexField(record, 'gold', where), contexts.length, 'gold', where);
        return { item: partialItem(contexts, stringField(record, 'continuation', where), gold, where), shape: 'llm-foundry', kind: 'choice' };
      }
      if (has(record, 'context', 'continuation')) {
        return { item: lambadaItem(stringField(record, 'context', where), stringField(record, 'continuation', where), where), shape: 'llm-foundry', kind: 'lambada' };
      }
      throw badRecord(
        where,
        `task "${name}" has no built-in template (built-in: ${TASK_TEMPLATES.map((t) => t.id).join(', ')}), so its records need the LLM Foundry fields query/choices/gold, context_options/continuation/gold or context/continuation`,
      );
    },
  };
}
