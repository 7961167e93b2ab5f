import { describe, expect, it } from 'vitest';
import type { DocumentState, RunSummary } from '../../main/core/engine/engine-events.js';
import type { SageErrorClass } from '../../main/core/ports/sage-target.js';
import type { SageDocument } from '../../main/core/sage/documents.js';
import type { EngineState } from '../../main/core/schedule/sync-scheduler.js';
import { SYNCED_KINDS, type SyncedKind } from '../../main/core/stripe/objects.js';
import { documentStates, objectKinds, viewIds, type ActivityRow, type DocumentStateName, type ErrorGroup, type EventPayloads, type ObjectKindName, type RunOutcome, type TrayState, type ViewId } from '../../preload/contract.js';

/**
 * The contract spells out, for the window, value lists that core owns. The assignments below
 * do not compile (`npx tsc`) when the two drift apart; the runtime checks cover the lists.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

const documentStatesMatchCore: Same<DocumentStateName, DocumentState> = true;
const objectKindsMatchCore: Same<ObjectKindName, SyncedKind> = true;
const runOutcomesMatchCore: Same<RunOutcome, NonNullable<RunSummary['outcome']>> = true;
const documentTypesMatchCore: Same<ActivityRow['documents'][number]['type'], SageDocument['type']> = true;
const navigationUsesViewIds: Same<EventPayloads['navigate']['view'], ViewId> = true;
const trayStatesMatchScheduler: Same<TrayState, EngineState> = true;
const errorClassesMatchCore: Same<ErrorGroup['errorClass'], SageErrorClass> = true;

describe('contract enums', () => {
  it('agree with core at compile time', () => {
    expect([documentStatesMatchCore, objectKindsMatchCore, runOutcomesMatchCore, documentTypesMatchCore, navigationUsesViewIds, trayStatesMatchScheduler, errorClassesMatchCore]).toEqual([
      true, true, true, true, true, true, true,
    ]);
  });

  it('list every object kind core syncs, each once', () => {
    expect([...objectKinds].sort()).toEqual([...SYNCED_KINDS].sort());
  });

  it('list each document state and view once', () => {
    expect(new Set(documentStates).size).toBe(documentStates.length);
    expect(new Set(viewIds).size).toBe(viewIds.length);
  });
});
