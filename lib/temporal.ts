import { Client, Connection, type WorkflowClientInterceptor } from '@temporalio/client';
import type { DataConverter, PayloadCodec, SearchAttributeType } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { householdSearchAttributes } from '../workflows/household/search-attributes';

/**
 * Payloads encrypted, and failure messages and stack traces too (encodeCommonAttributes): an error
 * text can quote what it failed on, and Temporal would otherwise store it in clear.
 */
/**
 * Arrears imports run on a task queue of their own, polled by the same worker process: a file that
 * matches a thousand households sends a thousand signals, and the households' own workflow tasks
 * that follow must not queue the import's next step behind them (bench:import measured the import
 * waiting minutes for the shared queue while its own steps took seconds).
 */
export function importTaskQueue(taskQueue: string): string {
  return `${taskQueue}-imports`;
}

export function dataConverterFor(codec: PayloadCodec): DataConverter {
  return { payloadCodecs: [codec], failureConverterPath: require.resolve('./failure-converter') };
}

export async function connectClient(
  address: string,
  namespace: string,
  codec: PayloadCodec,
  /** Tracing's (lib/tracing.ts): the active span travels into the workflow's headers. */
  interceptors: WorkflowClientInterceptor[] = [],
): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ address });
  return { client: new Client({ connection, namespace, dataConverter: dataConverterFor(codec), interceptors: { workflow: interceptors } }), connection };
}

const indexedValueType: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  TEXT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/**
 * Registers our search attributes on the namespace. The dev server ignores the ones given at start
 * when its database file already exists, and a production namespace may predate a new attribute;
 * adding the same attribute with the same type again is accepted, so this runs at every start.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = householdSearchAttributes.filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueType[key.type]])),
  });
}
