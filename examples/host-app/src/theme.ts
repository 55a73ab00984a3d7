// The page's colour scheme: the system's, or one chosen in settings. The kit's components follow the page.
export type ThemeChoice = "system" | "light" | "dark";
const KEY = "dstack-app.theme";

export function readTheme(): ThemeChoice {
  const value = localStorage.getItem(KEY);
  return value === "light" || value === "dark" ? value : "system";
}

export function applyTheme(choice: ThemeChoice): void {
  if (choice === "system") localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  document.documentElement.dataset.theme = choice;
  document.documentElement.style.colorScheme = choice === "system" ? "light dark" : choice;
}
