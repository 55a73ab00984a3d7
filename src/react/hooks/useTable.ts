import { type UseQueryResult, useQuery } from "@tanstack/react-query";
import { decodeAttachment } from "../../client/decode";
import { type ColumnTable, isColumnTable } from "../../model/columnTable";
import { MalformedAttachmentError } from "../../model/errors";
import { dstackKeys } from "../queryKeys";
import { type DstackQueryOptions, shouldRetry } from "./queryOptions";
import { type AttachmentRef, attachmentInfo, fetchBytes, useAttachmentLocation } from "./useAttachment";

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
  const at = useAttachmentLocation(stack, frameId, attachment);
  return useQuery({
    queryKey: dstackKeys.table(at.storeKey, at.path, frameId, at.index),
    queryFn: async () => {
      const [info, blob] = await Promise.all([attachmentInfo(at, attachment), fetchBytes(at, attachment)]);
      const table = await decodeAttachment(info, blob, at.tableParser ? { parser: at.tableParser } : {});
      if (!isColumnTable(table)) {
        throw new MalformedAttachmentError(`attachment ${info.index} (${info.contentType}) is not a table`);
      }
      return table;
    },
    staleTime: Number.POSITIVE_INFINITY,
    // A decoded table can be large; let it go soon after nothing shows it.
    gcTime: 60_000,
    retry: shouldRetry,
    enabled: options.enabled ?? true,
  });
}
