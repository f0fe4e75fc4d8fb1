import i18next, { type i18n, type TFunction } from "i18next";
import { initReactI18next } from "react-i18next";
import { DEFAULT_LOCALE, type Locale } from "~/utils/domain";
import { dashboardEn } from "./dashboard.en";
import { dashboardZhCN } from "./dashboard.zh-CN";
import { en } from "./en";
import { liveEn, liveErrorsEn } from "./live.en";
import { liveErrorsZhCN, liveZhCN } from "./live.zh-CN";
import { minutesEn, minutesErrorsEn, minutesNotificationsEn } from "./minutes.en";
import { minutesErrorsZhCN, minutesNotificationsZhCN, minutesZhCN } from "./minutes.zh-CN";
import { uxEn, uxErrorsEn } from "./ux.en";
import { uxErrorsZhCN, uxZhCN } from "./ux.zh-CN";
import { zhCN } from "./zh-CN";
import { liveuxEn, liveuxErrorsEn, liveuxTimelineEn } from "./liveux.en";
import { liveuxErrorsZhCN, liveuxTimelineZhCN, liveuxZhCN } from "./liveux.zh-CN";
import { secretaryEn, secretaryErrorsEn } from "./secretary.en";
import { secretaryErrorsZhCN, secretaryZhCN } from "./secretary.zh-CN";
import { tasksEn, tasksErrorsEn, tasksNotificationsEn } from "./tasks.en";
import { tasksErrorsZhCN, tasksNotificationsZhCN, tasksZhCN } from "./tasks.zh-CN";
import { districtZhCN, organizationsZhCN, placesAuditZhCN, placesErrorsZhCN, placesZhCN, seatPlaceZhCN } from "./places.zh-CN";
import { districtEn, organizationsEn, placesAuditEn, placesErrorsEn, placesEn, seatPlaceEn } from "./places.en";
import { rosterAuditEn, rosterEn, rosterErrorsEn } from "./roster.en";
import { rosterAuditZhCN, rosterErrorsZhCN, rosterZhCN } from "./roster.zh-CN";
import { uxrestAuditEn, uxrestEn, uxrestErrorsEn } from "./uxrest.en";
import { uxrestAuditZhCN, uxrestErrorsZhCN, uxrestZhCN } from "./uxrest.zh-CN";
import { volunteerAuditEn, volunteerEn, volunteerErrorsEn, volunteerNotificationsEn } from "./volunteer.en";
import { volunteerAuditZhCN, volunteerErrorsZhCN, volunteerNotificationsZhCN, volunteerZhCN } from "./volunteer.zh-CN";

export const resources = {
  "zh-CN": {
    translation: {
      ...zhCN,
      errors: {
        ...zhCN.errors,
        ...liveuxErrorsZhCN,
        ...liveErrorsZhCN,
        ...minutesErrorsZhCN,
        ...tasksErrorsZhCN,
        ...rosterErrorsZhCN,
        ...placesErrorsZhCN,
        ...uxErrorsZhCN,
        ...secretaryErrorsZhCN,
        ...uxrestErrorsZhCN,
        ...volunteerErrorsZhCN,
      },
      uxrest: uxrestZhCN,
      secretary: secretaryZhCN,
      live: liveZhCN,
      ux: uxZhCN,
      minutes: { ...minutesZhCN, timeline: { ...minutesZhCN.timeline, ...liveuxTimelineZhCN } },
      tasks: tasksZhCN,
      dashboard: dashboardZhCN,
      liveux: liveuxZhCN,
      roster: rosterZhCN,
      places: placesZhCN,
      organizations: organizationsZhCN,
      district: districtZhCN,
      seatPlace: seatPlaceZhCN,
      volunteer: volunteerZhCN,
      audit: { ...zhCN.audit, actions: { ...zhCN.audit.actions, ...placesAuditZhCN, ...rosterAuditZhCN, ...uxrestAuditZhCN, ...volunteerAuditZhCN } },
      notifications: {
        ...zhCN.notifications,
        types: { ...zhCN.notifications.types, ...minutesNotificationsZhCN, ...tasksNotificationsZhCN, ...volunteerNotificationsZhCN },
      },
    },
  },
  en: {
    translation: {
      ...en,
      errors: {
        ...en.errors,
        ...liveuxErrorsEn,
        ...liveErrorsEn,
        ...minutesErrorsEn,
        ...tasksErrorsEn,
        ...rosterErrorsEn,
        ...placesErrorsEn,
        ...uxErrorsEn,
        ...secretaryErrorsEn,
        ...uxrestErrorsEn,
        ...volunteerErrorsEn,
      },
      uxrest: uxrestEn,
      secretary: secretaryEn,
      live: liveEn,
      ux: uxEn,
      minutes: { ...minutesEn, timeline: { ...minutesEn.timeline, ...liveuxTimelineEn } },
      tasks: tasksEn,
      dashboard: dashboardEn,
      liveux: liveuxEn,
      roster: rosterEn,
      places: placesEn,
      organizations: organizationsEn,
      district: districtEn,
      seatPlace: seatPlaceEn,
      volunteer: volunteerEn,
      audit: { ...en.audit, actions: { ...en.audit.actions, ...placesAuditEn, ...rosterAuditEn, ...uxrestAuditEn, ...volunteerAuditEn } },
      notifications: {
        ...en.notifications,
        types: { ...en.notifications.types, ...minutesNotificationsEn, ...tasksNotificationsEn, ...volunteerNotificationsEn },
      },
    },
  },
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
