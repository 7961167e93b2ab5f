import { SageWriteError } from '../../core/ports/sage-target.js';
import type { CustomerDocument } from '../../core/sage/documents.js';
import { ISO_ALPHA3_BY_ALPHA2 } from './iso-country-codes.js';
import { varchar } from './sql-params.js';
import type { SqlSession } from './sql-port.js';
import { SELECT_COUNTRIES, SELECT_COUNTRY_STATES } from './statements.js';

const ADDRESS_LINES = 5;

/**
 * Puts a customer's country and state into the ids the site's Sage has: CountryID is a
 * tsmCountry row (Stripe's ISO alpha-2 code as it is, or its alpha-3 code, e.g. US → USA,
 * whichever the site keyed), and StateID only a tsmStateProvince row of that country; any
 * other state (a Japanese prefecture, a county) goes on the next free address line instead.
 * Read once per writer: Sage users rarely add countries during a run.
 */
export class AddressReferences {
  private countries: Set<string> | null = null;
  private readonly states = new Map<string, Set<string>>();

  constructor(private readonly session: SqlSession) {}

  async resolve(doc: CustomerDocument, what: string): Promise<CustomerDocument> {
    const countryId = await this.countryId(doc.countryId, what);
    if (doc.stateId === null || (countryId !== null && (await this.statesOf(countryId)).has(doc.stateId.toUpperCase()))) {
      return { ...doc, countryId, stateId: doc.stateId?.toUpperCase() ?? null };
    }
    if (doc.addrLines.length >= ADDRESS_LINES) {
      throw new SageWriteError(
        `${what}: state "${doc.stateId}" is not a tsmStateProvince row of country ${countryId ?? '(none)'} and all ${ADDRESS_LINES} address lines are used, so it has nowhere to go`,
        'data',
        'tciAddress.StateID',
      );
    }
    return { ...doc, countryId, stateId: null, addrLines: [...doc.addrLines, doc.stateId] };
  }

  private async countryId(code: string | null, what: string): Promise<string | null> {
    if (code === null) return null;
    const countries = await this.countryIds();
    const upper = code.trim().toUpperCase();
    const candidates = [upper, ISO_ALPHA3_BY_ALPHA2.get(upper)].filter((candidate): candidate is string => candidate !== undefined);
    const found = candidates.find((candidate) => countries.has(candidate));
    if (found) return found;
    throw new SageWriteError(
      `${what}: country ${code} is not in Sage (tsmCountry has no ${candidates.join(' or ')}); add it in Sage or correct the customer's address in Stripe`,
      'data',
      'tciAddress.CountryID',
    );
  }

  private async countryIds(): Promise<Set<string>> {
    if (!this.countries) this.countries = new Set((await this.session.query(SELECT_COUNTRIES)).map((row) => String(row['CountryID']).trim().toUpperCase()));
    return this.countries;
  }

  private async statesOf(countryId: string): Promise<Set<string>> {
    let states = this.states.get(countryId);
    if (!states) {
      const rows = await this.session.query(SELECT_COUNTRY_STATES, { countryId: varchar(3, countryId) });
      states = new Set(rows.map((row) => String(row['StateID']).trim().toUpperCase()));
      this.states.set(countryId, states);
    }
    return states;
  }
}
