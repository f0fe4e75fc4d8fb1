import { createContext, useContext } from "react";

/**
 * The Content-Security-Policy nonce of this page (server/http-security.ts makes
 * one per request). Empty in the browser: it hides nonces from scripts, and the
 * scripts are already running by then.
 */
export const NonceContext = createContext("");
export const useNonce = () => useContext(NonceContext);
