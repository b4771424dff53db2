import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const REPO = path.resolve(__dirname, '../..');
export const SHARED = path.resolve(REPO, '../shared');
export const FIXTURE = path.join(SHARED, 'models/stories260K-llama');
export const FIXTURE_KV = path.join(SHARED, 'models/stories260K-llama-kv');
export const STORIES = path.join(SHARED, 'assets/tinystories-valid/validation_100.txt');
export const PTB_VALID = path.join(SHARED, 'assets/ptb/ptb.valid.txt');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `gprune ARGS` as a user would, through bin/gprune.js. */
export function gprune(...args: string[]): CliResult {
  const result = spawnSync(process.execPath, [path.join(REPO, 'bin/gprune.js'), ...args], { cwd: REPO, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
