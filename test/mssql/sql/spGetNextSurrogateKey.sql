-- Emulation of Sage's spGetNextSurrogateKey (S6 in docs/sage-sources.md ports its logic): the next key
-- of a table from tciSurrogateKey, a table without a row starting at 1, atomically under lock.
CREATE PROCEDURE spGetNextSurrogateKey @iTableName varchar(30), @oNewKey int OUTPUT AS
BEGIN
  SET NOCOUNT ON;
  BEGIN TRANSACTION;
  INSERT INTO tciSurrogateKey (TableName, NextKey) SELECT @iTableName, 1 WHERE NOT EXISTS (SELECT 1 FROM tciSurrogateKey WITH (UPDLOCK, HOLDLOCK) WHERE TableName = @iTableName);
  UPDATE tciSurrogateKey SET @oNewKey = NextKey, NextKey = NextKey + 1 WHERE TableName = @iTableName;
  COMMIT TRANSACTION;
END
