import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface RotationOptions {
  directory: string;
  /** File name without extension: `engine` → engine.log, engine.1.log, ... */
  baseName: string;
  /** Rotate before a write would take the current file past this size. */
  maxBytes: number;
  /** Files kept including the current one. */
  maxFiles: number;
}

export const DEFAULT_ROTATION = { maxBytes: 5 * 1024 * 1024, maxFiles: 5 } as const;

export const logFilePath = (options: Pick<RotationOptions, 'directory' | 'baseName'>, index: number): string =>
  join(options.directory, index === 0 ? `${options.baseName}.log` : `${options.baseName}.${index}.log`);

/**
 * A synchronous, size-rotated append-only file: a pino destination. Synchronous writes mean the
 * last lines before a crash are on disk, which is when support needs them most.
 */
export class RotatingFile {
  readonly #options: RotationOptions;
  #descriptor: number;
  #size: number;

  constructor(options: RotationOptions) {
    if (options.maxFiles < 1 || options.maxBytes < 1) throw new RangeError('maxFiles and maxBytes must be positive');
    this.#options = options;
    mkdirSync(options.directory, { recursive: true });
    this.#descriptor = openSync(logFilePath(options, 0), 'a');
    this.#size = fstatSync(this.#descriptor).size;
  }

  write(chunk: string): void {
    const bytes = Buffer.from(chunk, 'utf8');
    if (this.#size > 0 && this.#size + bytes.length > this.#options.maxBytes) this.#rotate();
    writeSync(this.#descriptor, bytes);
    this.#size += bytes.length;
  }

  close(): void {
    closeSync(this.#descriptor);
  }

  #rotate(): void {
    closeSync(this.#descriptor);
    const oldest = logFilePath(this.#options, this.#options.maxFiles - 1);
    rmSync(oldest, { force: true });
    for (let index = this.#options.maxFiles - 2; index >= 0; index -= 1) {
      const from = logFilePath(this.#options, index);
      if (existsSync(from)) renameSync(from, logFilePath(this.#options, index + 1));
    }
    this.#descriptor = openSync(logFilePath(this.#options, 0), 'a');
    this.#size = 0;
  }
}
