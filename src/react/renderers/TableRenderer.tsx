import { useTable } from "../hooks/useTable";
import { DownloadButton } from "../ui/DownloadButton";
import { ErrorState } from "../ui/ErrorState";
import { Skeleton } from "../ui/Skeleton";
import { DataTable } from "./table/DataTable";
import type { AttachmentRendererProps } from "./types";

/** A dataframe attachment as a sortable, virtualized table, with a download of the full data as CSV. */
export function TableRenderer({ stack, frameId, attachment }: AttachmentRendererProps) {
  const query = useTable(stack, frameId, attachment);
  if (query.isPending) return <Skeleton variant="table" label="Loading table…" />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  const name = stack.split("/").pop() ?? stack;
  return (
    <DataTable
      // A new attachment starts unsorted at the top.
      key={`${frameId}:${attachment.index}`}
      table={query.data}
      label={attachment.description ? `${name}: ${firstLine(attachment.description)}` : `${name} data`}
      toolbar={<DownloadButton stack={stack} frameId={frameId} attachment={attachment} label="Download CSV" />}
    />
  );
}

function firstLine(markdown: string): string {
  const line = markdown.split("\n").find((l) => l.trim() !== "") ?? "";
  return line
    .replace(/[#*_`>[\]]/g, "")
    .trim()
    .slice(0, 80);
}
