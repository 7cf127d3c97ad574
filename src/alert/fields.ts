// Objects that hold alert data copied key by key. With a plain `{}`, assigning the key "__proto__"
// (a valid Falco field name from the sender's point of view) sets the prototype instead of adding
// the field: the field vanishes. A null-prototype object keeps every key as data.

/** An empty map for alert fields: every key, "__proto__" included, is an own data property. */
export function newFields<T = unknown>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A copy of `fields` into a null-prototype map. */
export function copyFields<T>(fields: Readonly<Record<string, T>>): Record<string, T> {
  return Object.assign(newFields<T>(), fields);
}

/**
 * A field's name after falcosidekick's `bracketreplacer`: `]` dropped, `[` replaced (proc.aname[2]
 * becomes proc.aname_2 with "_"). Enrichment renames the fields so; routing, silences and dedupe keys
 * look them up by it. "" replaces nothing.
 */
export function bracketName(name: string, replacer: string): string {
  return replacer !== '' && name.includes('[') ? name.replaceAll(']', '').replaceAll('[', replacer) : name;
}
