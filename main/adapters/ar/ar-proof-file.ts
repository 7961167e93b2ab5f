import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What `s5sync check` proved about the site's captured cash receipt, in the data folder: when
 * its tables, columns and permissions were verified and when a rehearsal wrote and read one
 * back, each for the capture of that time. A new capture, or a check that failed, clears the
 * proof; AR payments stay off until both are there for the capture in use (main/app/ar-readiness.ts).
 */

const FILE_NAME = 'sage-ar-proof.json';

export interface CashReceiptProof {
  /** capturedAt of the capture the proofs are for. */
  capturedAt: string;
  checkedAt: string | null;
  rehearsedAt: string | null;
}

interface ProofFile {
  companyId: string;
  cashReceipt: CashReceiptProof | null;
}

function file(dataDir: string): string {
  return join(dataDir, FILE_NAME);
}

export function loadCashReceiptProof(dataDir: string, companyId: string): CashReceiptProof | null {
  if (!existsSync(file(dataDir))) return null;
  const value = JSON.parse(readFileSync(file(dataDir), 'utf8')) as Partial<ProofFile>;
  if (value.companyId !== companyId || !value.cashReceipt || typeof value.cashReceipt.capturedAt !== 'string') return null;
  return value.cashReceipt;
}

/** Records one proof (a time) or its failure (null) for the capture taken at `capturedAt`. */
export function recordCashReceiptProof(dataDir: string, companyId: string, capturedAt: string, proof: 'checkedAt' | 'rehearsedAt', at: string | null): void {
  const current = loadCashReceiptProof(dataDir, companyId);
  const base: CashReceiptProof = current && current.capturedAt === capturedAt ? current : { capturedAt, checkedAt: null, rehearsedAt: null };
  const next: ProofFile = { companyId, cashReceipt: { ...base, [proof]: at } };
  writeFileSync(`${file(dataDir)}.tmp`, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(`${file(dataDir)}.tmp`, file(dataDir));
}
