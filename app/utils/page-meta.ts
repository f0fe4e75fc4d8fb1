// Every page's <title> is set in the server-rendered HTML (issue 15): the page's name, then the
// app's, in the language the page is rendered in (the root loader's locale).
import type { MetaArgs, MetaDescriptor } from "@remix-run/node";
import { translator } from "~/i18n";
import { DEFAULT_LOCALE, localeSchema, type Locale } from "~/utils/domain";

export function localeOfMatches(matches: MetaArgs["matches"]): Locale {
  const data = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  const parsed = localeSchema.safeParse(data?.locale);
  return parsed.success ? parsed.data : DEFAULT_LOCALE;
}

/**
 * The title of a page: an i18n key (with values), or a function of the translator and the
 * page's loader data for pages named after what they show (a topic's title).
 */
export function pageMeta(
  args: Pick<MetaArgs, "matches" | "data">,
  title: string | ((t: ReturnType<typeof translator>, data: unknown) => string | null | undefined),
  values?: Record<string, string | number>,
): MetaDescriptor[] {
  const t = translator(localeOfMatches(args.matches));
  let name: string | null | undefined;
  try {
    name = typeof title === "string" ? t(title, values) : title(t, args.data);
  } catch {
    name = null;
  }
  return [{ title: name ? `${name} · ${t("app.name")}` : t("app.fullName") }];
}
