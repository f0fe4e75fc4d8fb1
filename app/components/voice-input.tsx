// Speaking instead of typing (issue 15): where the browser offers speech recognition
// (SpeechRecognition, or Chrome's webkitSpeechRecognition), a microphone button appends what was
// recognised to a text field, in the interface's language. Where it doesn't, nothing is shown:
// the field works as before. The text is appended through the field's own input event, so a
// form that watches its fields sees it like typing, and the field's maxLength is kept.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

type Alternative = { transcript: string };
type Result = { isFinal: boolean; 0: Alternative; length: number };
type ResultEvent = { resultIndex: number; results: ArrayLike<Result> };
type Recognition = {
  lang: string;
  continuous: boolean;
  interimResults: boolean;
  start(): void;
  stop(): void;
  abort(): void;
  onresult: ((e: ResultEvent) => void) | null;
  onerror: ((e: { error: string }) => void) | null;
  onend: (() => void) | null;
};
type RecognitionCtor = new () => Recognition;

function recognitionCtor(): RecognitionCtor | null {
  const w = window as unknown as { SpeechRecognition?: RecognitionCtor; webkitSpeechRecognition?: RecognitionCtor };
  return w.SpeechRecognition ?? w.webkitSpeechRecognition ?? null;
}

/** Appends to an uncontrolled input or textarea as if typed (React and other listeners hear an input event). */
function appendTo(field: HTMLTextAreaElement | HTMLInputElement, text: string, lang: string) {
  const before = field.value;
  const joiner = before && !/\s$/.test(before) && lang === "en" ? " " : "";
  let next = before + joiner + text.trim();
  if (field.maxLength > 0) next = next.slice(0, field.maxLength);
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(field) as object, "value")?.set;
  if (setter) setter.call(field, next);
  else field.value = next;
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

export function VoiceInput({ targetId }: { targetId: string }) {
  const { t, i18n } = useTranslation();
  const [available, setAvailable] = useState(false);
  const [listening, setListening] = useState(false);
  const [failed, setFailed] = useState(false);
  const recognition = useRef<Recognition | null>(null);

  useEffect(() => {
    setAvailable(recognitionCtor() !== null);
    return () => recognition.current?.abort();
  }, []);
  if (!available) return null;

  const lang = i18n.language === "en" ? "en" : "zh-CN";
  const toggle = () => {
    if (listening) return recognition.current?.stop();
    const Ctor = recognitionCtor();
    if (!Ctor) return;
    const r = new Ctor();
    r.lang = lang === "en" ? "en-US" : "zh-CN";
    r.continuous = true;
    r.interimResults = false;
    r.onresult = (e) => {
      const field = document.getElementById(targetId) as HTMLTextAreaElement | HTMLInputElement | null;
      if (!field) return;
      for (let i = e.resultIndex; i < e.results.length; i++) {
        const result = e.results[i]!;
        if (result.isFinal && result[0]?.transcript.trim()) appendTo(field, result[0].transcript, lang);
      }
    };
    // "no-speech" and "aborted" are not failures worth a message; anything else (no microphone, refused) is.
    r.onerror = (e) => setFailed(e.error !== "no-speech" && e.error !== "aborted");
    r.onend = () => setListening(false);
    recognition.current = r;
    setFailed(false);
    try {
      r.start();
      setListening(true);
    } catch {
      setFailed(true);
    }
  };

  return (
    <div className="voice-input">
      <button
        type="button"
        className={listening ? "btn" : "btn secondary"}
        aria-pressed={listening}
        aria-controls={targetId}
        onClick={toggle}
        data-testid="voice-input"
      >
        <span aria-hidden="true">🎤 </span>
        {listening ? t("liveux.voice.stop") : t("liveux.voice.start")}
      </button>
      <p className="muted" role="status" aria-live="polite" data-testid="voice-status">
        {listening ? t("liveux.voice.listening") : failed ? t("liveux.voice.failed") : ""}
      </p>
    </div>
  );
}
