import { describe, expect, it } from 'vitest';
import { printCaptureDiff } from '../../main/cli/capture-command.js';
import type { CaptureDiffResult } from '../../main/app/site-rehearsal.js';

const step = (label: string) => ({ kind: 'ar-invoice' as const, label, passed: true, detail: 'written', rows: null });
const rolledBack = { kind: 'rollback' as const, label: 'rolled back', passed: true, detail: 'nothing left in Sage', rows: null };

describe('s5sync capture diff report', () => {
  it('fails a sample that was written but not read back, instead of calling it the same as the golden row', () => {
    const lines: string[] = [];
    const result: CaptureDiffResult = {
      documents: [{ kind: 'ar-invoice', golden: 'batch 000123', differences: null, step: step('AR invoice') }],
      rolledBack,
    };
    expect(printCaptureDiff(result, (line) => lines.push(line))).toBe(1);
    expect(lines[0]).toBe('FAIL  AR invoice: written but not read back, so not compared with batch 000123');
    expect(lines.some((line) => line.startsWith('SAME'))).toBe(false);
  });

  it('passes a sample compared column by column with no difference, and fails one with a difference', () => {
    const same: string[] = [];
    const compared: CaptureDiffResult = { documents: [{ kind: 'ar-invoice', golden: 'batch 000123', differences: [], step: step('AR invoice') }], rolledBack };
    expect(printCaptureDiff(compared, (line) => same.push(line))).toBe(0);
    expect(same[0]).toBe('SAME  AR invoice against batch 000123: 0 columns differ');

    const diff: string[] = [];
    const differing: CaptureDiffResult = {
      documents: [{ kind: 'ar-invoice', golden: 'batch 000123', differences: [{ table: 'tarPendInvoice', column: 'TranType', golden: 501, ours: 502, how: 'value' }], step: step('AR invoice') }],
      rolledBack,
    };
    expect(printCaptureDiff(differing, (line) => diff.push(line))).toBe(1);
    expect(diff.slice(0, 2)).toEqual(['DIFF  AR invoice against batch 000123: 1 column differs', '      tarPendInvoice.TranType: golden 501, ours 502']);
  });
});
