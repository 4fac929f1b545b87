/**
 * The embedded engine reads timestamps, dates, intervals and their arrays as PostgreSQL's text, once
 * for all queries, instead of being asked to on each one.
 *
 * Drizzle's PGlite driver passes its own parsers for those types with every query, and PGlite then
 * copies its whole table of parsers (over 300, one per type and array type) into a new object for
 * that query: about 0.1 ms of JavaScript and a few kilobytes of garbage each time, more than a small
 * query itself takes. So the instance reads those types as text itself, Drizzle's queries reach it
 * without the option, and the raw SQL path (pg-boss's queries) turns them back into what
 * node-postgres gives on a server.
 */
import { type PGlite, types } from '@electric-sql/pglite';

type Parser = (value: string, typeId?: number) => unknown;

/** Each type Drizzle reads as text, with the element type of the arrays among them. */
const READ_AS_TEXT = new Map<number, number | null>([
  [types.TIMESTAMP, null],
  [types.TIMESTAMPTZ, null],
  [types.INTERVAL, null],
  [types.DATE, null],
  [1231, types.NUMERIC], // numeric[]
  [1115, types.TIMESTAMP], // timestamp[]
  [1185, types.TIMESTAMPTZ], // timestamptz[]
  [1187, types.INTERVAL], // interval[]
  [1182, types.DATE], // date[]
]);

const asText: Parser = (value) => value;

/** PGlite's own default parsers for those types: what raw SQL read before, and what node-postgres gives. */
const DEFAULTS = new Map<number, Parser>(
  [...READ_AS_TEXT].map(([typeId, elementId]): [number, Parser] => {
    if (elementId === null) return [typeId, types.parsers[typeId] ?? asText];
    const element = types.parsers[elementId] ?? asText;
    return [typeId, (value) => types.arrayParser(value, element, typeId)];
  }),
);

/**
 * Makes the instance read those types as text. Call once it has run a first query: that is when PGlite
 * builds the parsers of the array types, over any set before.
 */
export function readTypesAsText(client: PGlite): void {
  for (const typeId of READ_AS_TEXT.keys()) client.parsers[typeId] = asText;
}

type QueryOptions = Parameters<PGlite['query']>[2];

/** The options without `parsers` when every parser asked for is one the instance already applies. */
function withoutOwnParsers(options: QueryOptions): QueryOptions {
  const parsers = options?.parsers;
  if (!parsers) return options;
  for (const typeId of Object.keys(parsers)) {
    if (!READ_AS_TEXT.has(Number(typeId))) return options;
  }
  const { parsers: _applied, ...rest } = options;
  return rest;
}

interface Queries {
  query: PGlite['query'];
}

/** The same client (or transaction) for Drizzle, its queries reaching PGlite without their parsers. */
export function forDrizzle<T extends Queries>(client: T): T {
  const query: PGlite['query'] = (text, params, options) => client.query(text, params, withoutOwnParsers(options));
  const transaction: PGlite['transaction'] = (run) =>
    (client as unknown as PGlite).transaction((tx) => run(forDrizzle(tx)));
  return new Proxy(client, {
    get(target, property) {
      if (property === 'query') return query;
      if (property === 'transaction' && 'transaction' in target) return transaction;
      // PGlite's methods use private fields, which need the instance itself as `this`.
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A raw result as node-postgres would give it: timestamps and dates as Date objects, arrays parsed,
 * as PGlite itself does unless told to read them as text.
 */
export function withDefaultTypes<
  R extends { rows: unknown[]; fields?: readonly { name: string; dataTypeID: number }[] },
>(result: R): R {
  const parsed = (result.fields ?? []).flatMap((field) => {
    const parse = DEFAULTS.get(field.dataTypeID);
    return parse ? [{ name: field.name, typeId: field.dataTypeID, parse }] : [];
  });
  if (parsed.length === 0) return result;
  for (const row of result.rows as Record<string, unknown>[]) {
    for (const { name, typeId, parse } of parsed) {
      const value = row[name];
      if (typeof value === 'string') row[name] = parse(value, typeId);
    }
  }
  return result;
}
