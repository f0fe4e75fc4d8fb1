// Drafts of a form kept on the phone (issue 15): what is typed into the topic form is written to
// localStorage as it is typed, so a send that fails (no connection: the page is replaced by an
// error) or a closed tab loses nothing; it comes back when the form is opened again, and goes once
// the server has taken the form (the action redirected to what it made).
import { useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type RefObject } from "react";
import { useTranslation } from "react-i18next";

type Draft = Record<string, string>;

function read(key: string): Draft | null {
  try {
    const raw = window.localStorage.getItem(key);
    const value: unknown = raw ? JSON.parse(raw) : null;
    if (!value || typeof value !== "object") return null;
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return null;
  }
}

/**
 * Keeps the named text fields of `form` under `key`. Returns whether a draft was put back, and a
 * way to discard it. `savedTo`: the path prefix the action redirects to when it succeeded.
 */
export function useFormDraft(form: RefObject<HTMLFormElement | null>, key: string, fields: readonly string[], savedTo: string) {
  const [restored, setRestored] = useState(false);
  const navigation = useNavigation();
  const storageKey = `yishi:draft:${key}`;
  const fieldList = fields.join(",");
  const done = useRef(false);

  useEffect(() => {
    const el = form.current;
    if (!el) return;
    const names = fieldList.split(",");
    const draft = read(storageKey);
    let any = false;
    for (const name of names) {
      const input = el.elements.namedItem(name);
      if (draft?.[name] && (input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) && !input.value) {
        input.value = draft[name];
        any = true;
      }
    }
    setRestored(any);
    const save = () => {
      if (done.current) return;
      const value: Draft = {};
      for (const name of names) {
        const input = el.elements.namedItem(name);
        if ((input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) && input.value) value[name] = input.value;
      }
      try {
        if (Object.keys(value).length) window.localStorage.setItem(storageKey, JSON.stringify(value));
        else window.localStorage.removeItem(storageKey);
      } catch {
        // A full or disabled storage only loses the draft, never the form.
      }
    };
    el.addEventListener("input", save);
    return () => el.removeEventListener("input", save);
  }, [form, storageKey, fieldList]);

  // The action took the form and redirected to what it made: the draft has done its job.
  const redirectedTo = navigation.state === "loading" && navigation.formMethod ? navigation.location.pathname : null;
  useEffect(() => {
    if (redirectedTo?.startsWith(savedTo)) {
      done.current = true;
      try {
        window.localStorage.removeItem(storageKey);
      } catch {
        // nothing kept, nothing to remove
      }
    }
  }, [redirectedTo, savedTo, storageKey]);

  const discard = () => {
    try {
      window.localStorage.removeItem(storageKey);
    } catch {
      // as above
    }
    const el = form.current;
    for (const name of fieldList.split(",")) {
      const input = el?.elements.namedItem(name);
      if (input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) input.value = "";
    }
    setRestored(false);
  };
  return { restored, discard };
}

/** The note shown when a draft came back, with a button to discard it. */
export function DraftRestored({ restored, discard }: { restored: boolean; discard: () => void }) {
  const { t } = useTranslation();
  if (!restored) return null;
  return (
    <p className="notice" role="status" data-testid="draft-restored">
      {t("uxrest.offline.draftRestored")}{" "}
      <button type="button" className="link-button" onClick={discard}>
        {t("uxrest.offline.draftClear")}
      </button>
    </p>
  );
}
