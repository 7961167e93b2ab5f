import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SqlRow } from './sql-port.js';

/**
 * The site's golden rows: every column of every row of documents a Sage user entered by hand
 * on this site's Sage (`s5sync capture …`), kept as plain JSON in the data folder (it holds
 * no secret). The writer copies from it the code values no public source verifies
 * (journal-codes.ts), and `s5sync capture diff` compares the writer's rows with it.
 */

/** 'cash-receipt': an AR cash receipt applied to an invoice (issue #21, ar-receipt-template.ts); 'ar-invoice': a pending AR invoice (ar-invoice-template.ts). */
export type CapturedKind = 'gl-batch' | 'customer' | 'sales-order' | 'cash-receipt' | 'ar-invoice';

export interface CapturedDocument {
  /** What was captured, in Sage's words, e.g. "GL batch 12 (BatchKey 57)". */
  source: string;
  /** ISO time of the capture. */
  capturedAt: string;
  /** Sage table → its rows for this document, every column as SQL Server returned it. */
  tables: Record<string, SqlRow[]>;
}

export interface SiteTemplate {
  version: 1;
  companyId: string;
  captures: Partial<Record<CapturedKind, CapturedDocument>>;
}

export const SITE_TEMPLATE_FILE_NAME = 'sage-site-template.json';

export function siteTemplatePath(dataDir: string): string {
  return join(dataDir, SITE_TEMPLATE_FILE_NAME);
}

export class SiteTemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SiteTemplateError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSqlRow(value: unknown): value is SqlRow {
  return isRecord(value) && Object.values(value).every((cell) => cell === null || typeof cell === 'string' || typeof cell === 'number');
}

const KINDS: readonly CapturedKind[] = ['gl-batch', 'customer', 'sales-order', 'cash-receipt', 'ar-invoice'];

function parseCapture(kind: string, value: unknown, file: string): CapturedDocument {
  if (!isRecord(value) || typeof value['source'] !== 'string' || typeof value['capturedAt'] !== 'string' || !isRecord(value['tables'])) {
    throw new SiteTemplateError(`${file}: capture "${kind}" needs source, capturedAt and tables`);
  }
  const tables: Record<string, SqlRow[]> = {};
  for (const [table, rows] of Object.entries(value['tables'])) {
    if (!Array.isArray(rows) || !rows.every(isSqlRow)) throw new SiteTemplateError(`${file}: capture "${kind}" table ${table} is not a list of rows`);
    tables[table] = rows;
  }
  return { source: value['source'], capturedAt: value['capturedAt'], tables };
}

/** Reads and validates a template file; a hand-edited file with a wrong shape is refused, not half-used. */
export function parseSiteTemplate(text: string, file: string): SiteTemplate {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SiteTemplateError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(value) || value['version'] !== 1 || typeof value['companyId'] !== 'string' || !isRecord(value['captures'])) {
    throw new SiteTemplateError(`${file} is not a Stripe Sync site template (version 1, companyId, captures)`);
  }
  const captures: SiteTemplate['captures'] = {};
  for (const [kind, capture] of Object.entries(value['captures'])) {
    if (!KINDS.includes(kind as CapturedKind)) throw new SiteTemplateError(`${file}: unknown capture "${kind}" (known: ${KINDS.join(', ')})`);
    captures[kind as CapturedKind] = parseCapture(kind, capture, file);
  }
  return { version: 1, companyId: value['companyId'], captures };
}

/** The template for `companyId`, or null when none was captured; one for another company is refused. */
export function loadSiteTemplate(dataDir: string, companyId: string): SiteTemplate | null {
  const file = siteTemplatePath(dataDir);
  if (!existsSync(file)) return null;
  const template = parseSiteTemplate(readFileSync(file, 'utf8'), file);
  if (template.companyId !== companyId) {
    throw new SiteTemplateError(`${file} was captured for Sage company ${template.companyId}, not ${companyId}; capture again for this company`);
  }
  return template;
}

/** Adds or replaces one capture; written to a temporary file first so a crash never leaves half a template. */
export function saveCapture(dataDir: string, companyId: string, kind: CapturedKind, capture: CapturedDocument): SiteTemplate {
  const current = loadSiteTemplate(dataDir, companyId) ?? { version: 1, companyId, captures: {} };
  const next: SiteTemplate = { ...current, captures: { ...current.captures, [kind]: capture } };
  const file = siteTemplatePath(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(next, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  return next;
}
