// The investor app's session: who is signed in (an investor, or nobody).
import { createContext, useContext } from 'react';

export const SessionContext = createContext({ user: null, ready: false, refresh: () => {} });

export function useSession() {
  return useContext(SessionContext);
}
