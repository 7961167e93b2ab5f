-- Emulation of Sage's spGetNextBatch as S6 ports it (docs/sage-sources.md), the same as the sandbox's
-- procedures/next-batch.ts: the next number of tciBatchTypCompany under lock (wrapping after
-- 999999), a key from tciSurrogateKey, a tciBatchLog row Balanced (4) / Open (0) / CreateType 1.
-- RetVal 3 when the company has no row for the batch type; for AR (5) the tarBatch row S6 inserts
-- (default cash account from tarOptions); 5 for any other module, whose batch tables this harness
-- does not have. Set-based, so every statement is plain SQL.
CREATE PROCEDURE spGetNextBatch @_iCompanyID varchar(3), @_iModuleNo smallint, @_iBatchType int, @_iUserID varchar(30), @_iDefBatchCmnt varchar(50), @_iPostDate datetime, @_oBatchKey int OUTPUT, @_oNextBatchNo int OUTPUT, @_oRetVal smallint OUTPUT, @_optHiddenBatch smallint, @_optInvcDate datetime AS
BEGIN
  SET NOCOUNT ON;
  DECLARE @NextNo int, @TypeID varchar(7);
  BEGIN TRANSACTION;
  SELECT @NextNo = NextBatchNo, @TypeID = BatchTypeID FROM tciBatchTypCompany WITH (UPDLOCK, ROWLOCK) WHERE CompanyID = @_iCompanyID AND BatchType = @_iBatchType;
  SELECT @_oRetVal = CASE WHEN @NextNo IS NULL THEN 3 WHEN @_iModuleNo NOT IN (3, 5) THEN 5 ELSE 1 END, @_oBatchKey = NULL, @_oNextBatchNo = NULL;
  UPDATE tciBatchTypCompany SET NextBatchNo = CASE WHEN NextBatchNo >= 999999 THEN 1 ELSE NextBatchNo + 1 END WHERE CompanyID = @_iCompanyID AND BatchType = @_iBatchType AND @_oRetVal = 1;
  INSERT INTO tciSurrogateKey (TableName, NextKey) SELECT 'tciBatchLog', 1 WHERE @_oRetVal = 1 AND NOT EXISTS (SELECT 1 FROM tciSurrogateKey WITH (UPDLOCK, HOLDLOCK) WHERE TableName = 'tciBatchLog');
  UPDATE tciSurrogateKey SET @_oBatchKey = NextKey, NextKey = NextKey + 1 WHERE TableName = 'tciBatchLog' AND @_oRetVal = 1;
  SELECT @_oNextBatchNo = @NextNo WHERE @_oRetVal = 1;
  INSERT INTO tciBatchLog (BatchKey, BatchID, BatchNo, BatchType, Status, PostStatus, OrigUserID, SourceCompanyID, PostCompanyID, BatchCmnt, PostDate, CreateDate, CreateType) SELECT @_oBatchKey, @TypeID + '-' + RIGHT('000000' + CAST(@NextNo AS varchar(6)), 6), @NextNo, @_iBatchType, 4, 0, @_iUserID, @_iCompanyID, @_iCompanyID, @_iDefBatchCmnt, @_iPostDate, GETDATE(), 1 WHERE @_oRetVal = 1;
  INSERT INTO tarBatch (BatchKey, BankDepAmt, BatchCmnt, CashAcctKey, Hold, InterCompany, OrigUserID, PostDate, Private, SourceModule, TranCtrl) SELECT @_oBatchKey, 0, @_iDefBatchCmnt, (SELECT DfltCashAcctKey FROM tarOptions WHERE CompanyID = @_iCompanyID), 0, 0, @_iUserID, @_iPostDate, 0, 5, 0 WHERE @_oRetVal = 1 AND @_iModuleNo = 5;
  COMMIT TRANSACTION;
END
