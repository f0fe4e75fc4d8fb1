// Remix's stock Node entry, plus the page's CSP nonce (server/http-security.ts
// puts a fresh one on every request and in the Content-Security-Policy header;
// root.tsx gives it to Remix's inline scripts), plus the realtime layer and the
// parsed environment: the Node entry reaches them through this build, so the
// process runs one module graph (docs/decisions/0004-one-module-graph.md).
import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { getLocale } from "./utils/locale.server";
import { NonceContext } from "./utils/nonce";
import { RequestLocaleContext } from "./utils/request-locale";

export { startRuntime } from "../server/runtime";
export { env } from "~/utils/env.server";

const ABORT_DELAY = 5_000;
/** Must equal NONCE_HEADER in server/http-security.ts (app code does not import server/). */
const NONCE_HEADER = "x-yishi-csp-nonce";

export default async function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  const locale = await getLocale(request);
  const nonce = request.headers.get(NONCE_HEADER) ?? "";
  // Bots and SPA mode get the whole document at once; browsers get the shell first.
  const whole = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const ready = () => {
      shellRendered = true;
      const body = new PassThrough();
      responseHeaders.set("Content-Type", "text/html");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RequestLocaleContext.Provider value={locale}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </RequestLocaleContext.Provider>
      </NonceContext.Provider>,
      {
        nonce,
        ...(whole ? { onAllReady: ready } : { onShellReady: ready }),
        onShellError: reject,
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors in the shell reject and are logged by Remix; log those streamed after it.
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
