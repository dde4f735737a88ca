/**
 * Ties fields to the keys of one form-state object: `bind("site")` gives the field the id and data-testid
 * `<prefix>-site`, the value and the onChange that sets it.
 */
export function fieldBinder<S>(prefix: string, state: S, set: <K extends keyof S>(k: K, v: S[K]) => void) {
  return <K extends keyof S & string>(k: K) => ({
    id: `${prefix}-${k}`,
    testid: `${prefix}-${k}`,
    value: state[k],
    onChange: (v: S[K]) => set(k, v),
  });
}
