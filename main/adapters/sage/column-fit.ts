import type { SiteValue } from './journal-codes.js';
import type { SentType } from './writer-contract.js';

/**
 * Whether what the writer sends fits a site's column or procedure parameter, by SQL Server's
 * rules: text must fit the declared length (a longer value fails with "String or binary data
 * would be truncated"), integers must fit the integer type, decimals must keep their scale
 * and integer digits, and a number never goes into a text column or text into a number.
 */

export interface SiteColumnType {
  dataType: string;
  /** Characters for text types (-1 = max); null otherwise. */
  length: number | null;
  precision: number | null;
  scale: number | null;
}

const TEXT = new Set(['varchar', 'nvarchar', 'char', 'nchar', 'text', 'ntext']);
const INTEGER_DIGITS: Record<string, number> = { tinyint: 3, smallint: 5, int: 10, bigint: 19 };
const DECIMAL = new Set(['decimal', 'numeric']);
const DATES = new Set(['datetime', 'datetime2', 'smalldatetime', 'date']);
const APPROXIMATE = new Set(['float', 'real']);

export function describeSiteType(site: SiteColumnType): string {
  if (TEXT.has(site.dataType)) return `${site.dataType}(${site.length === -1 ? 'max' : String(site.length)})`;
  if (DECIMAL.has(site.dataType)) return `${site.dataType}(${String(site.precision)},${String(site.scale)})`;
  return site.dataType;
}

export function describeSent(sent: SentType, code: SiteValue | null): string {
  switch (sent.kind) {
    case 'varchar':
      return `text of up to ${sent.length} characters`;
    case 'decimal':
      return `decimal(${sent.precision},${sent.scale})`;
    case 'code':
      return typeof code === 'string' ? `the text "${code}"` : `the number ${String(code)} (smallint)`;
    case 'number':
      return 'a number';
    default:
      return sent.kind;
  }
}

function integerFits(digits: number, site: SiteColumnType): boolean {
  const siteDigits = INTEGER_DIGITS[site.dataType];
  if (siteDigits !== undefined) return siteDigits >= digits;
  if (DECIMAL.has(site.dataType)) return (site.precision ?? 0) - (site.scale ?? 0) >= digits;
  return false;
}

function textFits(length: number, site: SiteColumnType): boolean {
  return TEXT.has(site.dataType) && (site.length === -1 || (site.length ?? 0) >= length);
}

/** True when the writer's value of type `sent` (with the code value for 'code') is stored unchanged by `site`. */
export function fits(sent: SentType, code: SiteValue | null, site: SiteColumnType): boolean {
  switch (sent.kind) {
    case 'varchar':
      return textFits(sent.length, site);
    case 'int':
      return integerFits(10, site);
    case 'smallint':
      return integerFits(5, site);
    case 'number':
      return site.dataType in INTEGER_DIGITS || DECIMAL.has(site.dataType) || APPROXIMATE.has(site.dataType) || site.dataType === 'bit';
    case 'decimal':
      return (
        (DECIMAL.has(site.dataType) && (site.scale ?? 0) >= sent.scale && (site.precision ?? 0) - (site.scale ?? 0) >= sent.precision - sent.scale) ||
        (site.dataType === 'money' && sent.scale <= 4)
      );
    case 'datetime':
      return DATES.has(site.dataType);
    case 'code':
      return typeof code === 'string' ? textFits(code.length, site) : integerFits(5, site);
  }
}
