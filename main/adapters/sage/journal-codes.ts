import {
  CREATE_TYPE_IMPORT,
  GENERAL_JRNL_TYPE_TRANSACTION,
  JOURNAL_STATUS_BALANCED,
  MODULE_GL,
  OFFSET_POST_NONE,
} from './sage-codes.js';
import type { SiteTemplate } from './site-template.js';
import { smallint, varchar } from './sql-params.js';
import type { SqlParam } from './sql-port.js';

/**
 * The GL code values no public source verifies: the writer takes
 * them from a batch a Sage user keyed by hand on this site when one was captured, and keeps
 * the public-source defaults of sage-codes.ts otherwise. A value keeps the site's SQL type:
 * a SourceModule the site stores as text ("GL", as S8 writes it) is sent as text.
 */

export type SiteValue = number | string;

export interface JournalCodes {
  generalJrnlType: SiteValue;
  journalStatus: SiteValue;
  offsetPost: SiteValue;
  sourceModule: SiteValue;
  createType: SiteValue;
}

/** Where each value lives in Sage, i.e. which golden column it is copied from. */
export const JOURNAL_CODE_COLUMNS: Readonly<Record<keyof JournalCodes, { table: string; column: string }>> = {
  generalJrnlType: { table: 'tglBatch', column: 'GeneralJrnlType' },
  journalStatus: { table: 'tglJournalHdr', column: 'Status' },
  offsetPost: { table: 'tglJournalHdr', column: 'OffsetPost' },
  sourceModule: { table: 'tglJournalHdr', column: 'SourceModule' },
  createType: { table: 'tglJournalHdr', column: 'CreateType' },
};

export const PUBLIC_JOURNAL_CODES: JournalCodes = {
  generalJrnlType: GENERAL_JRNL_TYPE_TRANSACTION,
  journalStatus: JOURNAL_STATUS_BALANCED,
  offsetPost: OFFSET_POST_NONE,
  sourceModule: MODULE_GL,
  createType: CREATE_TYPE_IMPORT,
};

export interface JournalCodeSource {
  codes: JournalCodes;
  /** True when every value came from the site's golden batch. */
  verified: boolean;
  /** Where the values came from, for `check` and the logs. */
  source: string;
}

/** The writer's journal code values for a site: the golden batch's where captured, the public defaults otherwise. */
export function journalCodesFor(template: SiteTemplate | null): JournalCodeSource {
  const golden = template?.captures['gl-batch'];
  if (!golden) {
    return { codes: PUBLIC_JOURNAL_CODES, verified: false, source: 'public-source defaults (no golden GL batch captured for this site)' };
  }
  const codes = { ...PUBLIC_JOURNAL_CODES };
  const missing: string[] = [];
  for (const [name, { table, column }] of Object.entries(JOURNAL_CODE_COLUMNS) as [keyof JournalCodes, { table: string; column: string }][]) {
    const value = golden.tables[table]?.[0]?.[column];
    if (value === null || value === undefined) missing.push(`${table}.${column}`);
    else codes[name] = value;
  }
  return missing.length === 0
    ? { codes, verified: true, source: `site template, ${golden.source}` }
    : { codes, verified: false, source: `site template, ${golden.source}, without ${missing.join(', ')} (public defaults used there)` };
}

/** A code value as a parameter of the site's type: numbers as smallint, text as varchar. */
export function codeParam(value: SiteValue): SqlParam {
  return typeof value === 'number' ? smallint(value) : varchar(Math.max(1, value.length), value);
}
