/** Size limits, shared by the core's rules and the API's schemas so they are declared once. */
export const LIMITS = {
  name: 200,
  aliases: 20,
  shortText: 200,
  languages: 20,
  rightsAreas: 30,
  types: 10,
  contactChannels: 20,
  contactValue: 320,
  contactNote: 500,
  searchText: 200,
  pageSize: 200,
  circleDepth: 4,
  circleMembers: 5000,
  termCode: 60,
  termLabel: 120,
} as const;

export const LANGUAGE_TAG = '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$';
export const TERM_CODE = '^[a-z][a-z0-9_]{1,59}$';
export const ISO_DATE = '^\\d{4}-\\d{2}-\\d{2}$';
