/**
 * The declared parameters of the Sage procedures the sandbox emulates, as the real procedures
 * declare them, so the sandbox answers `sys.parameters` as a Sage database would and
 * `s5sync check` can compare them with the writer's calls. Sources (tags in docs/sage-sources.md): the insert APIs
 * (the insert-API signature shared by S1/S2; S2's copy names the 7th parameter
 * `@UseStageTable`, S1's `@iUseStageTable`), spGetNextBatch names (S6/S8) and spGetNextSurrogateKey names
 * (S11/S12).
 */

export interface ParameterSignature {
  /** With the leading @, as sys.parameters names it. */
  name: string;
  /** SQL Server type name, as sys.types names it. */
  type: 'int' | 'smallint' | 'varchar' | 'datetime';
  /** varchar length; null for fixed-size types. */
  length: number | null;
  output: boolean;
}

const p = (name: string, type: ParameterSignature['type'], output = false, length: number | null = null): ParameterSignature => ({ name, type, length, output });

const INSERT_API: readonly ParameterSignature[] = [
  p('@oContinue', 'smallint', true),
  p('@iCancel', 'smallint'),
  p('@iSessionKey', 'int'),
  p('@iCompanyID', 'varchar', false, 3),
  p('@iRptOption', 'int'),
  p('@iPrintWarnings', 'smallint'),
  p('@iUseStageTable', 'smallint'),
  p('@oRecsProcessed', 'int', true),
  p('@oFailedRecs', 'int', true),
  p('@oTotalRecs', 'int', true),
  p('@_oRetVal', 'int', true),
];

export const PROCEDURE_SIGNATURES: Readonly<Record<string, readonly ParameterSignature[]>> = {
  spGetNextSurrogateKey: [p('@iTableName', 'varchar', false, 30), p('@oNewKey', 'int', true)],
  spGetNextBatch: [
    p('@_iCompanyID', 'varchar', false, 3),
    p('@_iModuleNo', 'smallint'),
    p('@_iBatchType', 'int'),
    p('@_iUserID', 'varchar', false, 30),
    p('@_iDefBatchCmnt', 'varchar', false, 50),
    p('@_iPostDate', 'datetime'),
    p('@_oBatchKey', 'int', true),
    p('@_oNextBatchNo', 'int', true),
    p('@_oRetVal', 'smallint', true),
    p('@_optHiddenBatch', 'smallint'),
    p('@_optInvcDate', 'datetime'),
  ],
  spARapiCustomerIns: INSERT_API,
  spSOapiSalesOrdIns: INSERT_API.map((parameter) => (parameter.name === '@iUseStageTable' ? { ...parameter, name: '@UseStageTable' } : parameter)),
  // S8's GiveNextJrnlNo(CompanyID, JrnlKey, 1, out JrnlNo, out RetVal): the order and types are
  // what S8 passes; the names are the sandbox's own, since the real ones are not public (sources S4, S8, docs/sage-sources.md).
  spglGiveNextJrnlNo: [
    p('@iCompanyID', 'varchar', false, 3),
    p('@iJrnlKey', 'int'),
    p('@iNumbers', 'smallint'),
    p('@oJrnlNo', 'int', true),
    p('@oRetVal', 'int', true),
  ],
};
