/**
 * The one shape of every JSON document the CLI prints: an object whose first key is
 * `schemaVersion`, then the command's fields (a list goes under a named key: `runs`, `groups`, ...).
 * JSON Lines output (`digits export --format jsonl`) carries `schemaVersion` on every line.
 * The version goes up by one when a field is removed, renamed or changes meaning; new fields
 * do not change it. README "JSON output" lists the documents.
 */
export const JSON_SCHEMA_VERSION = 1;

/** A pretty-printed JSON document with the schema version, and a final newline. */
export function jsonDocument(fields: object): string {
  return `${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, ...fields }, null, 2)}\n`;
}

/** One JSON Lines record with the schema version. */
export function jsonLine(fields: object): string {
  return `${JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, ...fields })}\n`;
}
