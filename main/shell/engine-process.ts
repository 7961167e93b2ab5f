import type { MessagePortMain, ParentPort } from 'electron';
import { createAppService } from '../app/app-service.js';
import { createFileLogger } from '../adapters/logging/file-logger.js';
import { boundHeapGrowth } from '../app/engine-heap.js';
import { engineInitSchema } from './engine-protocol.js';
import { followLogLevel } from './log-level-follower.js';
import { serveEngine } from './engine-server.js';

/**
 * Entry of the engine utilityProcess. better-sqlite3 and the Sage writer are synchronous in
 * places; running them here keeps the tray and window responsive, and a crash here leaves the
 * tray up to report it. Main sends one `init` message carrying the MessagePort to talk on.
 */
const parentPort: ParentPort = process.parentPort;
// The memory bound of issue #19 for this process, which runs the engine (engine-heap.ts).
boundHeapGrowth();

parentPort.once('message', (event) => {
  const init = engineInitSchema.safeParse(event.data);
  const port: MessagePortMain | undefined = event.ports[0];
  if (!init.success || port === undefined) {
    process.exit(2);
  }
  const { logger, close: closeLog } = createFileLogger({
    logsDirectory: init.data.logsDirectory,
    baseName: 'engine',
    level: init.data.logLevel,
  });
  serveEngine(port, {
    credentialBackend: init.data.credentialBackend,
    credentialFallback: init.data.credentialFallback,
    createService: async (credentials) =>
      followLogLevel(await createAppService({ dataDir: init.data.dataDirectory, env: process.env, credentials, logsDirectory: init.data.logsDirectory }), (level) => {
        logger.level = level;
      }),
    onShutdown: async (service) => {
      await service.close();
      closeLog();
      process.exit(0);
    },
    onMalformed: (issue) => logger.warn({ issue }, 'Malformed message from main dropped'),
  }).catch((error: unknown) => logger.error({ err: error }, 'The engine AppService failed to start'));
});
