/**
 * Zero-shot scoring of a task through the instrumented graph's per-token NLL output: the
 * log-likelihood of every choice given its context, with keep-masks and biases fed as
 * inputs so pruned variants score without re-export.
 */
import type { TextTokenizer } from '../data/tokenizer';
import type { SessionHandle } from '../engine';
import { GpruneError, throwIfAborted } from '../errors';
import { logger } from '../log';
import type { LoadedModel } from '../run/loaded';
import { LABELS, NLL, maskInput } from '../surgery/names';
import { type EncodedRequest, encodeItem } from './multipleChoiceEncode';
import { type CachePair, findCachePairs } from './multipleChoiceFeeds';
import { DEFAULT_SCORE_TASK_OPTIONS, type ScoreTaskOptions, modelMaxLength, validateScoreTaskOptions } from './multipleChoiceOptions';
import { type ItemRows, chunkItems, itemRows } from './multipleChoiceRows';
import { type RowScore, scoreChunk } from './multipleChoiceRun';
import { type ItemScore, type TaskScore, summarizeTask } from './multipleChoiceSummary';
import type { ZeroShotTask } from './tasks/types';

const log = logger('eval');

export type ScoringMethod = 'prefix-cache' | 'batched' | 'per-request';

export interface TaskResult extends TaskScore {
  /** Method that scored the rows; `auto` resolves to prefix-cache or batched. */
  strategy: ScoringMethod;
  /** One line stating the prompt, BOS, tokenization and normalization, to print beside results. */
  protocol: string;
  /** Requests that lost context tokens from the left to fit the maximum length. */
  truncatedRequests: number;
}

/**
 * Scores `task` on `session`, which must be instrumented with the NLL output (and with mask
 * inputs when `overrides` is given). Raises INVALID_ARGUMENT for a session without them and
 * CANCELLED when `signal` aborts between runs.
 */
export async function scoreTask(session: SessionHandle, loaded: LoadedModel, tokenizer: TextTokenizer, task: ZeroShotTask, options: Partial<ScoreTaskOptions> = {}): Promise<TaskResult> {
  const opts: ScoreTaskOptions = { ...DEFAULT_SCORE_TASK_OPTIONS, ...options };
  validateScoreTaskOptions(opts);
  checkSession(session, loaded, opts);

  const items = task.items.slice(0, opts.limit ?? task.items.length);
  const addBos = opts.addBos ?? tokenizer.bosId !== null;
  if (addBos && tokenizer.bosId === null) throw new GpruneError('INVALID_CONFIG', 'addBos is true but the tokenizer has no BOS token. Set addBos to false or use a tokenizer_config.json that names bos_token.');
  const maxLength = opts.maxLength ?? modelMaxLength(loaded);
  const encodeOptions = { prefixId: addBos ? tokenizer.bosId : null, emptyContextId: tokenizer.bosId ?? tokenizer.eosId, maxLength };
  const encoded = items.map((item) => encodeItem(tokenizer, item, encodeOptions));
  const truncatedRequests = encoded.flat().filter((r) => r.truncated).length;
  const emptyContinuations = encoded.flat().filter((r) => r.continuationTokens === 0).length;
  if (emptyContinuations > 0) log.warn(`${task.name}: ${emptyContinuations} continuations have no tokens of their own after encode(context); they score log-likelihood 0, as in lm-evaluation-harness.`);

  const pairs = opts.strategy === 'batched' || opts.strategy === 'per-request' ? null : findCachePairs(session, loaded);
  if (opts.strategy === 'prefix-cache' && !pairs) {
    throw new GpruneError('INVALID_ARGUMENT', 'strategy prefix-cache needs a graph with past_key_values inputs and present outputs. Use strategy batched or auto for this model.');
  }
  const greedy = task.kind === 'lambada';
  const run = new ScoringRun(session, loaded, encoded, { ...opts, greedy, pairs, taskName: task.name, total: items.length });
  const rowScores = await run.scoreAll();

  const scores: ItemScore[] = encoded.map((requests, i) => ({
    logLikelihoods: rowScores[i].map((s) => s.logLikelihood),
    tokens: requests.map((r) => r.continuationTokens),
    greedy: rowScores[i].map((s) => s.greedy),
    gold: items[i].gold,
  }));
  const summary = summarizeTask({ ...task, items }, scores, opts.lengthUnit);
  const protocol =
    `${task.template}; ${addBos ? 'BOS before each context' : 'no BOS'}; continuation tokens = encode(context + continuation) after encode(context); ` +
    `${task.kind === 'lambada' ? 'acc = every target token greedy, perplexity = exp(-mean log-likelihood)' : `acc_norm divides by ${opts.lengthUnit}`}; ` +
    `at most ${maxLength} tokens per request${truncatedRequests ? ` (${truncatedRequests} cut from the left)` : ''}`;
  return { ...summary, strategy: run.method, protocol, truncatedRequests };
}

