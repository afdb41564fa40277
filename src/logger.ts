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
    const record = { time: new Date().toISOString(), level: lvl, msg: message, ...base, ...fields };
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
