/**
 * Key management use cases. Encryption at rest itself lives in the adapters (ciphers and keys touch
 * the outside world); the core decides what is recorded: every rotation is on the audit trail.
 */
import type { AccessContext, AuditTrail } from '../audit/model.ts';
import type { Clock } from '../ports.ts';

export interface KeyRotationResult {
  /** The master key that now wraps every data key. */
  masterKeyId: string;
  /** How many stored keys were re-wrapped (the data itself is never re-encrypted). */
  rewrapped: number;
}

/** Re-wraps every data key under a new master key; implemented by the storage adapter's vault. */
export interface KeyRotation {
  rotate(): Promise<KeyRotationResult>;
}

export interface KeyServiceDeps {
  keys: KeyRotation;
  audit: AuditTrail;
  clock: Clock;
  context: AccessContext;
}

export class KeyService {
  constructor(private readonly deps: KeyServiceDeps) {}

  forContext(context: AccessContext): KeyService {
    return new KeyService({ ...this.deps, context });
  }

  async rotate(): Promise<KeyRotationResult> {
    const result = await this.deps.keys.rotate();
    await this.deps.audit.append({
      at: this.deps.clock.now().toISOString(),
      ...this.deps.context,
      action: 'keys.rotate',
      recordType: 'keys',
      recordIds: [result.masterKeyId],
    });
    return result;
  }
}
