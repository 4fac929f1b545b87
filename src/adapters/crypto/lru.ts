/** A map that keeps at most `capacity` entries, forgetting the least recently used first. */
export class LruCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly capacity: number) {}

  get(key: string): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  /** The value for `key`, without counting as a use. */
  peek(key: string): V | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      // A sixteenth is forgotten at once: a Map iterates from its oldest slot, over every slot an
      // earlier deletion left until it compacts, so evicting one entry per insert costs thousands.
      let excess = this.entries.size - this.capacity + (this.capacity >> 4);
      for (const oldest of this.entries.keys()) {
        if (excess-- <= 0) break;
        this.entries.delete(oldest);
      }
    }
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
