import type Database from 'better-sqlite3';
import { toSageDateTime, localDateTime } from '../tsql-dialect.js';
import { intArg, textArg, type EmulatedProcedure, type ProcedureValue } from './procedure-types.js';
import { nextSurrogateKey } from './surrogate-key.js';
import { preparedStatement } from './prepared-statements.js';

/** spGetNextBatch return values (source S6, docs/sage-sources.md). */
const RET_OK = 1;
const RET_NO_BATCH_TYPE = 3;
const RET_MODULE_BATCH_FAILED = 5;

const BATCH_STATUS_BALANCED = 4;
const POST_STATUS_OPEN = 0;
const CREATE_TYPE_STANDARD = 1;
const LAST_BATCH_NO = 999_999;
const GL_MODULE = 3;
const AR_MODULE = 5;

/**
 * spGetNextBatch(@_iCompanyID, @_iModuleNo, @_iBatchType, @_iUserID, @_iDefBatchCmnt,
 * @_iPostDate, @_oBatchKey OUT, @_oNextBatchNo OUT, @_oRetVal OUT, @_optHiddenBatch,
 * @_optInvcDate), as S6 ports it: takes the next number from tciBatchTypCompany (wrapping after
 * 999999), a key from spGetNextSurrogateKey 'tciBatchLog', and creates the tciBatchLog row
 * Balanced/Open. Like the real procedure it creates no tglBatch row for GL (the caller does);
 * for AR it inserts tarBatch as S6 does; the sandbox has no other module batch tables, so
 * other modules return 5.
 */
export const spGetNextBatch: EmulatedProcedure = {
  // The names are what S8 binds (V1); the order here is S6's port, which nothing confirms: by name only.
  parameters: ['_iCompanyID', '_iModuleNo', '_iBatchType', '_iUserID', '_iDefBatchCmnt', '_iPostDate', '_oBatchKey', '_oNextBatchNo', '_oRetVal', '_optHiddenBatch', '_optInvcDate'],
  binding: 'name',
  run: (db, inputs) => runNextBatch(db, inputs),
};

function runNextBatch(db: Database.Database, inputs: readonly ProcedureValue[]): Map<number, ProcedureValue> {
  const companyId = textArg(inputs, 0) ?? '';
  const moduleNo = intArg(inputs, 1);
  const batchType = intArg(inputs, 2);
  const userId = textArg(inputs, 3);
  const batchCmnt = textArg(inputs, 4);
  const postDate = textArg(inputs, 5);
  const result = (batchKey: number | null, batchNo: number | null, retVal: number): Map<number, ProcedureValue> =>
    new Map([[6, batchKey], [7, batchNo], [8, retVal]]);

  return db.transaction(() => {
    const typeRow = preparedStatement(db, 'SELECT NextBatchNo, BatchTypeID FROM tciBatchTypCompany WHERE CompanyID = ? AND BatchType = ?')
      .get(companyId, batchType) as { NextBatchNo: number; BatchTypeID: string } | undefined;
    if (!typeRow) return result(null, null, RET_NO_BATCH_TYPE);
    if (moduleNo !== GL_MODULE && moduleNo !== AR_MODULE) return result(null, null, RET_MODULE_BATCH_FAILED);
    const batchNo = typeRow.NextBatchNo;
    preparedStatement(db, 'UPDATE tciBatchTypCompany SET NextBatchNo = ? WHERE CompanyID = ? AND BatchType = ?').run(
      batchNo >= LAST_BATCH_NO ? 1 : batchNo + 1,
      companyId,
      batchType,
    );
    const batchKey = nextSurrogateKey(db, 'tciBatchLog');
    insertBatchLog(db, { batchKey, batchNo, batchType, batchTypeId: typeRow.BatchTypeID, companyId, userId, batchCmnt, postDate });
    if (moduleNo === AR_MODULE) insertArBatch(db, { batchKey, companyId, userId, batchCmnt, postDate });
    return result(batchKey, batchNo, RET_OK);
  }).immediate();
}

interface NewBatchLog {
  batchKey: number;
  batchNo: number;
  batchType: number;
  batchTypeId: string;
  companyId: string;
  userId: string | null;
  batchCmnt: string | null;
  postDate: string | null;
}

function insertBatchLog(db: Database.Database, batch: NewBatchLog): void {
  preparedStatement(db,
    `INSERT INTO tciBatchLog (BatchKey, BatchID, BatchNo, BatchType, Status, PostStatus, OrigUserID, SourceCompanyID,
       PostCompanyID, BatchCmnt, PostDate, CreateDate, CreateType)
     VALUES (@batchKey, @batchId, @batchNo, @batchType, @status, @postStatus, @userId, @companyId, @companyId,
       @batchCmnt, @postDate, @now, @createType)`,
  ).run({
    batchKey: batch.batchKey,
    // BatchID format: Sage builds it from the module/batch type and number; copy the site's format (sources S6, S8, docs/sage-sources.md).
    batchId: `${batch.batchTypeId}-${String(batch.batchNo).padStart(6, '0')}`,
    batchNo: batch.batchNo,
    batchType: batch.batchType,
    status: BATCH_STATUS_BALANCED,
    postStatus: POST_STATUS_OPEN,
    userId: batch.userId,
    companyId: batch.companyId,
    batchCmnt: batch.batchCmnt,
    postDate: batch.postDate === null ? null : toSageDateTime(batch.postDate),
    now: localDateTime(),
    createType: CREATE_TYPE_STANDARD,
  });
}

/**
 * S6's AR branch: tarBatch with the company's default cash account (tarOptions.DfltCashAcctKey),
 * not on hold, not private, no transaction control, SourceModule 5, no bank deposit yet.
 */
function insertArBatch(db: Database.Database, batch: Pick<NewBatchLog, 'batchKey' | 'companyId' | 'userId' | 'batchCmnt' | 'postDate'>): void {
  const options = preparedStatement(db, 'SELECT DfltCashAcctKey FROM tarOptions WHERE CompanyID = ?').get(batch.companyId) as { DfltCashAcctKey: number | null } | undefined;
  preparedStatement(db,
    `INSERT INTO tarBatch (BatchKey, BankDepAmt, BatchCmnt, CashAcctKey, Hold, InterCompany, OrigUserID, PostDate, Private, SourceModule, TranCtrl)
     VALUES (?, 0, ?, ?, 0, 0, ?, ?, 0, ?, 0)`,
  ).run(batch.batchKey, batch.batchCmnt, options?.DfltCashAcctKey ?? null, batch.userId, batch.postDate === null ? null : toSageDateTime(batch.postDate), AR_MODULE);
}
