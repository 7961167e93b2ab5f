import { datetime, int, smallint, varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';
import { SPGETNEXTBATCH_OK } from './sage-codes.js';

export interface NextBatchRequest {
  companyId: string;
  moduleNo: number;
  batchType: number;
  userId: string;
  batchCmnt: string;
  postDate: string;
}

/** What spGetNextBatch answered: the new batch's key, or its return value when it made none. */
export type NextBatchResult = { ok: true; batchKey: number } | { ok: false; retVal: unknown };

/**
 * spGetNextBatch creates the tciBatchLog row of a new batch (and a module's own batch row where
 * the procedure does so, e.g. tarBatch for AR, S6). Bound by name: S8 binds these names (V1); no
 * source confirms their order (sources S5, S6, S8, docs/sage-sources.md).
 */
export async function getNextBatch(tx: SqlSession, request: NextBatchRequest): Promise<NextBatchResult> {
  const result = await tx.procedure('spGetNextBatch', [
    { name: '_iCompanyID', param: varchar(3, request.companyId) },
    { name: '_iModuleNo', param: smallint(request.moduleNo) },
    { name: '_iBatchType', param: int(request.batchType) },
    { name: '_iUserID', param: varchar(30, request.userId) },
    { name: '_iDefBatchCmnt', param: varchar(50, request.batchCmnt) },
    { name: '_iPostDate', param: datetime(request.postDate) },
    { name: '_oBatchKey', param: int(null), output: true },
    { name: '_oNextBatchNo', param: int(null), output: true },
    { name: '_oRetVal', param: smallint(null), output: true },
    { name: '_optHiddenBatch', param: smallint(null) },
    { name: '_optInvcDate', param: datetime(null) },
  ], 'name');
  const batchKey = result['_oBatchKey'];
  return result['_oRetVal'] === SPGETNEXTBATCH_OK && typeof batchKey === 'number' ? { ok: true, batchKey } : { ok: false, retVal: result['_oRetVal'] };
}
