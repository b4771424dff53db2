/**
 * Entry of the `gprune` CLI: dispatches to a command, turns GpruneError into a one-line
 * message with its code and a non-zero exit, and keeps stack traces for --log-level debug.
 */
import type { Engine } from '../core/engine';
import { GpruneError, isGpruneError } from '../core/errors';
import { type LogLevel, setLogLevel } from '../core/log';
import type { ProgressListener } from '../core/progress';
import { createNodeEngine } from '../runtime/nodeEngine';
import { type CommandSpec, choiceOption, helpText, numberOption } from './args';
import { demo, demoSpec } from './commands/demo';
import { evalCommand, evalSpec } from './commands/eval';
import { inspect, inspectSpec } from './commands/inspect';
import { profile, profileSpec } from './commands/profile';
import { prune, pruneSpec } from './commands/prune';
import { createProgressBar } from './progressBar';

export interface CliContext {
  engine(): Engine;
  progress: ProgressListener;
  finishProgress(): void;
  requireModel(positionals: string[], spec: CommandSpec): string;
}

const COMMANDS: Record<string, { spec: CommandSpec; run: (argv: string[], ctx: CliContext) => Promise<number> }> = {
  inspect: { spec: inspectSpec, run: inspect },
  profile: { spec: profileSpec, run: profile },
  prune: { spec: pruneSpec, run: prune },
  eval: { spec: evalSpec, run: evalCommand },
  demo: { spec: demoSpec, run: demo },
};

const USAGE = `gprune: generalization-aware structured pruning of ONNX LLMs.

Usage: gprune <command> [MODEL] [options]

Commands:
${Object.values(COMMANDS)
  .map(({ spec }) => `  ${spec.name.padEnd(9)}${spec.summary}`)
  .join('\n')}

MODEL is a model folder (onnx-community layout: onnx/model.onnx, config.json, tokenizer.json)
or the path of an .onnx file. Run \`gprune <command> --help\` for a command's options.
`;

/** Reads a flag's value from raw argv before the command parses it (global flags). */
function peek(argv: string[], flag: string): string | undefined {
  const i = argv.findIndex((a) => a === flag || a.startsWith(`${flag}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].split('=').slice(1).join('=') : argv[i + 1];
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name ? 0 : 1;
  }
  if (name === '--version') {
    console.log('gprune 0.1.0');
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`gprune: error [INVALID_ARGUMENT]: unknown command "${name}". Commands: ${Object.keys(COMMANDS).join(', ')}.\n`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpText(command.spec));
    return 0;
  }

  let level: LogLevel = 'warn';
  try {
    level = choiceOption('log-level', peek(rest, '--log-level'), ['debug', 'info', 'warn', 'error', 'silent'] as const, 'warn');
    setLogLevel(level);
    const threads = numberOption('threads', peek(rest, '--threads'), 0, { min: 1, max: 256, integer: true });
    const json = rest.includes('--json');
    const bar = createProgressBar(!json);
    let engine: Engine | undefined;
    const ctx: CliContext = {
      engine: () => (engine ??= createNodeEngine(threads ? { threads } : {})),
      progress: (e) => bar.update(e),
      finishProgress: () => bar.done(),
      requireModel(positionals, spec) {
        if (positionals.length === 0) throw new GpruneError('INVALID_ARGUMENT', `gprune ${spec.name} needs a MODEL (a model folder or an .onnx file). Run \`gprune ${spec.name} --help\`.`);
        if (positionals.length > 1) throw new GpruneError('INVALID_ARGUMENT', `gprune ${spec.name} takes one MODEL, got ${positionals.length}: ${positionals.join(' ')}. Separate list values with commas.`);
        return positionals[0];
      },
    };
    try {
      return await command.run(rest, ctx);
    } finally {
      bar.done();
    }
  } catch (error) {
    if (isGpruneError(error)) {
      process.stderr.write(`gprune ${name}: error [${error.code}]: ${error.message}\n`);
      if (level === 'debug' && error.stack) process.stderr.write(`${error.stack}\n`);
      return error.code === 'CANCELLED' ? 130 : 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`gprune ${name}: unexpected error: ${message}\nRun again with --log-level debug for the stack trace, and report it with the command you ran.\n`);
    if (level === 'debug' && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return 2;
  }
}
