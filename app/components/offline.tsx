// The installable app's client side (issue 15): registers the service worker (public/sw.js),
// says when the connection is lost, and marks a page the service worker answered from its kept
// copy ("离线副本").
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useLiveEvents } from "~/utils/live-events";

/**
 * Registers /sw.js once the page is up (production builds only: Vite's dev server serves modules
 * the worker must not keep). Whenever a page renders signed out (signed out here, elsewhere, or
 * the sign-in expired), the worker drops the pages it kept for whoever was signed in.
 */
export function useServiceWorker(signedIn: boolean) {
  useEffect(() => {
    if (!import.meta.env.PROD || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  }, []);
  useEffect(() => {
    if (!signedIn && "serviceWorker" in navigator) navigator.serviceWorker.controller?.postMessage("yishi:forget");
  }, [signedIn]);
}

/**
 * The banner: offline when the browser says so, or when the live connection (signed-in pages)
 * dropped without the server ending it — a server that signs someone out is not a lost connection.
 */
export function OfflineBanner({ signedIn }: { signedIn: boolean }) {
  const { t } = useTranslation();
  const [browserOffline, setBrowserOffline] = useState(false);
  const [socketLost, setSocketLost] = useState(false);
  const [copy, setCopy] = useState(false);
  useEffect(() => {
    const update = () => setBrowserOffline(!navigator.onLine);
    update();
    setCopy(document.documentElement.dataset.offlineCopy === "1");
    window.addEventListener("online", update);
    window.addEventListener("offline", update);
    return () => {
      window.removeEventListener("online", update);
      window.removeEventListener("offline", update);
    };
  }, []);
  return (
    <>
      {signedIn ? <SocketWatch onChange={setSocketLost} /> : null}
      <div className="offline-banner" role="status" aria-live="polite" data-testid="offline-banner" hidden={!(browserOffline || socketLost)}>
        {browserOffline || socketLost ? t("uxrest.offline.banner") : null}
      </div>
      {copy ? (
        <p className="notice offline-copy" data-testid="offline-copy">
          <strong>{t("uxrest.offline.copy")}</strong> {t("uxrest.offline.copyNote")}
        </p>
      ) : null}
    </>
  );
}

function SocketWatch({ onChange }: { onChange: (lost: boolean) => void }) {
  useLiveEvents({
    connect: () => onChange(false),
    disconnect: (reason: string) => onChange(reason !== "io server disconnect" && reason !== "io client disconnect"),
  });
  return null;
}
