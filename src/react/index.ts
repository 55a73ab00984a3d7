"use client";
// dstack-kit/react: provider, hooks, StackView, Dashboard, widgets and renderers. Nothing here touches the DOM at import time.

export type { Theme } from "./context";
export { DstackProvider, type DstackProviderProps } from "./DstackProvider";
export { Dashboard, type DashboardProps } from "./dashboard/Dashboard";
export {
  type AttachmentQueryFactoryOptions,
  attachmentBytesQueryOptions,
  attachmentQueryOptions,
  tableQueryOptions,
} from "./hooks/attachmentQueries";
export {
  dashboardQueryOptions,
  dashboardsQueryOptions,
  frameQueryOptions,
  type QueryFactoryOptions,
  stackQueryOptions,
  stacksQueryOptions,
} from "./hooks/queryFactories";
export type { DstackQueryOptions } from "./hooks/queryOptions";
export { type AttachmentRef, useAttachment, useAttachmentBytes } from "./hooks/useAttachment";
export { useDashboard } from "./hooks/useDashboard";
export { useCreateDashboard, useDeleteDashboard } from "./hooks/useDashboardActions";
export { useDashboards } from "./hooks/useDashboards";
export { useFrame } from "./hooks/useFrame";
export { useStack } from "./hooks/useStack";
export { useStacks } from "./hooks/useStacks";
export { useTable } from "./hooks/useTable";
export { useUpdateStack } from "./hooks/useUpdateStack";
export { prefetchStack } from "./prefetch";
export { defaultRenderers } from "./renderers/defaultRenderers";
export type {
  BokehLike,
  BokehScripts,
  BokehSource,
  PlotlyLike,
  PlotlySource,
} from "./renderers/externalLibraries";
export { DataTable, type DataTableProps } from "./renderers/table/DataTable";
export type { AttachmentRenderer, AttachmentRendererProps } from "./renderers/types";
export { AttachmentView, type AttachmentViewProps } from "./stackView/AttachmentView";
export { StackView, type StackViewProps } from "./stackView/StackView";
export { type ControllableStateOptions, useControllableState } from "./state/useControllableState";
export { dstackCss } from "./styles/dstackCss";
export { ErrorState, type ErrorStateProps } from "./ui/ErrorState";
export { SafeMarkdown, type SafeMarkdownProps } from "./ui/SafeMarkdown";
export { Skeleton, type SkeletonProps } from "./ui/Skeleton";
export { CheckboxControl } from "./widgets/CheckboxControl";
export { ParamControls, type ParamControlsProps } from "./widgets/ParamControls";
export { SearchableSelectControl } from "./widgets/SearchableSelectControl";
export { SelectControl } from "./widgets/SelectControl";
export { SliderControl } from "./widgets/SliderControl";
export { TabsControl, type TabsControlProps } from "./widgets/TabsControl";
export type { WidgetProps } from "./widgets/types";
