/** A 1-based line number in the simulator's `LNID` style, e.g. 1 → "1.000". */
export function formatLnid(lineNumber: number): string {
  return `${lineNumber}.000`;
}

/** The whole line number of an `LNID` ("2.000" → 2); NaN when it is not one. */
export function parseLnid(lnid: string): number {
  const match = /^(\d{1,5})(?:\.(\d{1,3}))?$/.exec(lnid);
  if (!match || (match[2] !== undefined && Number(match[2]) !== 0)) return Number.NaN;
  return Number(match[1]);
}
