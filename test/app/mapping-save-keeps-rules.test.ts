import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppService, type ClosableAppService } from '../../main/app/app-service.js';
import { createSandbox } from '../../main/simulators/sage-sandbox/sandbox.js';
import { createMemoryCredentialStore } from '../ui/memory-credential-store.js';

/**
 * The Mapping view holds two editors over one mapping: the accounts and options (saveMapping)
 * and the rules (saveRules). A user who saves rules and then saves the other editor, whose draft
 * was loaded earlier, must not lose the rules.
 */

const EU_RULE = {
  name: 'EU web shop',
  when: [
    { field: 'objectKind', in: ['charge'] },
    { field: 'presentmentCurrency', in: ['eur'] },
  ],
  then: [{ action: 'account', role: 'revenue', account: '4010-00' }],
};

describe('saving the mapping editor keeps the saved rules', () => {
  const opened: { service: ClosableAppService; dataDir: string }[] = [];
  afterEach(async () => {
    for (const { service, dataDir } of opened.splice(0)) {
      await service.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  const open = async (): Promise<ClosableAppService> => {
    const dataDir = mkdtempSync(join(tmpdir(), 's5sync-mapping-rules-'));
    createSandbox(join(dataDir, 'demo-sage-sandbox.sqlite'), { today: '2026-11-02' });
    const service = await createAppService({ dataDir, env: {}, credentials: createMemoryCredentialStore(), demo: true });
    opened.push({ service, dataDir });
    return service;
  };

  it('a draft loaded before the rules were saved changes its own settings, not the rules', async () => {
    const service = await open();
    const loadedBeforeRules = (await service.getMapping(undefined)).mapping;
    expect(loadedBeforeRules.rules ?? []).toEqual([]);

    const afterRules = await service.saveRules({ rules: [EU_RULE] });
    expect(afterRules.problems).toEqual([]);

    const saved = await service.saveMapping({ mapping: { ...loadedBeforeRules, timeZone: 'America/New_York' } });
    expect(saved.problems).toEqual([]);
    const current = (await service.getMapping(undefined)).mapping;
    expect(current.timeZone).toBe('America/New_York');
    expect((current.rules as { name: string }[]).map((rule) => rule.name)).toEqual(['EU web shop']);

    // A draft that carries other rules does not replace them either: rules have their own save.
    await service.saveMapping({ mapping: { ...current, rules: [] } });
    expect(((await service.getMapping(undefined)).mapping.rules as { name: string }[]).map((rule) => rule.name)).toEqual(['EU web shop']);
  });
});
