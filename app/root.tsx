import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
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
import { useNonce } from "~/utils/nonce";
import styles from "~/styles.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, user] = await Promise.all([getLocale(request), getUser(request)]);
  const unread = user ? await unreadCount(user.id) : 0;
  return { locale, user: user ? { id: user.id, displayName: user.displayName } : null, unread };
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const locale: Locale = data?.locale ?? DEFAULT_LOCALE;
  const i18n = useMemo(() => createI18n(locale), [locale]);
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{i18n.t("app.fullName")}</title>
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <TopBar />
          <main>{children}</main>
        </I18nextProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function TopBar() {
  const data = useRouteLoaderData<typeof loader>("root");
  const { t } = useTranslation();
  const location = useLocation();
  const locale = data?.locale ?? DEFAULT_LOCALE;
  const other: Locale = locale === "zh-CN" ? "en" : "zh-CN";
  return (
    <header className="topbar">
      <a className="brand" href="/">
        {t("app.name")}
      </a>
      <Form method="post" action="/language" className="lang-form" reloadDocument>
        <input type="hidden" name="locale" value={other} />
        <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
        <button className="btn ghost" type="submit" aria-label={t("nav.language")} lang={other}>
          {t(`languages.${other}`)}
        </button>
      </Form>
      {data?.user ? (
        <>
          <NotificationsLink unread={data.unread} />
          <span className="who" data-testid="current-user">
            {data.user.displayName}
          </span>
          <Form method="post" action="/logout">
            <button className="btn ghost" type="submit">
              {t("nav.signOut")}
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
      <span aria-hidden="true">{t("nav.notifications")}</span>
      {unread > 0 ? (
        <span className="badge" data-testid="unread-badge" aria-hidden="true">
          {unread > 99 ? "99+" : unread}
        </span>
      ) : null}
    </a>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
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
