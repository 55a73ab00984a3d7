/** The top-level folders of src/, bottom layer first; folders in one layer are peers. */
export declare const LAYERS: string[][];
/** Whether a src-relative path (with `/`) is test code or an entry, outside the layer rule. */
export declare function isExempt(file: string): boolean;
/** Wrong-way imports (one line each) and cycles between folders (one block each) under `src`. */
export declare function checkLayers(src?: string): { problems: string[]; cycles: string[] };
