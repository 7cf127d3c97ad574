// Number formatting shared by the bench tables.

/** `n` with thousands separators and `d` decimals; "–" for a figure that was not measured (NaN). */
export const f = (n: number, d = 0): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–');
