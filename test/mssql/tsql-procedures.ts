import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The T-SQL emulations of the Sage procedures (test/mssql/sql/*.sql), read and taken apart:
 * the header's parameter list, and the body as single statements. node-sql-parser's T-SQL
 * grammar has no CREATE PROCEDURE, IF or EXEC, so the emulations are written without control
 * flow (set-based, guarded by WHERE) and each body statement is parsed on its own.
 */

export interface ProcedureScript {
  file: string;
  name: string;
  /** The whole CREATE PROCEDURE text, as sent to SQL Server. */
  text: string;
  parameters: { name: string; type: string; output: boolean }[];
  statements: string[];
}

const SQL_DIR = join(dirname(fileURLToPath(import.meta.url)), 'sql');
const HEADER = /^CREATE PROCEDURE (\w+) (.*?) AS\s*\nBEGIN\n([\s\S]*)\nEND\s*$/;

export function procedureScripts(): ProcedureScript[] {
  return readdirSync(SQL_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(SQL_DIR, file), 'utf8')
        .split('\n')
        .filter((line) => !line.startsWith('--'))
        .join('\n')
        .trim();
      const match = HEADER.exec(text);
      if (!match) throw new Error(`${file}: not "CREATE PROCEDURE name params AS / BEGIN / … / END"`);
      const parameters = match[2]!.split(/,\s*(?=@)/).map((declaration) => {
        const parts = /^(@\w+) ([\w()]+)( OUTPUT)?$/.exec(declaration.trim());
        if (!parts) throw new Error(`${file}: cannot read parameter "${declaration}"`);
        return { name: parts[1]!, type: parts[2]!, output: parts[3] !== undefined };
      });
      const statements = match[3]!
        .split(/;\s*\n/)
        .map((statement) => statement.trim().replace(/;$/, ''))
        .filter((statement) => statement !== '');
      return { file, name: match[1]!, text, parameters, statements };
    });
}
