/**
 * A copy of `text` that keeps no other string alive, as a view into one (a slice) would keep all of
 * it: V8 makes a slice of 13 or more characters such a view. The concatenation is flattened into a
 * new string when sliced, and the slice is a view into that copy (exact, lone surrogates included,
 * where a round trip through UTF-8 would replace them).
 */
export function detached(text: string): string {
  return (text + ' ').slice(0, -1);
}