function checkSession(session: SessionHandle, loaded: LoadedModel, opts: ScoreTaskOptions): void {
  if (!session.inputNames.includes(LABELS) || !session.outputNames.includes(NLL)) {
    throw new GpruneError('INVALID_ARGUMENT', `The session has no ${LABELS} input or ${NLL} output. Create it with createSession(engine, loaded, { nll: true }).`);
  }
  const firstLayer = loaded.anatomy.ffn[0]?.layer;
  if (opts.overrides && firstLayer !== undefined && !session.inputNames.includes(maskInput(firstLayer))) {
    throw new GpruneError('INVALID_ARGUMENT', 'Masks or biases were given but the session has no mask inputs, so they would be ignored. Create it with createSession(engine, loaded, { masks: true, nll: true }).');
  }
}

interface RunSettings extends ScoreTaskOptions {
  greedy: boolean;
  pairs: CachePair[] | null;
  taskName: string;
  total: number;
}

/** Runs every item's rows in chunks, checks the prefix cache once under `auto`, and reports progress. */
class ScoringRun {
  method: ScoringMethod;

  constructor(
    private readonly session: SessionHandle,
    private readonly loaded: LoadedModel,
    private readonly encoded: EncodedRequest[][],
    private readonly settings: RunSettings,
  ) {
    if (settings.strategy === 'per-request') this.method = 'per-request';
    else if (settings.pairs) this.method = 'prefix-cache';
    else this.method = 'batched';
  }

  /** Row scores per item, in request order. */
  async scoreAll(): Promise<RowScore[][]> {
    const result: RowScore[][] = this.encoded.map(() => []);
    const chunks = this.chunks();
    let done = 0;
    for (const [index, chunk] of chunks.entries()) {
      throwIfAborted(this.settings.signal);
      const scores = index === 0 && this.settings.strategy === 'auto' && this.method === 'prefix-cache' ? await this.checkedFirstChunk(chunk) : await this.scoreRows(chunk, this.method);
      const rows = chunk.flatMap((entry) => entry.rows);
      rows.forEach((row, i) => (result[row.item][row.request] = scores[i]));
      done += new Set(rows.map((row) => row.item)).size;
      this.settings.onProgress?.({ phase: 'score', task: this.settings.taskName, done: Math.min(done, this.settings.total), total: this.settings.total, unit: 'items' });
    }
    return result;
  }

  private chunks(): ItemRows[][] {
    if (this.method === 'per-request') {
      return this.encoded.flatMap((requests, item) => itemRows(item, requests, false).rows.map((row) => [{ item, prefix: new Int32Array(0), rows: [row] }]));
    }
    const entries = this.encoded.map((requests, item) => itemRows(item, requests, this.method === 'prefix-cache'));
    return chunkItems(entries, this.settings.batchSize);
  }

  /** Without the prefix cache, rows built after a shared prefix are rebuilt whole; the row order is kept. */
  private scoreRows(chunk: ItemRows[], method: ScoringMethod): Promise<RowScore[]> {
    const pairs = method === 'prefix-cache' ? this.settings.pairs : null;
    const rows = pairs ? chunk : chunk.map((entry) => (entry.prefix.length > 0 ? itemRows(entry.item, this.encoded[entry.item], false) : entry));
    return scoreChunk(this.session, this.loaded, rows, { overrides: this.settings.overrides, cachePairs: pairs, greedy: this.settings.greedy });
  }

  /**
   * Scores the first chunk with the prefix cache and with whole rows. Graphs whose attention
   * ignores a padded cache, or that fail on it, make `auto` fall back to batched runs.
   * NOTE: only the first chunk is compared, so a graph that mishandles longer padded
   * prefixes later in the task would go unnoticed. Fused attention operators that assume a
   * contiguous attention mask are such graphs; standard-operator Optimum exports are not.
   */
  private async checkedFirstChunk(chunk: ItemRows[]): Promise<RowScore[]> {
    const reference = await this.scoreRows(chunk, 'batched');
    let cached: RowScore[] | undefined;
    try {
      cached = await this.scoreRows(chunk, 'prefix-cache');
    } catch (error) {
      if (error instanceof GpruneError && error.code === 'CANCELLED') throw error;
      log.warn(`The prefix cache failed on this graph (${error instanceof Error ? error.message : String(error)}); scoring with whole rows instead.`);
    }
    const worst = cached ? Math.max(...cached.map((s, i) => Math.abs(s.logLikelihood - reference[i].logLikelihood) / Math.max(1, Math.abs(reference[i].logLikelihood)))) : Infinity;
    if (worst > PREFIX_CACHE_TOLERANCE) {
      if (cached) log.warn(`Log-likelihoods with the prefix cache differ from whole rows by up to ${worst.toExponential(2)} (relative); scoring with whole rows instead.`);
      this.method = 'batched';
      this.settings.pairs = null;
      return reference;
    }
    return cached!;
  }
}

/**
 * Largest relative difference between prefix-cache and whole-row log-likelihoods that
 * `auto` accepts. On the stories260K KV fixture in float32 the two differed by at most about
 * 1e-6 relative. A graph that ignores the cache's padding is off by far more.
 */
const PREFIX_CACHE_TOLERANCE = 1e-3;
