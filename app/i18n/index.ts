import i18next, { type i18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import { DEFAULT_LOCALE, type Locale } from "~/utils/domain";
import { en } from "./en";
import { liveEn, liveErrorsEn } from "./live.en";
import { liveErrorsZhCN, liveZhCN } from "./live.zh-CN";
import { uxEn, uxErrorsEn } from "./ux.en";
import { uxErrorsZhCN, uxZhCN } from "./ux.zh-CN";
import { zhCN } from "./zh-CN";

export const resources = {
  "zh-CN": { translation: { ...zhCN, errors: { ...zhCN.errors, ...liveErrorsZhCN, ...uxErrorsZhCN }, live: liveZhCN, ux: uxZhCN } },
  en: { translation: { ...en, errors: { ...en.errors, ...liveErrorsEn, ...uxErrorsEn }, live: liveEn, ux: uxEn } },
} as const;

/** One instance per request on the server and one per page in the browser; resources are bundled, so init is synchronous. */
export function createI18n(locale: Locale): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    resources,
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
    showSupportNotice: false,
  });
  return instance;
}

const translators = new Map<Locale, TFunction>();
/** A translator for server-side messages (API errors) in the caller's language. */
export function translator(locale: Locale): TFunction {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = createI18n(locale).t));
  return t;
}
