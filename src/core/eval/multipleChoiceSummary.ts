/**
 * Task-level results from per-item log-likelihoods: acc and acc_norm with their standard
 * errors for choice tasks, greedy accuracy and perplexity for LAMBADA.
 */
import { type LengthUnit, mean, meanStderr, perplexityOfLogLikelihoods, predictByLogLikelihood, predictByNormalizedLogLikelihood } from './multipleChoiceMetrics';
import type { ZeroShotTask } from './tasks/types';

export interface ItemScore {
  /** Summed log-likelihood of each request's continuation, in nats. */
  logLikelihoods: number[];
  /** Continuation tokens scored per request. */
  tokens: number[];
  /** Per request: every continuation token was the greedy choice (LAMBADA only, else null). */
  greedy: (boolean | null)[];
  gold: number;
}

export interface TaskScore {
  task: string;
  kind: ZeroShotTask['kind'];
  items: number;
  /** Choice tasks: share of items whose largest log-likelihood is the gold one. LAMBADA: share of greedy matches. */
  acc: number;
  accStderr: number;
  /** Share of items whose largest log-likelihood per unit of choice length is the gold one; null for LAMBADA. */
  accNorm: number | null;
  accNormStderr: number | null;
  /** LAMBADA only: exp(−mean log-likelihood of the target). */
  perplexity: number | null;
  perItem: ItemScore[];
}

export function summarizeTask(task: ZeroShotTask, scores: ItemScore[], lengthUnit: LengthUnit): TaskScore {
  const base = { task: task.name, kind: task.kind, items: scores.length, perItem: scores };
  if (task.kind === 'lambada') {
    const hits = scores.map((s) => (s.greedy[0] ? 1 : 0));
    return { ...base, acc: mean(hits), accStderr: meanStderr(hits), accNorm: null, accNormStderr: null, perplexity: perplexityOfLogLikelihoods(scores.map((s) => s.logLikelihoods[0])) };
  }
  const hits = scores.map((s) => (predictByLogLikelihood(s.logLikelihoods) === s.gold ? 1 : 0));
  const normHits = scores.map((s, i) => (predictByNormalizedLogLikelihood(s.logLikelihoods, task.items[i].choiceTexts, lengthUnit) === s.gold ? 1 : 0));
  return {
    ...base,
    acc: mean(hits),
    accStderr: meanStderr(hits),
    accNorm: task.hasAccNorm ? mean(normHits) : null,
    accNormStderr: task.hasAccNorm ? meanStderr(normHits) : null,
    perplexity: null,
  };
}
