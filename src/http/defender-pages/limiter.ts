/**
 * Failed attempts on the public pages, counted in this process: a wrong PIN on a personal link, an
 * unknown short code from one address. Someone holding a seized phone must not be able to try every
 * PIN until the check-in goes through; someone guessing codes must not raise alerts at random. After
 * `maxFailures` within `windowMs`, every attempt is refused until the window has passed — the right
 * PIN included, so that a refusal tells nothing, and a missed check-in then raises the alarm.
 */
export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures: number,
    private readonly windowMs: number,
    /** Keys kept at most; beyond it the oldest are forgotten (memory stays bounded under a flood). */
    private readonly maxKeys = 10_000,
  ) {}

  private recent(key: string, nowMs: number): number[] {
    const kept = (this.failures.get(key) ?? []).filter((at) => nowMs - at < this.windowMs);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  blocked(key: string, nowMs: number): boolean {
    return this.recent(key, nowMs).length >= this.maxFailures;
  }

  fail(key: string, nowMs: number): void {
    const kept = this.recent(key, nowMs);
    if (kept.length === 0 && this.failures.size >= this.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest !== undefined) this.failures.delete(oldest);
    }
    this.failures.set(key, [...kept, nowMs]);
  }
}
