/**
 * Runs one measurement in a fresh Node process, so its peak RSS (getrusage maxRSS) belongs
 * to that measurement alone. The child prints one JSON line starting with RESULT_PREFIX.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const RESULT_PREFIX = 'BENCH_RESULT ';

/** Runs `script` with tsx and returns the object the child printed with `reportResult`. */
export async function runChild<T>(script: string, args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', script, ...args], { maxBuffer: 64 * 2 ** 20 });
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) throw new Error(`${script} ${args.join(' ')} printed no result:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as T;
}

/** Prints the child's result, adding its peak RSS in bytes (maxRSS is in KiB). */
export function reportResult(result: Record<string, unknown>): void {
  console.log(RESULT_PREFIX + JSON.stringify({ ...result, maxRss: process.resourceUsage().maxRSS * 1024 }));
}
