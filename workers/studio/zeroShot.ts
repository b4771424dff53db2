/**
 * Zero-shot task scores (acc, acc_norm and their standard errors) of the dense model and of
 * saved variants, through keep-masks on the mask + NLL session that evaluation shares.
 */
import type { InspectedModel } from '../../src/core/api';
import type { TextTokenizer } from '../../src/core/data/tokenizer';
import { GpruneError } from '../../src/core/errors';
import { scoreTask } from '../../src/core/eval/multipleChoice';
import { type ZeroShotTask, parseTask } from '../../src/core/eval/tasks';
import type { JobProgress, TaskEvalRequest, TaskEvalResult, TaskFileInput, TaskFileSummary, TaskScoreRow } from './api';
import type { Variant } from './evaluation';
import type { ModelSessions } from './sessions';

export const TASK_METHOD = 'log-likelihood of each choice given its context (lm-evaluation-harness prompts); acc picks the largest sum, acc_norm the largest per byte of choice text; stderr = sample std / sqrt(n); pruned variants run through keep-masks on the instrumented graph';

/** Parses a dropped task file. The parser's errors name the file (and the line for JSON lines). */
export async function readTaskFile(input: TaskFileInput, limit: number): Promise<ZeroShotTask> {
  if (!(Number.isInteger(limit) && limit >= 1)) throw new GpruneError('INVALID_ARGUMENT', `Item limit ${limit} is invalid: give a positive whole number of items per task.`);
  const bytes = new Uint8Array(await input.data.arrayBuffer());
  return parseTask({ task: input.task, file: input.file, bytes }, { limit });
}

export function summarizeTaskFile(input: TaskFileInput, task: ZeroShotTask): TaskFileSummary {
  return { task: task.name, file: input.file, items: task.items.length, kind: task.kind, shape: task.shape, warnings: task.warnings };
}

/**
 * Parses every task file first (so a bad file fails before any scoring), then scores each
 * task on each variant. Progress counts items over all tasks and variants.
 */
export async function evaluateTaskFiles(
  context: { model: InspectedModel; tokenizer: TextTokenizer; sessions: ModelSessions },
  variants: readonly Variant[],
  request: TaskEvalRequest,
  signal: AbortSignal,
  onProgress: (event: JobProgress) => void,
): Promise<TaskEvalResult> {
  if (request.tasks.length === 0) throw new GpruneError('INVALID_ARGUMENT', 'No task files were given. Drop at least one task file (.jsonl, or the HellaSwag .txt) first.');
  const tasks: { input: TaskFileInput; task: ZeroShotTask }[] = [];
  for (const input of request.tasks) tasks.push({ input, task: await readTaskFile(input, request.limit) });
  const total = tasks.reduce((sum, entry) => sum + entry.task.items.length, 0) * variants.length;

  const session = await context.sessions.masks();
  const rows: TaskScoreRow[] = [];
  const protocol: Record<string, string> = {};
  let done = 0;
  for (const variant of variants) {
    for (const { input, task } of tasks) {
      const base = done;
      const detail = `${variant.label} on ${task.name}`;
      // Runs go through the session's queue so they never overlap a loss estimate or a search step.
      const result = await context.sessions.queue.run(() =>
        scoreTask(session, context.model, context.tokenizer, task, {
          batchSize: request.batchSize,
          overrides: variant.overrides,
          signal,
          onProgress: (event) => {
            if (event.phase === 'score') onProgress({ phase: 'tasks', done: base + event.done, total, unit: 'items', detail });
          },
        }),
      );
      done += task.items.length;
      protocol[task.name] = result.protocol;
      rows.push({
        variant: variant.id,
        label: variant.label,
        task: task.name,
        file: input.file,
        items: result.items,
        acc: result.acc,
        accStderr: result.accStderr,
        accNorm: result.accNorm,
        accNormStderr: result.accNormStderr,
        perplexity: result.perplexity,
        strategy: result.strategy,
      });
    }
  }
  onProgress({ phase: 'tasks', done: total, total, unit: 'items', detail: 'done' });
  return { rows, protocol, method: TASK_METHOD };
}
