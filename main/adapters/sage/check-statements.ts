import { BATCH_TYPE_GL_JOURNAL } from './sage-codes.js';

/**
 * The reads of `s5sync check` beyond the preflight's: SQL Server's catalog (column types,
 * procedure parameters, triggers), the login's permissions and the reference rows the writer
 * needs. The sandbox answers the same text (sandbox information-schema.ts).
 */

export const SELECT_COLUMN_TYPES =
  'SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, IS_NULLABLE, COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = @tableName ORDER BY ORDINAL_POSITION';
export const SELECT_PROCEDURE_PARAMETERS =
  'SELECT p.name AS ParamName, p.parameter_id AS Position, t.name AS TypeName, p.max_length AS MaxLength, CAST(p.is_output AS int) AS IsOutput FROM sys.parameters p INNER JOIN sys.procedures o ON o.object_id = p.object_id INNER JOIN sys.types t ON t.user_type_id = p.user_type_id WHERE o.name = @procedureName ORDER BY p.parameter_id';
export const SELECT_PERMISSION = "SELECT HAS_PERMS_BY_NAME(@objectName, 'OBJECT', @permission) AS Granted";
export const SELECT_TRIGGERS =
  'SELECT tb.name AS TableName, tr.name AS TriggerName, CAST(tr.is_disabled AS int) AS Disabled FROM sys.triggers tr INNER JOIN sys.tables tb ON tb.object_id = tr.parent_id ORDER BY tb.name, tr.name';

// Reference rows the writer needs (sources S1, S6, docs/sage-sources.md).
export const SELECT_GL_BATCH_TYPE = `SELECT NextBatchNo FROM tciBatchTypCompany WHERE CompanyID = @companyId AND BatchType = ${BATCH_TYPE_GL_JOURNAL}`;
export const SELECT_CUST_CLASS = 'SELECT CustClassKey FROM tarCustClass WHERE CompanyID = @companyId AND CustClassID = @custClassId';
export const SELECT_ITEM = 'SELECT ItemKey FROM timItem WHERE CompanyID = @companyId AND ItemID = @itemId';
export const SELECT_WAREHOUSE = 'SELECT WhseKey FROM timWarehouse WHERE CompanyID = @companyId AND WhseID = @warehouseId';
