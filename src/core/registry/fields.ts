import type { ProfileField } from './model.ts';

/**
 * The one place where each profile field is declared sensitive or not. Sensitive is the default:
 * a field is public only when it says `sensitive: false` here, and adding a field to ActorProfile
 * without declaring it fails to compile. Storage keeps sensitive fields apart from the columns it
 * indexes (and, from the security issue on, encrypts them); logs and errors never carry them.
 */
interface FieldDeclaration {
  sensitive?: false;
}

export const PROFILE_FIELDS: Record<ProfileField, FieldDeclaration> = {
  name: {},
  aliases: {},
  genderIdentity: {},
  ageBand: {},
  indigenousOrEthnicIdentity: {},
  lgbti: {},
  disability: {},
  setting: {},
  languages: {},
  // Country-level location is needed for routing and aggregate analysis; anything finer is sensitive.
  country: { sensitive: false },
  region: {},
  locality: {},
  // What someone defends is public work, and the basis of pattern analysis.
  rightsAreas: { sensitive: false },
  contactChannels: {},
};

export const isSensitiveField = (field: ProfileField): boolean => PROFILE_FIELDS[field].sensitive !== false;

export const SENSITIVE_FIELDS = (Object.keys(PROFILE_FIELDS) as ProfileField[]).filter(isSensitiveField);
export const PUBLIC_FIELDS = (Object.keys(PROFILE_FIELDS) as ProfileField[]).filter((f) => !isSensitiveField(f));
