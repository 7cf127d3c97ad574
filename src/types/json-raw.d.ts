// JSON.parse source text access (ES2025, shipped in Node 22+): lets big integers survive a parse →
// stringify round trip without a JSON library. TypeScript's lib does not declare it yet.
interface RawJSON {
  readonly rawJSON: string;
}
interface JSONReviverContext {
  readonly source?: string;
}
interface JSON {
  rawJSON(text: string): RawJSON;
  isRawJSON(value: unknown): value is RawJSON;
  parse(text: string, reviver: (this: unknown, key: string, value: unknown, context: JSONReviverContext) => unknown): unknown;
}
