/**
 * Perplexity of the dense model and of saved variants on held-out datasets, through
 * keep-masks (and compensation biases) on one instrumented session.
 */
import type { InspectedModel } from '../../src/core/api';
import type { TextDataset } from '../../src/core/data/dataset';
import type { TextTokenizer } from '../../src/core/data/tokenizer';
import { makeWindows } from '../../src/core/data/windows';
import type { LayerOverrides } from '../../src/core/run/feeds';
import type { EvalRequest, EvalResult, EvalRow, JobProgress } from './api';
import { maskedNll } from './maskedLoss';
import type { ModelSessions } from './sessions';

/** A pruning candidate to evaluate; no overrides means the dense model. */
export interface Variant {
  id: string;
  label: string;
  overrides: LayerOverrides | undefined;
}

export const EVAL_METHOD = 'exp(mean NLL) over all predicted tokens; pruned variants run through keep-masks on the instrumented graph, which gives the logits of the physically pruned model';

export async function evaluateVariants(
  context: { model: InspectedModel; tokenizer: TextTokenizer; sessions: ModelSessions },
  datasets: readonly TextDataset[],
  variants: readonly Variant[],
  request: EvalRequest,
  signal: AbortSignal,
  onProgress: (event: JobProgress) => void,
): Promise<EvalResult> {
  const bos = context.tokenizer.bosId === null ? 'none' : 'prepend';
  // makeWindows returns the token count of its windows (`tokens`), so progress needs no recount.
  const sets = datasets.map((dataset) => ({ dataset, ...makeWindows(dataset, context.tokenizer, { seqlen: request.seqlen, mode: 'concat', bos, maxWindows: request.maxWindows }, { signal }) }));
  const total = sets.reduce((sum, set) => sum + set.tokens, 0) * variants.length;

  let done = 0;
  const rows: EvalRow[] = [];
  for (const variant of variants) {
    for (const set of sets) {
      const base = done;
      const detail = `${variant.label} on ${set.dataset.name}`;
      const result = await maskedNll(context.sessions, context.model, set.windows, {
        overrides: variant.overrides,
        batchSize: request.batchSize,
        signal,
        dataset: set.dataset.name,
        onTokens: (tokens) => onProgress({ phase: 'eval', done: base + tokens, total, unit: 'tokens', detail }),
      });
      done += set.tokens;
      rows.push({ variant: variant.id, label: variant.label, dataset: set.dataset.name, nll: result.nll, perplexity: result.perplexity, tokens: result.tokens });
    }
  }
  onProgress({ phase: 'eval', done: total, total, unit: 'tokens', detail: 'done' });
  return { rows, protocol: Object.fromEntries(sets.map((set) => [set.dataset.name, set.protocol])), method: EVAL_METHOD };
}
