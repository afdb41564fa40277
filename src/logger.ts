/** One logger for the library: JSON lines on stderr by default, nothing on stdout. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Readonly<Record<string, unknown>>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds `fields` to every line (runId, documentId, page). */
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface JsonLoggerOptions {
  /** Lowest level written. Default: `info`, or `NEWSPRINT_LOG_LEVEL`. */
  readonly level?: LogLevel;
  /** Where lines go. Default: process.stderr. */
  readonly write?: (line: string) => void;
  readonly fields?: LogFields;
}

export function createJsonLogger(options: JsonLoggerOptions = {}): Logger {
  const envLevel = process.env['NEWSPRINT_LOG_LEVEL'];
  const level: LogLevel =
    options.level ?? (envLevel && envLevel in ORDER ? (envLevel as LogLevel) : 'info');
  const write = options.write ?? ((line: string) => void process.stderr.write(line));
  const base = options.fields ?? {};
  const emit = (lvl: LogLevel, message: string, fields?: LogFields): void => {
    if (ORDER[lvl] < ORDER[level]) return;
    const record = { time: new Date().toISOString(), level: lvl, msg: message, ...serialiseFields(base), ...serialiseFields(fields) };
    write(JSON.stringify(record) + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createJsonLogger({ level, write, fields: { ...base, ...fields } }),
  };
}

export const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  child: () => silentLogger,
};

/** How deep a chain of causes is followed: deeper ones are cut, so a cycle cannot loop. */
const MAX_CAUSE_DEPTH = 5;
/** Longest stack kept per error, in characters. */
const MAX_STACK_CHARS = 4000;

export interface SerialisedError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly stage?: string;
  readonly fault?: string;
  readonly stack?: string;
  readonly cause?: SerialisedError | string;
}

/**
 * An Error as plain JSON: JSON.stringify writes `{}` for one, which dropped every stack and cause.
 * Causes are followed to MAX_CAUSE_DEPTH; a cause that is not an Error is kept as text.
 */
export function serialiseError(err: unknown, depth = 0): SerialisedError | string {
  if (!(err instanceof Error)) return typeof err === 'string' ? err : safeText(err);
  const extra = err as Error & { code?: unknown; stage?: unknown; fault?: unknown };
  const out: { -readonly [K in keyof SerialisedError]: SerialisedError[K] } = { name: err.name, message: err.message };
  if (typeof extra.code === 'string') out.code = extra.code;
  if (typeof extra.stage === 'string') out.stage = extra.stage;
  if (typeof extra.fault === 'string') out.fault = extra.fault;
  if (typeof err.stack === 'string') out.stack = err.stack.length > MAX_STACK_CHARS ? `${err.stack.slice(0, MAX_STACK_CHARS)}…` : err.stack;
  if (err.cause !== undefined) out.cause = depth + 1 >= MAX_CAUSE_DEPTH ? '(more causes left out)' : serialiseError(err.cause, depth + 1);
  return out;
}

function serialiseFields(fields: LogFields | undefined): LogFields {
  if (fields === undefined) return {};
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (!(value instanceof Error)) continue;
    out ??= { ...fields };
    out[key] = serialiseError(value);
  }
  return out ?? fields;
}

function safeText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
