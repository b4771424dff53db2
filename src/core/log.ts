/**
 * One levelled logger for the whole project. Quiet by default (`warn`); messages may be
 * passed as functions so that costly summaries are only formatted when the level is on.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3, silent: 4 };

type Message = string | (() => string);
export type LogSink = (level: Exclude<LogLevel, 'silent'>, tag: string, text: string) => void;

const consoleSink: LogSink = (level, tag, text) => {
  const line = `[${tag}] ${text}`;
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.error(line); // debug and info go to stderr so stdout stays clean for --json
};

const state: { level: LogLevel; sink: LogSink; warned: Set<string> } = {
  level: 'warn',
  sink: consoleSink,
  warned: new Set(),
};

export function setLogLevel(level: LogLevel): void {
  state.level = level;
}

export function getLogLevel(): LogLevel {
  return state.level;
}

/** Replaces where log lines go (the worker forwards them to the page, tests capture them). */
export function setLogSink(sink: LogSink): void {
  state.sink = sink;
}

function emit(level: Exclude<LogLevel, 'silent'>, tag: string, message: Message): void {
  if (ORDER[level] < ORDER[state.level]) return;
  state.sink(level, tag, typeof message === 'function' ? message() : message);
}

/** A logger whose lines carry `tag`, e.g. `logger('profile').info(...)`. */
export function logger(tag: string) {
  return {
    debug: (message: Message) => emit('debug', tag, message),
    info: (message: Message) => emit('info', tag, message),
    warn: (message: Message) => emit('warn', tag, message),
    error: (message: Message) => emit('error', tag, message),
    /** Warns once per process for the same key. */
    warnOnce: (key: string, message: Message) => {
      if (state.warned.has(key)) return;
      state.warned.add(key);
      emit('warn', tag, message);
    },
  };
}

/** Maps our level onto onnxruntime's logSeverityLevel (0 verbose … 4 fatal), one step quieter. */
export function ortSeverity(level: LogLevel = state.level): 0 | 1 | 2 | 3 | 4 {
  return level === 'debug' ? 2 : level === 'info' ? 3 : 3;
}
