import type Database from 'better-sqlite3';
import { ALL_TABLES, tableDdl } from '../../main/simulators/sage-sandbox/ddl.js';

/**
 * Makes a sandbox differ from the writer's assumptions the way a real site might: one
 * column re-declared with another Sage type (e.g. `PostCmnt varchar(30)`), rebuilt through the
 * sandbox's own DDL so both its constraints and its catalog say the new type.
 */
export function redeclareColumn(raw: Database.Database, table: string, column: string, declaration: string): void {
  const spec = ALL_TABLES.find((candidate) => candidate.name === table);
  if (!spec) throw new Error(`no sandbox table ${table}`);
  const columns = spec.columns.map((text) => (text.split(' ')[0] === column ? declaration : text));
  if (!columns.includes(declaration)) throw new Error(`no column ${table}.${column}`);
  raw.pragma('foreign_keys = OFF');
  raw.exec(`DROP TABLE ${table}`);
  raw.exec(tableDdl({ ...spec, columns }));
  raw.pragma('foreign_keys = ON');
}
