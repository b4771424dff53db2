/**
 * Builders of task items from rendered prompt text.
 */
import type { TaskItem } from './types';

/**
 * Builds an item whose choices all follow one context. Each continuation is `delimiter + choice`
 * (lm-evaluation-harness's target_delimiter, one space by default); acc_norm measures the
 * choice without the delimiter.
 */
export function choiceItem(context: string, choices: string[], gold: number, source: string, delimiter = ' '): TaskItem {
  return {
    requests: choices.map((choice) => ({ context, continuation: delimiter + choice })),
    gold,
    choiceTexts: choices,
    source,
  };
}

/**
 * Builds a partial-evaluation item (WinoGrande): each option fills the blank, so the contexts
 * differ, and the shared text after the blank is the continuation scored for every option.
 * acc_norm divides by that shared text, so it always equals acc.
 */
export function partialItem(contexts: string[], suffix: string, gold: number, source: string): TaskItem {
  const continuation = ` ${suffix.trim()}`;
  return {
    requests: contexts.map((context) => ({ context, continuation })),
    gold,
    choiceTexts: contexts.map(() => suffix.trim()),
    source,
  };
}

/** Builds a LAMBADA item, whose only continuation is the target word with a leading space. */
export function lambadaItem(context: string, target: string, source: string): TaskItem {
  return { requests: [{ context, continuation: ` ${target.trim()}` }], gold: 0, choiceTexts: [target.trim()], source };
}
