/**
 * Command specs and argument parsing (node:util parseArgs), with help text generated from
 * the same specs so flags and help never disagree.
 */
import { parseArgs } from 'node:util';
import { GpruneError } from '../core/errors';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Placeholder shown in help, e.g. FILE or N. */
  value?: string;
  description: string;
  default?: string | boolean;
}

export interface CommandSpec<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  name: string;
  summary: string;
  positionals: { name: string; description: string }[];
  options: O;
  examples: string[];
}

export type ParsedOptions<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: O[K]['type'] extends 'boolean' ? boolean : string | undefined;
};

/** Options every command accepts. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', description: 'Print one JSON document on stdout instead of tables.' },
  'log-level': { type: 'string', value: 'LEVEL', description: 'debug, info, warn (default), error or silent.' },
  threads: { type: 'string', value: 'N', description: 'onnxruntime intra-op threads (default: all CPUs).' },
  help: { type: 'boolean', short: 'h', description: 'Show this help.' },
} as const satisfies Record<string, OptionSpec>;

export function parseCommand<O extends Record<string, OptionSpec>>(spec: CommandSpec<O>, argv: string[]): { options: ParsedOptions<O & typeof COMMON_OPTIONS>; positionals: string[] } {
  const all: Record<string, OptionSpec> = { ...COMMON_OPTIONS, ...spec.options };
  const config: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  for (const [name, o] of Object.entries(all)) config[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  // `--sparsity -0.1` would read as two flags; join a negative number to its option.
  const args = argv.flatMap((a, i) => (i > 0 && /^-\.?\d/.test(a) && /^--[^=]+$/.test(argv[i - 1]) && all[argv[i - 1].slice(2)]?.type === 'string' ? [] : [a]));
  argv.forEach((a, i) => {
    if (i > 0 && /^-\.?\d/.test(a) && /^--[^=]+$/.test(argv[i - 1]) && all[argv[i - 1].slice(2)]?.type === 'string') {
      const at = args.lastIndexOf(argv[i - 1]);
      args[at] = `${argv[i - 1]}=${a}`;
    }
  });
  let parsed;
  try {
    parsed = parseArgs({ args, options: config, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new GpruneError('INVALID_ARGUMENT', `${(cause as Error).message.replace(/\. To specify.*$/s, '')}. Run \`gprune ${spec.name} --help\` for the options.`, { cause });
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const [name, o] of Object.entries(all)) if (values[name] === undefined && o.default !== undefined) values[name] = o.default;
  return { options: values as ParsedOptions<O & typeof COMMON_OPTIONS>, positionals: parsed.positionals };
}

export function helpText(spec: CommandSpec): string {
  const all = { ...spec.options, ...COMMON_OPTIONS } as Record<string, OptionSpec>;
  const usage = `gprune ${spec.name} ${spec.positionals.map((p) => p.name).join(' ')} [options]`;
  const rows = Object.entries(all).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`;
    const def = o.default !== undefined && o.default !== false ? ` (default: ${o.default})` : '';
    return [flag, o.description + def] as const;
  });
  const width = Math.max(...rows.map(([f]) => f.length)) + 2;
  return [
    `${spec.summary}`,
    '',
    `Usage: ${usage}`,
    '',
    ...spec.positionals.map((p) => `  ${p.name.padEnd(width)}${p.description}`),
    '',
    'Options:',
    ...rows.map(([f, d]) => `  ${f.padEnd(width)}${d}`),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}

/** Parses a number flag and checks its range; the message names the flag and the accepted range. */
export function numberOption(name: string, text: string | undefined, fallback: number, range: { min?: number; max?: number; integer?: boolean; maxExclusive?: boolean } = {}): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  const { min, max, integer, maxExclusive } = range;
  const rangeText = `${min ?? '-∞'}, ${max ?? '∞'}${maxExclusive ? ')' : ']'}`;
  const bad = !Number.isFinite(value) || text.trim() === '' || (integer && !Number.isInteger(value)) || (min !== undefined && value < min) || (max !== undefined && (maxExclusive ? value >= max : value > max));
  if (bad) throw new GpruneError('INVALID_ARGUMENT', `--${name} ${text} is invalid: expected ${integer ? 'an integer' : 'a number'} in [${rangeText}.`);
  return value;
}

/** Splits a comma-separated list flag, rejecting empty entries. */
export function listOption(name: string, text: string | undefined): string[] {
  if (text === undefined) return [];
  const items = text.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) throw new GpruneError('INVALID_ARGUMENT', `--${name} "${text}" has an empty entry; give a comma-separated list such as a.txt,b.txt.`);
  return items;
}

export function choiceOption<T extends string>(name: string, text: string | undefined, choices: readonly T[], fallback: T): T {
  if (text === undefined) return fallback;
  if (!choices.includes(text as T)) throw new GpruneError('INVALID_ARGUMENT', `--${name} "${text}" is not supported. Should be one of: ${choices.join(', ')}.`);
  return text as T;
}
