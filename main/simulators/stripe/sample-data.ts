import type { StripeAddress } from '../../core/stripe/objects.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * The small business behind the generated activity: its customers' names and addresses
 * (including non-ASCII names and addresses longer than Sage's fields) and its product catalog.
 */

export const ACCOUNT_PROFILE = {
  businessName: 'Northwind Outdoor Supply LLC',
  displayName: 'Northwind Outdoor',
  email: 'finance@northwind-outdoor.example',
};

const GIVEN_NAMES = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Mateo', 'Sofía', 'José', 'Zoë', 'Chloé', 'Søren',
  'Łukasz', 'Anaïs', 'Björn', 'Renée', 'Nguyễn', 'Ólafur', 'Priya', 'Aiko', 'Kwame',
];
const FAMILY_NAMES = [
  'Smith', 'Johnson', 'García', 'Müller', 'O\'Connor', 'Dubois', 'Kowalski', 'Wąsik', 'Jørgensen',
  'Nakamura', 'Patel', 'Okafor', 'Van der Berg', 'Fernández-López', 'Lindqvist', 'Brown',
];
// Accents and Polish/Vietnamese letters exercise transliteration into Sage's code page 1252;
// a name in a script 1252 cannot hold at all (Japanese, say) is a per-record error by design
// (core/customers/code-page-text.ts), covered by unit tests rather than the demo's business.
const COMPANY_NAMES = [
  'Trailhead Outfitters Inc.', 'Blue Ridge Camping Co.', 'Hokkaido Outdoor K.K.',
  'Café Montaña S.L.', 'Great Lakes Paddle & Portage Wholesale Distribution Company', 'Summit Gear GmbH',
];
const STREETS = ['Main St', 'Oak Avenue', 'Elm Street', 'Rue de la Paix', 'Königstraße', 'Industrial Parkway North Extension'];
const PLACES: readonly { city: string; state: string | null; postal: string; country: string }[] = [
  { city: 'Portland', state: 'OR', postal: '97205', country: 'US' },
  { city: 'Denver', state: 'CO', postal: '80202', country: 'US' },
  { city: 'Austin', state: 'TX', postal: '78701', country: 'US' },
  { city: 'Toronto', state: 'ON', postal: 'M5V 2T6', country: 'CA' },
  { city: 'München', state: null, postal: '80331', country: 'DE' },
  { city: 'Paris', state: null, postal: '75002', country: 'FR' },
  { city: 'London', state: null, postal: 'EC1A 1BB', country: 'GB' },
  { city: 'Sapporo', state: 'Hokkaido', postal: '060-0001', country: 'JP' },
];

export interface CatalogItem {
  product: string;
  price: string;
  description: string;
  unitAmount: number;
}

export const SUBSCRIPTION_CATALOG: readonly CatalogItem[] = [
  { product: 'prod_SimBasicPlan00001', price: 'price_SimBasicMonthly01', description: 'Gear Club Basic', unitAmount: 1500 },
  { product: 'prod_SimProPlan000001', price: 'price_SimProMonthly0001', description: 'Gear Club Pro', unitAmount: 4900 },
  { product: 'prod_SimSeatAddon0001', price: 'price_SimSeatMonthly001', description: 'Additional seat', unitAmount: 800 },
  { product: 'prod_SimRentalInsur01', price: 'price_SimInsurMonthly01', description: 'Rental insurance', unitAmount: 650 },
  { product: 'prod_SimMaintenance01', price: 'price_SimMaintMonthly01', description: 'Tune-up & maintenance plan', unitAmount: 2250 },
];

export const ORDER_DESCRIPTIONS = [
  'Online order', 'Tent rental', 'Kayak rental (2 days)', 'Workshop ticket', 'Gift card', 'Repair service',
];

export interface CustomerProfile {
  name: string;
  email: string;
  phone: string | null;
  address: StripeAddress | null;
}

function emailLocalPart(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[^A-Za-z ]/g, '').trim().toLowerCase();
  return ascii.replace(/\s+/g, '.') || 'customer';
}

export function customerProfile(random: SeededRandom, sequence: number): CustomerProfile {
  const isCompany = random.chance(0.15);
  const name = isCompany ? random.pick(COMPANY_NAMES) : `${random.pick(GIVEN_NAMES)} ${random.pick(FAMILY_NAMES)}`;
  const place = random.pick(PLACES);
  const address: StripeAddress | null = random.chance(0.1)
    ? null
    : {
        line1: `${random.int(1, 9999)} ${random.pick(STREETS)}`,
        line2: random.chance(0.2) ? `Suite ${random.int(100, 999)}` : null,
        city: place.city,
        state: place.state,
        postal_code: place.postal,
        country: place.country,
      };
  return {
    name,
    email: `${emailLocalPart(name)}.${sequence}@example.com`,
    phone: random.chance(0.6) ? `+1 555 ${String(random.int(100, 999))} ${String(random.int(1000, 9999))}` : null,
    address,
  };
}

export function guestName(random: SeededRandom): string {
  return `${random.pick(GIVEN_NAMES)} ${random.pick(FAMILY_NAMES)}`;
}

export function guestEmail(name: string, sequence: number): string {
  return `${emailLocalPart(name)}.guest${sequence}@example.net`;
}
