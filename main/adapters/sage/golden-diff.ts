import type { DocumentRows } from './golden-capture.js';

/**
 * `s5sync capture diff`: where a row our writer produced differs from the site's golden row
 * of the same table (first row against first row: the batch, the header, the first line).
 * Columns that carry the document's own data are not compared, because they always differ:
 * keys, dates, amounts and quantities, free text, and who created it. Identifiers and
 * numbers (BatchID, TranID, TranNo…) are compared by format: 'GLJE-000041' and
 * 'GLJE-000002' agree, 'GLJE-000002' and '000002' do not. Everything else, the code values
 * above all, must be equal.
 */

export interface ColumnDifference {
  table: string;
  column: string;
  golden: string | number | null;
  ours: string | number | null;
  /** 'value': the values differ; 'format': an identifier's shape differs; 'missing': one side has no such row or column. */
  how: 'value' | 'format' | 'missing';
}

const DOCUMENT_DATA = [
  /Key$/, /(Date|Time)$/, /Amt|Amount|AmtHC|Total|Qty|Price|Balance|Bal$|Cost|Rate$|Ordered$|Invcd$/,
  /Cmnt$|Desc|Description|Name$|AddrLine|City$|PostalCode|Phone|Fax|EMail|Title$|Msg$/, /UserID$/,
];
const IDENTIFIER = /(ID|No|NoRel|NoChngOrd|NoRelChngOrd)$/;
/** Line numbering is the same on the first line of any document, so it is compared exactly. */
const LINE_NUMBERING = new Set(['EntryNo', 'SeqNo', 'SOLineNo']);

/** Keys, dates, amounts, free text and who created it: the document's own data, never a site code value. */
export function isDocumentData(column: string): boolean {
  return DOCUMENT_DATA.some((pattern) => pattern.test(column));
}

/** 'GLJE-000041' → 'AAAA-999999': letters and digits by class, the rest as is. */
export function shapeOf(value: string): string {
  return value.replace(/[A-Za-z]/g, 'A').replace(/\d/g, '9');
}

function compareRow(table: string, golden: Record<string, string | number | null>, ours: Record<string, string | number | null>): ColumnDifference[] {
  const differences: ColumnDifference[] = [];
  for (const [column, goldenValue] of Object.entries(golden)) {
    if (!(column in ours)) {
      differences.push({ table, column, golden: goldenValue, ours: null, how: 'missing' });
      continue;
    }
    if (isDocumentData(column)) continue;
    const ourValue = ours[column] ?? null;
    const identifier = IDENTIFIER.test(column) && !LINE_NUMBERING.has(column);
    if (identifier && typeof goldenValue === 'string' && typeof ourValue === 'string') {
      if (shapeOf(goldenValue.trim()) !== shapeOf(ourValue.trim())) differences.push({ table, column, golden: goldenValue, ours: ourValue, how: 'format' });
      continue;
    }
    if (identifier && typeof goldenValue === 'number' && typeof ourValue === 'number') continue;
    if (String(goldenValue) !== String(ourValue)) differences.push({ table, column, golden: goldenValue, ours: ourValue, how: 'value' });
  }
  return differences;
}

export function diffDocument(golden: DocumentRows, ours: DocumentRows): ColumnDifference[] {
  const differences: ColumnDifference[] = [];
  for (const [table, goldenRows] of Object.entries(golden)) {
    const goldenRow = goldenRows[0];
    const ourRow = ours[table]?.[0];
    if (!goldenRow) continue;
    if (!ourRow) {
      differences.push({ table, column: '(row)', golden: `${goldenRows.length} row(s)`, ours: null, how: 'missing' });
      continue;
    }
    differences.push(...compareRow(table, goldenRow, ourRow));
  }
  return differences;
}
