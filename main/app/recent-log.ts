import { closeSync, existsSync, fstatSync, openSync, readSync } from 'node:fs';
import type { LogLevelName, LogLineView } from '../../preload/contract.js';
import { redactText } from '../adapters/logging/redact.js';
import { DEFAULT_ROTATION, logFilePath } from '../adapters/logging/rotating-file.js';

/**
 * The log view's lines: the newest lines of the main and engine log files (pino JSON lines,
 * main/adapters/logging/file-logger.ts), at or above a level, newest first, as words. The
 * loggers redact before writing; every field is redacted again here, so a line written by an
 * older version (or by hand) cannot show a secret in the window either.
 */

/** The processes that log (main/shell/main.ts, main/shell/engine-process.ts). */
const LOG_SOURCES = ['main', 'engine'] as const;
/** Enough for "recent" without reading megabytes on every open. */
const TAIL_BYTES = 256 * 1024;

/** pino's numeric levels (10 trace … 60 fatal), folded into the four the settings name. */
const levelOf = (value: unknown): LogLevelName => {
  const number = typeof value === 'number' ? value : 30;
  if (number >= 50) return 'error';
  if (number >= 40) return 'warn';
  if (number >= 30) return 'info';
  return 'debug';
};
const rank: Record<LogLevelName, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** The last `bytes` of a file, from the first whole line on. */
function tail(path: string, bytes: number): string {
  const descriptor = openSync(path, 'r');
  try {
    const size = fstatSync(descriptor).size;
    const start = Math.max(0, size - bytes);
    const buffer = Buffer.alloc(size - start);
    readSync(descriptor, buffer, 0, buffer.length, start);
    const text = buffer.toString('utf8');
    return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
  } finally {
    closeSync(descriptor);
  }
}

/** Fields pino adds to every line, or that the view shows on their own. */
const ENVELOPE = new Set(['level', 'time', 'process', 'msg', 'pid', 'hostname']);

function toLine(source: string, text: string): LogLineView | null {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return text.trim() ? { time: null, level: 'info', source, message: redactText(text.trim()), details: null } : null;
  }
  const rest = Object.fromEntries(Object.entries(entry).filter(([key]) => !ENVELOPE.has(key)));
  return {
    time: typeof entry.time === 'string' ? entry.time : null,
    level: levelOf(entry.level),
    source,
    message: redactText(typeof entry.msg === 'string' ? entry.msg : ''),
    details: Object.keys(rest).length > 0 ? redactText(JSON.stringify(rest)) : null,
  };
}

export function readRecentLog(directory: string, options: { level: LogLevelName; limit: number }): LogLineView[] {
  // Read order within a process is write order; it breaks ties between lines of the same millisecond.
  const lines: { line: LogLineView; sequence: number }[] = [];
  for (const source of LOG_SOURCES) {
    let budget = TAIL_BYTES;
    let newest = 0;
    for (let index = 0; index < DEFAULT_ROTATION.maxFiles && budget > 0; index += 1) {
      const path = logFilePath({ directory, baseName: source }, index);
      if (!existsSync(path)) break;
      const text = tail(path, budget);
      budget -= Buffer.byteLength(text);
      // Older rotated files hold older lines: their sequence continues below the newer file's.
      const rows = text.split('\n');
      rows.forEach((raw, position) => {
        const line = toLine(source, raw);
        if (line && rank[line.level] >= rank[options.level]) lines.push({ line, sequence: newest - (rows.length - 1 - position) });
      });
      newest -= rows.length;
    }
  }
  // ISO times sort as text; lines without a time (not pino's) go last.
  return lines
    .sort((a, b) => (b.line.time ?? '').localeCompare(a.line.time ?? '') || b.sequence - a.sequence)
    .slice(0, options.limit)
    .map((entry) => entry.line);
}

/** The lines as plain text for a support e-mail, oldest first like the files. */
export function logText(lines: readonly LogLineView[]): string {
  return [...lines]
    .reverse()
    .map((line) => `${line.time ?? '-'} ${line.level.toUpperCase().padEnd(5)} ${line.source}: ${line.message}${line.details ? ` ${line.details}` : ''}`)
    .join('\n');
}
