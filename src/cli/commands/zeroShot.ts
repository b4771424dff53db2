/**
 * Zero-shot tasks for `gprune eval --tasks`: finds each task's file, scores it, and prints
 * acc, acc_norm and their standard errors per task and on average.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { TextTokenizer } from '../../core/data/tokenizer';
import { GpruneError } from '../../core/errors';
import { type TaskResult, scoreTask } from '../../core/eval/multipleChoice';
import { TASK_TEMPLATES, parseTask, resolveTaskFile } from '../../core/eval/tasks';
import type { LayerOverrides } from '../../core/run/feeds';
import { type LoadedModel, createSession } from '../../core/run/loaded';
import type { OptionSpec } from '../args';
import type { CliContext } from '../main';
import { table } from '../output';

export const zeroShotOptions = {
  tasks: { type: 'string', value: 'A,B', description: `Zero-shot tasks to score: ${TASK_TEMPLATES.map((t) => t.id).join(', ')}, or any name whose file has LLM Foundry fields.` },
  data: { type: 'string', value: 'PATHS', description: 'Comma-separated task folders and files, or TASK=FILE pairs; a folder is searched for TASK.jsonl (hellaswag: hellaswag*.jsonl or .txt).' },
  limit: { type: 'string', value: 'N', description: 'Score only the first N items of each task (default: all).' },
} as const satisfies Record<string, OptionSpec>;

export interface ZeroShotSettings {
  tasks: string[];
  data: string[];
  limit?: number;
  batchSize: number;
}

/**
 * Maps each task to its file. A TASK=FILE entry names the file directly; otherwise files
 * given in `data` and files directly inside folders given in `data` are matched by name.
 */
export async function findTaskFiles(tasks: string[], data: string[]): Promise<{ task: string; file: string }[]> {
  if (data.length === 0) throw new GpruneError('INVALID_ARGUMENT', '--tasks needs --data: the folders or files that hold the task files (e.g. --data ./eval-data).');
  const named = new Map<string, string>();
  const candidates: string[] = [];
  for (const entry of data) {
    const pair = /^([A-Za-z0-9_.-]+)=(.+)$/.exec(entry);
    if (pair && !(await isFile(entry))) {
      named.set(pair[1], pair[2]);
      continue;
    }
    const stat = await fs.stat(entry).catch(() => null);
    if (!stat) throw new GpruneError('DATASET_NOT_FOUND', `--data entry ${entry} does not exist. Give task folders, task files, or TASK=FILE pairs.`);
    if (stat.isDirectory()) candidates.push(...(await fs.readdir(entry)).map((name) => path.join(entry, name)));
    else candidates.push(entry);
  }
  return tasks.map((task) => {
    const file = named.get(task) ?? resolveTaskFile(task, candidates);
    if (!file) {
      throw new GpruneError('DATASET_NOT_FOUND', `No file for task ${task} in --data ${data.join(',')}. Expected ${task}.jsonl (or a name starting with "${task}_") there, or pass ${task}=FILE.`);
    }
    return { task, file };
  });
}

async function isFile(entry: string): Promise<boolean> {
  return fs.stat(entry).then((s) => s.isFile(), () => false);
}

/** Scores each task on one session; `overrides` scores a pruned variant through mask inputs. */
export async function scoreTasks(ctx: CliContext, loaded: LoadedModel, tokenizer: TextTokenizer, settings: ZeroShotSettings, overrides?: LayerOverrides): Promise<TaskResult[]> {
  const files = await findTaskFiles(settings.tasks, settings.data);
  const session = await createSession(ctx.engine(), loaded, { stats: false, masks: !!overrides, nll: true });
  try {
    const results: TaskResult[] = [];
    for (const { task, file } of files) {
      const bytes = new Uint8Array(await fs.readFile(file));
      const parsed = parseTask({ task, file, bytes }, { limit: settings.limit });
      for (const warning of parsed.warnings) process.stderr.write(`gprune eval: ${warning}\n`);
      results.push(await scoreTask(session, loaded, tokenizer, parsed, { batchSize: settings.batchSize, overrides, onProgress: ctx.progress }));
    }
    return results;
  } finally {
    ctx.finishProgress();
    await session.release();
  }
}

/** Averages acc over all tasks, and acc_norm over the tasks that report it. */
export function averageScores(results: TaskResult[]): { acc: number; acc_norm: number | null; tasks: number } {
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const norms = results.flatMap((r) => (r.accNorm === null ? [] : [r.accNorm]));
  return { acc: mean(results.map((r) => r.acc)), acc_norm: norms.length ? mean(norms) : null, tasks: results.length };
}

/** Builds the `tasks` and `average` members of `gprune eval --json`. */
export function zeroShotJson(results: TaskResult[]): { tasks: Record<string, unknown>; average: ReturnType<typeof averageScores> } {
  const tasks = Object.fromEntries(
    results.map((r) => [
      r.task,
      {
        acc: r.acc,
        acc_norm: r.accNorm,
        stderr: r.accStderr,
        acc_norm_stderr: r.accNormStderr,
        ...(r.perplexity === null ? {} : { perplexity: r.perplexity }),
        items: r.items,
        strategy: r.strategy,
        protocol: r.protocol,
      },
    ]),
  );
  return { tasks, average: averageScores(results) };
}

export function printZeroShot(results: TaskResult[]): void {
  const percent = (x: number | null) => (x === null || Number.isNaN(x) ? '-' : (100 * x).toFixed(2));
  const rows = results.map((r) => [r.task, r.items, percent(r.acc), percent(r.accStderr), percent(r.accNorm), percent(r.accNormStderr), r.perplexity === null ? '-' : r.perplexity.toFixed(3)]);
  const average = averageScores(results);
  rows.push([`average (${average.tasks})`, '', percent(average.acc), '', percent(average.acc_norm), '', '']);
  console.log(table(['task', 'items', 'acc %', '± stderr', 'acc_norm %', '± stderr', 'perplexity'], rows));
  console.log('\nZero-shot protocol: log-likelihood of each continuation given its context (lm-evaluation-harness prompts); stderr = sample std / sqrt(n).');
  for (const r of results) console.log(`  ${r.task} (${r.strategy}): ${r.protocol}`);
}
