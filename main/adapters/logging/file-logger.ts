import pino, { type Logger } from 'pino';
import { redactText, redactValue } from './redact.js';
import { DEFAULT_ROTATION, RotatingFile } from './rotating-file.js';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export interface FileLoggerOptions {
  logsDirectory: string;
  /** One file set per process (`main`, `engine`): two processes must not rotate the same file. */
  baseName: string;
  level: LogLevel;
  maxBytes?: number;
  maxFiles?: number;
}

export interface FileLogger {
  logger: Logger;
  close(): void;
}

/**
 * JSON-lines logs, redacted twice: every argument is redacted before pino serialises it (so
 * key-based rules apply to objects), and each finished line is pattern-redacted again at the
 * destination (so nothing a serializer produced can slip through).
 */
export const createFileLogger = (options: FileLoggerOptions): FileLogger => {
  const file = new RotatingFile({
    directory: options.logsDirectory,
    baseName: options.baseName,
    maxBytes: options.maxBytes ?? DEFAULT_ROTATION.maxBytes,
    maxFiles: options.maxFiles ?? DEFAULT_ROTATION.maxFiles,
  });
  const logger = pino(
    {
      level: options.level,
      base: { process: options.baseName },
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: {
        logMethod(args, method) {
          method.apply(this, redactValue(args));
        },
      },
    },
    { write: (line: string) => file.write(redactText(line)) },
  );
  return { logger, close: () => file.close() };
};
