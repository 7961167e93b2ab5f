import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../main/adapters/config/config-file.js';

/** The headless service reads the rules from the config file with the same schema, strictly. */
const base = { dataDir: './data', sage: { kind: 'sandbox', path: './sage.sqlite' } };
const rule = { name: 'EU web shop', when: [{ field: 'presentmentCurrency', in: ['eur'] }], then: [{ action: 'account', role: 'revenue', account: '4030-00' }] };

describe('rules in the config file', () => {
  it('reads mapping.rules into the mapping, in order, enabled by default', () => {
    const config = parseConfig({ ...base, mapping: { rules: [rule, { ...rule, name: 'Second', when: [] , enabled: false }] } }, '/tmp');
    expect(config.mapping.rules?.map((entry) => [entry.name, entry.enabled])).toEqual([
      ['EU web shop', true],
      ['Second', false],
    ]);
  });

  it('stops on an unknown key inside a rule, naming it and the key meant', () => {
    const typo = { ...rule, then: [{ action: 'account', role: 'revenue', acount: '4030-00' }] };
    expect(() => parseConfig({ ...base, mapping: { rules: [typo] } }, '/tmp')).toThrow(ConfigError);
    expect(() => parseConfig({ ...base, mapping: { rules: [typo] } }, '/tmp')).toThrow(/mapping\.rules\.0\.then\.0\.acount: unknown key "acount"; did you mean "account"\?/);
  });

  it('stops on a rule that can never match, in plain words', () => {
    const never = { ...rule, when: [{ field: 'objectKind', in: ['customer'] }, { field: 'cardBrand', in: ['visa'] }] };
    expect(() => parseConfig({ ...base, mapping: { rules: [never] } }, '/tmp')).toThrow(/mapping\.rules\.0\.when: rule "EU web shop" can never match/);
  });
});
