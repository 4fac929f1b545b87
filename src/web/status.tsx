/**
 * One visible status line, also announced by screen readers (the live region is always in the
 * DOM, so a change of its text is announced). A message belongs to the page it was raised on and
 * disappears on the next navigation.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import { currentLocation, useLocation } from './router.tsx';

type Tone = 'success' | 'error' | 'info';

interface Message {
  text: string;
  tone: Tone;
  locationKey: number;
}

interface StatusValue {
  announce: (text: string, tone?: Tone) => void;
  shown: Message | null;
}

const StatusContext = createContext<StatusValue>({ announce: () => {}, shown: null });

export function StatusProvider({ children }: { children: ReactNode }) {
  const [message, setMessage] = useState<Message | null>(null);
  const location = useLocation();
  const announce = useCallback((text: string, tone: Tone = 'success') => {
    setMessage({ text, tone, locationKey: currentLocation().key });
  }, []);
  const shown = message && message.locationKey === location.key ? message : null;
  const value = useMemo(() => ({ announce, shown }), [announce, shown]);
  return <StatusContext.Provider value={value}>{children}</StatusContext.Provider>;
}

export const useAnnounce = () => useContext(StatusContext).announce;

/** Where the status line is shown: placed once, at the top of the main content. */
export function StatusRegion() {
  const { shown } = useContext(StatusContext);
  return (
    <div className={shown ? `status status-${shown.tone}` : 'status'} role="status" aria-live="polite">
      {shown?.text}
    </div>
  );
}
