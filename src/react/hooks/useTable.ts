import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import type { ColumnTable } from "../../model/columnTable";
import { useDstackContext } from "../context";
import { type AttachmentRef, tableQueryOptions } from "./attachmentQueries";
import type { DstackQueryOptions } from "./queryOptions";

/**
 * A dataframe attachment as a ColumnTable. Decoding goes through `decodeAttachment` (src/client/decode.ts), as
 * `pull` does, with the provider's `tableParser` (workers) when it has one.
 * @example const { data: table } = useTable("sales", frameId, 0); table?.rowCount
 */
export function useTable(
  stack: string,
  frameId: string,
  attachment: AttachmentRef,
  options: DstackQueryOptions = {},
): UseQueryResult<ColumnTable> {
  const { store, storeKey, tableParser } = useDstackContext();
  return useQuery({
    ...tableQueryOptions(store, stack, frameId, attachment, { cacheKey: storeKey, tableParser }),
    enabled: options.enabled ?? true,
  });
}
