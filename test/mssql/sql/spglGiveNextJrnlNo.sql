-- Emulation of the journal-number procedure S8 imports as GiveNextJrnlNo (docs/sage-sources.md; SQL
-- name UNVERIFIED, the writer calls it by position), the same as the sandbox's
-- procedures/journal-number.ts: hands out tglJournal.NextJrnlNo under lock; RetVal 2 for an unknown journal.
CREATE PROCEDURE spglGiveNextJrnlNo @iCompanyID varchar(3), @iJrnlKey int, @iNumbers smallint, @oJrnlNo int OUTPUT, @oRetVal int OUTPUT AS
BEGIN
  SET NOCOUNT ON;
  SELECT @oJrnlNo = NULL, @oRetVal = 2;
  UPDATE tglJournal SET @oJrnlNo = NextJrnlNo, @oRetVal = 1, NextJrnlNo = NextJrnlNo + CASE WHEN @iNumbers > 1 THEN @iNumbers ELSE 1 END WHERE CompanyID = @iCompanyID AND JrnlKey = @iJrnlKey;
END
