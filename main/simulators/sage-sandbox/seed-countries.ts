import type Database from 'better-sqlite3';

/**
 * The sandbox's tsmCountry and tsmStateProvince rows. Sage's country ids are three letters
 * (CountryID varchar(3), no public source); a site's rows are read, never assumed, by the writer.
 * Japan has no state rows, so a prefecture has to go on an address line.
 */
const COUNTRIES: readonly [string, string][] = [
  ['USA', 'United States'], ['CAN', 'Canada'], ['MEX', 'Mexico'], ['GBR', 'United Kingdom'], ['IRL', 'Ireland'],
  ['DEU', 'Germany'], ['FRA', 'France'], ['ESP', 'Spain'], ['ITA', 'Italy'], ['NLD', 'Netherlands'], ['AUS', 'Australia'],
  ['NZL', 'New Zealand'], ['JPN', 'Japan'], ['POL', 'Poland'], ['CHE', 'Switzerland'],
];

const STATES: Readonly<Record<string, string>> = {
  USA:
    'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR',
  CAN: 'AB BC MB NB NL NS NT NU ON PE QC SK YT',
  AUS: 'ACT NSW NT QLD SA TAS VIC WA',
};

export function seedCountries(db: Database.Database): void {
  const country = db.prepare('INSERT INTO tsmCountry (CountryID, Description) VALUES (?, ?)');
  for (const [countryId, description] of COUNTRIES) country.run(countryId, description);
  const state = db.prepare('INSERT INTO tsmStateProvince (CountryID, StateID) VALUES (?, ?)');
  for (const [countryId, states] of Object.entries(STATES)) for (const stateId of states.split(' ')) state.run(countryId, stateId);
}
