/**
 * The naive way to sync, for comparison: for every object, one Stripe retrieve
 * (GET /v1/<kind>/:id with the same expansions the engine's list uses) and one Sage
 * transaction per document through the real SageWriter, each with a fresh run id (so a GL
 * batch per journal, as a per-record integration would do). Runs against the same simulator
 * data as the backfill, into a second, fresh sandbox. Called from backfill-bench.ts
 * (`--naive N`), which supplies the ledger the engine filled, to know the ids and documents.
 */
import { join } from 'node:path';
import type { SyncConfig } from '../main/adapters/config/config-file.js';
import type { Ledger } from '../main/core/ports/ledger.js';
import { SageWriter } from '../main/adapters/sage/sage-writer.js';
import { createSandbox, openSandbox } from '../main/simulators/sage-sandbox/sandbox.js';
import { StripeHttpApi } from '../main/adapters/stripe/stripe-http-api.js';
import { LIST_SPECS } from '../main/core/engine/list-specs.js';
import type { SyncedKind } from '../main/core/stripe/objects.js';
import { countingPort, totalRoundTrips } from './bench-support.js';

export interface NaiveResult {
  sampleObjects: number;
  wallSeconds: number;
  objectsPerSecond: number;
  stripeRequests: number;
  stripeRequestsPerObject: number;
  documentsWritten: number;
  documentsFailed: number;
  sageTransactions: number;
  sageRoundTripsPerDocument: number;
  stripeSeconds: number;
  sageSeconds: number;
}

export async function runNaiveBaseline(options: {
  apiBase: string;
  apiKey: string;
  ledger: Ledger;
  config: SyncConfig;
  dir: string;
  today: string;
  sample: number;
}): Promise<NaiveResult> {
  const all: { id: string; kind: SyncedKind }[] = options.ledger.objects.searchObjects({ limit: -1, offset: 0 }).objects.map((stored) => ({ id: stored.id, kind: stored.kind })).reverse();
  const step = Math.max(1, all.length / options.sample);
  const sample: { id: string; kind: SyncedKind }[] = [];
  for (let i = 0; i < all.length && sample.length < options.sample; i += step) sample.push(all[Math.floor(i)]!);

  const sandboxPath = join(options.dir, 'naive-sandbox.sqlite');
  createSandbox(sandboxPath, { today: options.today });
  const counted = countingPort(openSandbox(sandboxPath));
  const writer = new SageWriter(counted.port, {
    companyId: options.config.companyId,
    userId: options.config.sageUserId,
    journalId: options.config.mapping.journalId,
  });
  const stripe = new StripeHttpApi({ apiKey: options.apiKey, apiBase: options.apiBase, timeoutMs: 30_000 });

  let runId = 1_000_000;
  let written = 0;
  let failed = 0;
  let stripeMs = 0;
  let sageMs = 0;
  const started = performance.now();
  for (const { id, kind } of sample) {
    const spec = LIST_SPECS[kind];
    const t0 = performance.now();
    await stripe.retrieve(spec.path, id, spec.expand.map((field) => field.replace(/^data\./, '')));
    const t1 = performance.now();
    for (const stored of options.ledger.documents.documentsForObject(id)) {
      try {
        await writer.write(stored.document, { runId: runId++ });
        written++;
      } catch {
        failed++;
      }
    }
    stripeMs += t1 - t0;
    sageMs += performance.now() - t1;
  }
  const wallSeconds = (performance.now() - started) / 1000;
  await counted.port.close();
  return {
    sampleObjects: sample.length,
    wallSeconds: Math.round(wallSeconds * 1000) / 1000,
    objectsPerSecond: Math.round(sample.length / wallSeconds),
    stripeRequests: stripe.requestCount,
    stripeRequestsPerObject: Math.round((stripe.requestCount / sample.length) * 10000) / 10000,
    documentsWritten: written,
    documentsFailed: failed,
    sageTransactions: counted.counts.transaction,
    sageRoundTripsPerDocument: Math.round((totalRoundTrips(counted.counts) / Math.max(1, written)) * 100) / 100,
    stripeSeconds: Math.round(stripeMs) / 1000,
    sageSeconds: Math.round(sageMs) / 1000,
  };
}
