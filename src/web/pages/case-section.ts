/** What each section of a protection case's page is given (CasePage.tsx and its parts). */
import type { CaseDetail } from '../cases-api.ts';
import type { CaseNames } from '../cases-text.tsx';

export interface SectionProps {
  detail: CaseDetail;
  names: CaseNames;
  reload: () => Promise<void>;
  /** The reader may change the case, and it is open. */
  writable: boolean;
}
