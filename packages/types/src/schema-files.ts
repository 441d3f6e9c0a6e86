// The JSON Schema files @ratchet/types ships (schema/*.schema.json), written out from the one
// definition of each format by scripts/schemas.mjs; schema-files.test.ts fails when one is stale.
import type { TSchema } from '@sinclair/typebox';
import { BaselineSchema, HistoryEventSchema } from './baseline.js';
import { RatchetConfigInputSchema } from './config.js';
import { RunRecordSchema } from './run-record.js';
import { TuningSchema } from './tuning.js';

/** Where the schemas are published: a config's `$schema` may name this URL, or the file in node_modules. */
export const schemaBaseUrl = 'https://github.com/ratchet-gpu/ratchet/raw/main/packages/types/schema/';

/** File name under schema/, the format's schema, and the file it describes. */
export const schemaFiles: readonly { name: string; schema: TSchema; describes: string }[] = [
  { name: 'ratchet-config.schema.json', schema: RatchetConfigInputSchema, describes: 'ratchet.config.json' },
  { name: 'ratchet-baseline.schema.json', schema: BaselineSchema, describes: '.ratchet/baseline.json' },
  { name: 'ratchet-tuning.schema.json', schema: TuningSchema, describes: '.ratchet/tuning.json' },
  { name: 'ratchet-run-record.schema.json', schema: RunRecordSchema, describes: 'each line of the run history (runs/<device>/<month>.jsonl)' },
  { name: 'ratchet-history-event.schema.json', schema: HistoryEventSchema, describes: 'each line of .ratchet/history.jsonl' },
];

/** The text of a schema file: draft-07 (editors know it best; its tuples are what TypeBox writes), keys in a stable order. */
export function schemaFileText(schema: TSchema): string {
  const { $id, title, description, ...rest } = schema;
  return `${JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', $id, title, description, ...rest }, null, 2)}\n`;
}
