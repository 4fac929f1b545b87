/**
 * Keyed blind indexes: exact-match search over encrypted names and places. Every folded word of a
 * text yields an HMAC-SHA256 term (truncated to 128 bits) for the whole word and one for each of its
 * prefixes of 3 to 12 characters; a query word becomes one term — a prefix term, or a whole-word
 * term when shorter than 3 characters — and a record matches when it holds the term of every query
 * word. Without the index key (kept in the key store, not with the data) the terms reveal nothing
 * but their number and which records share them: the accepted leak of searchable encryption,
 * documented in docs/decisions/0001-encryption-at-rest.md.
 */
import { createHmac } from 'node:crypto';
import { foldForSearch } from '../../core/registry/rules.ts';

export type IndexDomain = 'name' | 'place';

const MIN_PREFIX = 3;
const MAX_PREFIX = 12;
const MEMO_WORDS = 50_000;

/** The folded words of a text. */
export const searchWords = (text: string): string[] =>
  foldForSearch(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

export class BlindIndex {
  // Words repeat a lot (given names, family names, places): remember each word's terms, boundedly.
  private readonly memo = new Map<string, string[]>();

  constructor(private readonly key: Uint8Array) {}

  /** Every term of the given texts (names and aliases, or region and locality), without duplicates. */
  termsOf(domain: IndexDomain, texts: readonly (string | undefined)[]): string[] {
    const terms = new Set<string>();
    for (const text of texts) {
      if (text === undefined) continue;
      for (const word of searchWords(text)) {
        for (const term of this.wordTerms(domain, word)) terms.add(term);
      }
    }
    return [...terms];
  }

  /** The whole-word term of `word` and its prefix terms (3 to 12 characters: code points, not UTF-16 units). */
  private wordTerms(domain: IndexDomain, word: string): string[] {
    const memoKey = `${domain}\u001f${word}`;
    let terms = this.memo.get(memoKey);
    if (terms === undefined) {
      const chars = Array.from(word);
      terms = [this.term(domain, 'word', word)];
      for (let n = MIN_PREFIX; n <= Math.min(MAX_PREFIX, chars.length); n++) {
        terms.push(this.term(domain, 'prefix', chars.slice(0, n).join('')));
      }
      if (this.memo.size >= MEMO_WORDS) this.memo.clear();
      this.memo.set(memoKey, terms);
    }
    return terms;
  }

  /**
   * The terms a record must all hold to match `query`: every query word as a word prefix (words
   * shorter than 3 characters as whole words; beyond 12 characters only the first 12 are compared).
   */
  queryTerms(domain: IndexDomain, query: string): string[] {
    const terms = new Set<string>();
    for (const word of searchWords(query)) {
      const chars = Array.from(word);
      terms.add(
        chars.length < MIN_PREFIX
          ? this.term(domain, 'word', word)
          : this.term(domain, 'prefix', chars.slice(0, MAX_PREFIX).join('')),
      );
    }
    return [...terms];
  }

  private term(domain: IndexDomain, kind: 'word' | 'prefix', value: string): string {
    return createHmac('sha256', this.key)
      .update(`${domain}\u001f${kind}\u001f${value}`, 'utf8')
      .digest()
      .subarray(0, 16)
      .toString('base64url');
  }
}
