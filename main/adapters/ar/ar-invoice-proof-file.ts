import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CashReceiptProof } from './ar-proof-file.js';

/**
 * What `s5sync check` proved about the site's captured AR invoice (issue #21 items 4 and 5), in
 * the data folder beside the cash receipt's proof (ar-proof-file.ts) and in the same shape: when
 * its tables, columns and permissions were verified and when a rehearsal wrote and read one back,
 * each for the capture of that time. A new capture, or a check that failed, clears the proof.
 */

const FILE_NAME = 'sage-ar-invoice-proof.json';

export type ArInvoiceProof = CashReceiptProof;

interface ProofFile {
  companyId: string;
  arInvoice: ArInvoiceProof | null;
}

function file(dataDir: string): string {
  return join(dataDir, FILE_NAME);
}

export function loadArInvoiceProof(dataDir: string, companyId: string): ArInvoiceProof | null {
  if (!existsSync(file(dataDir))) return null;
  const value = JSON.parse(readFileSync(file(dataDir), 'utf8')) as Partial<ProofFile>;
  if (value.companyId !== companyId || !value.arInvoice || typeof value.arInvoice.capturedAt !== 'string') return null;
  return value.arInvoice;
}

/** Records one proof (a time) or its failure (null) for the capture taken at `capturedAt`. */
export function recordArInvoiceProof(dataDir: string, companyId: string, capturedAt: string, proof: 'checkedAt' | 'rehearsedAt', at: string | null): void {
  const current = loadArInvoiceProof(dataDir, companyId);
  const base: ArInvoiceProof = current && current.capturedAt === capturedAt ? current : { capturedAt, checkedAt: null, rehearsedAt: null };
  const next: ProofFile = { companyId, arInvoice: { ...base, [proof]: at } };
  writeFileSync(`${file(dataDir)}.tmp`, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(`${file(dataDir)}.tmp`, file(dataDir));
}
