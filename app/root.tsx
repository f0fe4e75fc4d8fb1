import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useLocation,
  useRouteError,
  useFetcher,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { createI18n } from "~/i18n";
import { unreadCount } from "~/models/notification.server";
import { getUser } from "~/utils/auth.server";
import { DEFAULT_LOCALE, type Locale } from "~/utils/domain";
import { useLiveEvents } from "~/utils/live-events";
import { getLocale } from "~/utils/locale.server";
import { textSizeOf } from "~/utils/text-size.server";
import { contrastOf } from "~/utils/contrast.server";
import { useNonce } from "~/utils/nonce";
import { pageMeta } from "~/utils/page-meta";
import { OfflineBanner, useServiceWorker } from "~/components/offline";
import { useRequestLocale } from "~/utils/request-locale";
import styles from "~/styles.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
  { rel: "manifest", href: "/manifest.webmanifest" },
  { rel: "apple-touch-icon", href: "/icons/apple-touch-icon.png" },
];

/** The app's full name: pages name themselves with their own `meta` (app/utils/page-meta.ts). */
export const meta: MetaFunction = (args) => pageMeta(args, () => null);

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, user, textSize, contrast] = await Promise.all([getLocale(request), getUser(request), textSizeOf(request), contrastOf(request)]);
  const unread = user ? await unreadCount(user.id) : 0;
  return { locale, user: user ? { id: user.id, displayName: user.displayName } : null, unread, textSize, contrast };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const requestLocale = useRequestLocale();
  const locale: Locale = data?.locale ?? requestLocale ?? DEFAULT_LOCALE;
  const i18n = useMemo(() => createI18n(locale), [locale]);
  const nonce = useNonce();
  return (
    <html
      lang={locale}
      className={[data?.textSize === "large" ? "large-text" : "", data?.contrast === "high" ? "high-contrast" : ""].join(" ").trim() || undefined}
    >
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="theme-color" content="#b71c1c" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <a className="skip-link" href="#main">
            {i18n.t("ux.skipToContent")}
          </a>
          <TopBar />
          <main id="main" tabIndex={-1}>
            <OfflineBanner signedIn={Boolean(data?.user)} />
            {children}
          </main>
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function TopBar() {
  const data = useRouteLoaderData<typeof loader>("root");
  const { t, i18n } = useTranslation();
  const location = useLocation();
  const locale = (i18n.language as Locale | undefined) ?? data?.locale ?? DEFAULT_LOCALE;
  const other: Locale = locale === "zh-CN" ? "en" : "zh-CN";
  // With JavaScript the switch happens in place: the root loader runs again and the page re-renders in
  // the other language, so whatever was typed into a form stays. Without it, the form posts and redirects back.
  const language = useFetcher();
  return (
    <header className="topbar">
      <a className="brand" href="/">
        {t("app.name")}
      </a>
      <Form
        method="post"
        action="/language"
        className="lang-form"
        onSubmit={(e) => {
          e.preventDefault();
          language.submit({ locale: other }, { method: "post", action: "/language" });
        }}
      >
        <input type="hidden" name="locale" value={other} />
        <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
        <button className="btn ghost" type="submit" aria-label={t("nav.language")} lang={other} data-testid="language-switch">
          {t(`languages.${other}`)}
        </button>
      </Form>
      <TextSizeSwitch large={data?.textSize === "large"} />
      <ContrastSwitch high={data?.contrast === "high"} />
      {data?.user ? (
        <>
          <NotificationsLink unread={data.unread} />
          <span className="who" data-testid="current-user">
            {data.user.displayName}
          </span>
          <Form method="post" action="/logout">
            <button className="btn ghost" type="submit" aria-label={t("nav.signOut")}>
              <span className="label-long">{t("nav.signOut")}</span>
              <span className="label-short" aria-hidden="true">
                {t("nav.signOutShort")}
              </span>
            </button>
          </Form>
        </>
      ) : (
        <a className="btn ghost" href="/login">
          {t("nav.signIn")}
        </a>
      )}
    </header>
  );
}

/** 大字 / Large text: one tap, remembered (app/routes/text-size.tsx); in place with JavaScript, a redirect without. */
function TextSizeSwitch({ large }: { large: boolean }) {
  const { t } = useTranslation();
  const location = useLocation();
  const fetcher = useFetcher();
  const next = large ? "normal" : "large";
  return (
    <Form
      method="post"
      action="/text-size"
      className="lang-form"
      onSubmit={(e) => {
        e.preventDefault();
        fetcher.submit({ size: next }, { method: "post", action: "/text-size" });
      }}
    >
      <input type="hidden" name="size" value={next} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button className="btn ghost text-size" type="submit" aria-pressed={large} aria-label={t("ux.largeText")} data-testid="text-size">
        <span aria-hidden="true">{t("ux.largeTextShort")}</span>
      </button>
    </Form>
  );
}

/** 高对比度 / High contrast: one tap beside large text, remembered (app/routes/contrast.tsx); the two combine. */
function ContrastSwitch({ high }: { high: boolean }) {
  const { t } = useTranslation();
  const location = useLocation();
  const fetcher = useFetcher();
  const next = high ? "normal" : "high";
  return (
    <Form
      method="post"
      action="/contrast"
      className="lang-form"
      onSubmit={(e) => {
        e.preventDefault();
        fetcher.submit({ contrast: next }, { method: "post", action: "/contrast" });
      }}
    >
      <input type="hidden" name="contrast" value={next} />
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      <button className="btn ghost contrast" type="submit" aria-pressed={high} aria-label={t("uxrest.contrast.label")} data-testid="contrast">
        {/* A half-filled circle: the usual sign for contrast, narrow enough for a 360 px top bar. */}
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" strokeWidth="2.5" />
          <path d="M12 3a9 9 0 0 1 0 18Z" fill="currentColor" />
        </svg>
      </button>
    </Form>
  );
}

/**
 * The bell in the top bar. While the socket is up, its "notification:unread"
 * events decide the count (a page's loader may have read it a moment before a
 * new notification); while it is down, the loaders do; after a reconnect the
 * count is read once again, since events may have been missed.
 */
function NotificationsLink({ unread: fromLoader }: { unread: number }) {
  const { t } = useTranslation();
  const [unread, setUnread] = useState(fromLoader);
  const connects = useRef(0);
  const { connected } = useLiveEvents({
    "notification:unread": (p: { unread: number }) => setUnread(p.unread),
    connect: () => {
      if (connects.current++ === 0) return;
      void fetch("/api/v1/notifications", { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? (r.json() as Promise<{ unread?: unknown }>) : null))
        .then((body) => {
          if (typeof body?.unread === "number") setUnread(body.unread);
        })
        .catch(() => {});
    },
  });
  useEffect(() => {
    if (!connected) setUnread(fromLoader);
  }, [fromLoader, connected]);
  return (
    <a className="notif-link" href="/notifications" aria-label={unread ? t("nav.notificationsUnread", { count: unread }) : t("nav.notifications")}>
      <svg className="bell" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
      </svg>
      <span className="label" aria-hidden="true">
        {t("nav.notifications")}
      </span>
      {unread > 0 ? (
        <span className="badge" data-testid="unread-badge" aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </a>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  useServiceWorker(Boolean(data.user));
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // A refusal thrown by a page carries its key (app/utils/refusal.server.ts); older throws only a status.
  const data = isRouteErrorResponse(error) && error.data && typeof error.data === "object" ? (error.data as { key?: unknown; values?: unknown }) : null;
  const given = data?.key;
  const values = data?.values && typeof data.values === "object" ? (data.values as Record<string, string | number>) : {};
  const key =
    typeof given === "string" && /^errors\.[A-Za-z]+$/.test(given)
      ? given
      : status === 404
        ? "errors.notFound"
        : status === 403
          ? "errors.forbidden"
          : status === 401
            ? "errors.unauthorized"
            : "errors.generic";
  return (
    <div className="card stack" role="alert">
      <h1>
        {status} · {t(key, values)}
      </h1>
      <a className="btn secondary" href="/">
        {t("errorPage.back")}
      </a>
    </div>
  );
}
