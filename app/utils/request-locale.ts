import { createContext, useContext } from "react";
import { localeSchema, type Locale } from "./domain";

/**
 * The request's language for a page rendered without the root loader's data: a URL that
 * matches no route (404) renders the error page before any loader runs. The server sets it
 * (entry.server.tsx); in the browser the document's lang attribute, which the server wrote, says it.
 */
export const RequestLocaleContext = createContext<Locale | null>(null);

export function useRequestLocale(): Locale | null {
  const fromServer = useContext(RequestLocaleContext);
  if (fromServer) return fromServer;
  if (typeof document === "undefined") return null;
  const parsed = localeSchema.safeParse(document.documentElement.lang);
  return parsed.success ? parsed.data : null;
}
