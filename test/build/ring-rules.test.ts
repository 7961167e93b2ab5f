import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The ring rules of eslint.config.js still fire: each probe is one import a ring must not make,
 * linted as if it sat in that ring's folder (the file need not exist). A rule whose pattern stops
 * matching, or a block that a later one overrides, fails here instead of letting the rings erode.
 */

const root = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: root });

async function ringMessages(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: join(root, file) });
  return (result?.messages ?? []).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

const refused: { ring: string; file: string; source: string; because: RegExp }[] = [
  { ring: 'core: no Node I/O', file: 'main/core/engine/probe.ts', source: "import { readFileSync } from 'node:fs';\nreadFileSync('x');\n", because: /framework-free/ },
  { ring: 'core: no outer ring', file: 'main/core/engine/probe.ts', source: "import { SqliteLedger } from '../../adapters/ledger/sqlite-ledger.js';\nnew SqliteLedger('x');\n", because: /outer rings/ },
  { ring: 'adapters: no simulator', file: 'main/adapters/sage/probe.ts', source: "import { openSandbox } from '../../simulators/sage-sandbox/sandbox.js';\nopenSandbox('x');\n", because: /demo machinery/ },
  { ring: 'app: no SQL driver', file: 'main/app/probe.ts', source: "import Database from 'better-sqlite3';\nnew Database('x');\n", because: /run no SQL/ },
  { ring: 'app: no SQL helpers', file: 'main/app/probe.ts', source: "import { varchar } from '../adapters/sage/sql-params.js';\nvarchar(3, 'SOA');\n", because: /Sage reads live in main\/adapters\/sage/ },
  { ring: 'cli: no SQL helpers', file: 'main/cli/probe-command.ts', source: "import { varchar } from '../adapters/sage/sql-params.js';\nvarchar(3, 'SOA');\n", because: /Sage reads live in main\/adapters\/sage/ },
  { ring: 'app: no Electron', file: 'main/app/probe.ts', source: "import { app } from 'electron';\napp.quit();\n", because: /Only main\/shell and preload/ },
  { ring: 'cli: no ledger adapter', file: 'main/cli/probe-command.ts', source: "import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';\nnew SqliteLedger('x');\n", because: /does not open the ledger itself/ },
  { ring: 'cli demo wiring: no ledger adapter', file: 'main/cli/s5sync.ts', source: "import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';\nnew SqliteLedger('x');\n", because: /does not open the ledger itself/ },
  { ring: 'cli: no simulator', file: 'main/cli/probe-command.ts', source: "import { openSandbox } from '../simulators/sage-sandbox/sandbox.js';\nopenSandbox('x');\n", because: /demo machinery/ },
  { ring: 'simulators: no app layer', file: 'main/simulators/stripe/probe.ts', source: "import { openRuntime } from '../../app/open-runtime.js';\nvoid openRuntime;\n", because: /same ports/ },
  { ring: 'renderer: contract only', file: 'renderer/src/probe.tsx', source: "import { openRuntime } from '../../main/app/open-runtime.js';\nvoid openRuntime;\n", because: /preload contract/ },
];

describe('ring rules (eslint.config.js)', () => {
  it.each(refused)('$ring', async ({ file, source, because }) => {
    const messages = await ringMessages(file, source);
    expect(messages.length).toBe(1);
    expect(messages[0]).toMatch(because);
  });

  it('lets each ring make the imports it is meant to make', async () => {
    // The app layer opens the ledger file for the CLI; the CLI prints the app layer's operations; the demo wiring starts the simulator.
    expect(await ringMessages('main/app/probe.ts', "import { SqliteLedger } from '../adapters/ledger/sqlite-ledger.js';\nnew SqliteLedger('x');\n")).toEqual([]);
    expect(await ringMessages('main/cli/probe-command.ts', "import { LedgerFile } from '../app/ledger-file.js';\nvoid LedgerFile;\n")).toEqual([]);
    expect(await ringMessages('main/cli/demo-command.ts', "import { openSandbox } from '../simulators/sage-sandbox/sandbox.js';\nopenSandbox('x');\n")).toEqual([]);
  });
});
