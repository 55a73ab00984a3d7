import { createContext } from "react";

/**
 * The level of the heading markdown sits under (a stack's name, a dashboard card's title): the markdown's top heading
 * is shifted to the level below it (the others keep their distance), so a pushed `# Title` never breaks the page's
 * outline. 0 (the default) leaves headings as written.
 */
export const MarkdownHeadingBase = createContext(0);
