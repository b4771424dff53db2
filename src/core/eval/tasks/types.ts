/**
 * Zero-shot tasks as the scorer reads them: items whose choices are (context, continuation)
 * pairs, already rendered with the task's prompt template.
 */

/** Task ids with a built-in prompt template (lm-evaluation-harness task names). */
export type TaskId = 'arc_easy' | 'arc_challenge' | 'boolq' | 'hellaswag' | 'lambada_openai' | 'openbookqa' | 'piqa' | 'winogrande';

/**
 * `choice`: pick the most likely of several continuations (acc, acc_norm).
 * `lambada`: one continuation per item, scored by greedy match (acc) and perplexity.
 */
export type TaskKind = 'choice' | 'lambada';

/** One (context, continuation) pair whose log-likelihood the scorer computes. */
export interface ScoringRequest {
  context: string;
  /** Text scored after the context, with its leading delimiter (usually one space). */
  continuation: string;
}

export interface TaskItem {
  /** One request per choice; a lambada item has exactly one. */
  requests: ScoringRequest[];
  /** Index of the correct request; 0 for lambada items. */
  gold: number;
  /**
   * Text lengths that acc_norm divides by, one per request: the choice text without its
   * delimiter, as lm-evaluation-harness measures it.
   */
  choiceTexts: string[];
  /** Source location of the item, e.g. `arc_easy.jsonl line 12`, for messages. */
  source: string;
}

export interface ZeroShotTask {
  /** Task id, or the file's base name for a task without a built-in template. */
  name: string;
  kind: TaskKind;
  /** Whether acc_norm is meaningful (false for lambada). */
  hasAccNorm: boolean;
  items: TaskItem[];
  /** Record shape the items were read from, e.g. `llm-foundry`, `huggingface`, `hellaswag-text`. */
  shape: string;
  /** One line stating the prompt template, for printing beside results. */
  template: string;
  /** Problems that did not stop loading. */
  warnings: string[];
}
