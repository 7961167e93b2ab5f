import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ArConfirmations, ConfirmationRequest } from '../../core/ar/ar-payments.js';
import type { MatchDecision } from '../../core/ar/payment-match.js';

/**
 * The AR confirm list in the data folder (no secret in it): the engine writes the payments
 * waiting for the user (ar-confirm-pending.json), the window writes the user's decisions
 * (ar-confirm-decisions.json). One writer per file, so the engine process and the window never
 * overwrite each other's changes; each write replaces its file through a temporary one.
 */

const PENDING_FILE = 'ar-confirm-pending.json';
const DECISIONS_FILE = 'ar-confirm-decisions.json';

function read<T>(file: string): Record<string, T> {
  if (!existsSync(file)) return {};
  const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, T>) : {};
}

function write(file: string, value: Record<string, unknown>): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

function isDecision(value: unknown): value is MatchDecision {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'on-account' || kind === 'gl' || (kind === 'apply' && typeof (value as { tranId?: unknown }).tranId === 'string');
}

export class ArConfirmationFile implements ArConfirmations {
  private readonly pendingFile: string;
  private readonly decisionsFile: string;

  constructor(dataDir: string) {
    this.pendingFile = join(dataDir, PENDING_FILE);
    this.decisionsFile = join(dataDir, DECISIONS_FILE);
  }

  decision(paymentId: string): MatchDecision | null {
    const found = read<unknown>(this.decisionsFile)[paymentId];
    return isDecision(found) ? found : null;
  }

  ask(request: ConfirmationRequest): void {
    const pending = read<ConfirmationRequest>(this.pendingFile);
    if (JSON.stringify(pending[request.paymentId]) === JSON.stringify(request)) return;
    write(this.pendingFile, { ...pending, [request.paymentId]: request });
  }

  settle(paymentId: string): void {
    const pending = read<ConfirmationRequest>(this.pendingFile);
    if (!(paymentId in pending)) return;
    delete pending[paymentId];
    write(this.pendingFile, pending);
  }

  /** The payments waiting for the user, oldest request first as the engine met them. */
  pending(): ConfirmationRequest[] {
    const decided = read<unknown>(this.decisionsFile);
    return Object.values(read<ConfirmationRequest>(this.pendingFile)).filter((request) => !isDecision(decided[request.paymentId]));
  }

  /** The user's decision; the next sync plans the payment by it. */
  decide(paymentId: string, decision: MatchDecision): void {
    write(this.decisionsFile, { ...read<unknown>(this.decisionsFile), [paymentId]: decision });
  }
}
