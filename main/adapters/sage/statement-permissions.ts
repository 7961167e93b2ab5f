/**
 * The object permissions one SQL statement needs, read from its text the way SQL Server checks
 * them: INSERT on the table inserted into, UPDATE on the table updated, SELECT on every table
 * read (FROM / JOIN). The catalog views (INFORMATION_SCHEMA, sys) need none. `s5sync check` asks
 * for these grants (writer-contract.ts) and the sandbox refuses a statement lacking one, as
 * SQL Server does with error 229.
 */

export type ObjectPermission = 'SELECT' | 'INSERT' | 'UPDATE' | 'EXECUTE';

export interface StatementPermission {
  object: string;
  permission: Exclude<ObjectPermission, 'EXECUTE'>;
}

export function statementPermissions(sql: string): StatementPermission[] {
  const needed: StatementPermission[] = [];
  const add = (object: string, permission: StatementPermission['permission']): void => {
    if (/^(INFORMATION_SCHEMA|sys)$/i.test(object)) return;
    if (!needed.some((entry) => entry.object === object && entry.permission === permission)) needed.push({ object, permission });
  };
  for (const match of sql.matchAll(/\bINSERT INTO (\w+)/gi)) add(match[1]!, 'INSERT');
  for (const match of sql.matchAll(/^\s*UPDATE (\w+)/gi)) add(match[1]!, 'UPDATE');
  for (const match of sql.matchAll(/\b(?:FROM|JOIN) (\w+)(?!\.)\b/gi)) add(match[1]!, 'SELECT');
  return needed;
}

/** SQL Server's message for error 229 (permission denied on an object), word for word. */
export function permissionDeniedMessage(permission: ObjectPermission, object: string, database: string): string {
  return `The ${permission} permission was denied on the object '${object}', database '${database}', schema 'dbo'.`;
}
