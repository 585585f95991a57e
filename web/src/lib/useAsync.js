import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Loads data for a screen: {data, error, loading, reload, setData}. `fn` runs again when a
 * dependency changes; answers of an older run are dropped.
 */
export function useAsync(fn, deps = []) {
  const [state, setState] = useState({ data: undefined, error: null, loading: true });
  const seq = useRef(0);
  const run = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: null }));
    Promise.resolve()
      .then(fn)
      .then((data) => {
        if (mine === seq.current) setState({ data, error: null, loading: false });
      })
      .catch((error) => {
        if (mine === seq.current) setState({ data: undefined, error, loading: false });
      });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  useEffect(() => {
    run();
  }, [run]);
  const setData = useCallback((data) => setState((s) => ({ ...s,
    data: typeof data === 'function' ? data(s.data) : data })), []);
  return { ...state, reload: run, setData };
}
