/**
 * The machine and software a benchmark ran on, for the record beside its numbers.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function packageVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

/** `Model name` from lscpu, else os.cpus(). */
function cpuModel(): string {
  try {
    const line = execFileSync('lscpu', { encoding: 'utf8' }).split('\n').find((l) => l.startsWith('Model name:'));
    if (line) return line.slice('Model name:'.length).trim();
  } catch {
    // lscpu is missing outside Linux; fall through
  }
  return os.cpus()[0]?.model ?? 'unknown CPU';
}

/** Returns one line: CPU (lscpu), cores, memory, OS, Node (node -v) and onnxruntime versions. */
export function machineLine(): string {
  const memory = (os.totalmem() / 2 ** 30).toFixed(0);
  return `${cpuModel()} × ${os.availableParallelism()} cores, ${memory} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, onnxruntime-node ${packageVersion('onnxruntime-node')}, onnxruntime-web ${packageVersion('onnxruntime-web')}`;
}

/** Returns the command that ran this benchmark, as a user would type it. */
export function commandLine(): string {
  const script = path.relative(ROOT, process.argv[1]);
  return ['npx tsx', script, ...process.argv.slice(2)].join(' ');
}
