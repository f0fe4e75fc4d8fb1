// Photos for a topic: "take a photo" opens the camera on a phone, "choose photos" the
// gallery. Each pick adds to the photos already chosen (one at a time works), each can be
// removed, and each is made smaller on the phone first (app/utils/photo-shrink.ts). With
// photos, the form goes up through XMLHttpRequest so a progress bar can show how far it is.
// Without JavaScript the inputs post their files as `photos`, as before. The server checks
// and re-encodes whatever arrives; this only previews and warns early.
import { useNavigate, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { postWithProgress, shrinkPhoto } from "~/utils/photo-shrink";
import { ProblemText, type Problem } from "./topic-ui";

type Photo = { id: number; file: File; url: string; originalSize: number };
let nextId = 1;

export function PhotoPicker({ max, maxBytes, error }: { max: number; maxBytes: number; error?: Problem }) {
  const { t } = useTranslation();
  const fieldset = useRef<HTMLFieldSetElement>(null);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [shrinking, setShrinking] = useState(0);
  const [progress, setProgress] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const navigate = useNavigate();
  const submit = useSubmit();
  const sending = useRef(false);
  const latest = useRef(photos);
  latest.current = photos;

  useEffect(() => () => latest.current.forEach((p) => URL.revokeObjectURL(p.url)), []);

  const add = async (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    // Emptied at once: the next pick adds to these instead of replacing them.
    input.value = "";
    if (!files.length) return;
    setShrinking((n) => n + files.length);
    for (const original of files) {
      const file = await shrinkPhoto(original);
      setPhotos((list) => [...list, { id: nextId++, file, url: URL.createObjectURL(file), originalSize: original.size }]);
      setShrinking((n) => n - 1);
    }
  };
  const remove = (id: number) =>
    setPhotos((list) => {
      const gone = list.find((p) => p.id === id);
      if (gone) URL.revokeObjectURL(gone.url);
      return list.filter((p) => p.id !== id);
    });

  // With photos chosen, the form is sent here (with progress) instead of by Remix's <Form>.
  useEffect(() => {
    const form = fieldset.current?.closest("form");
    if (!form) return;
    const onSubmit = (event: SubmitEvent) => {
      const chosen = latest.current;
      if (!chosen.length) return;
      event.preventDefault();
      event.stopPropagation(); // Remix's own submit handler listens further up
      if (sending.current) return; // a second press while it goes up sends nothing twice
      sending.current = true;
      const body = new FormData(form, event.submitter);
      body.delete("photos");
      for (const p of chosen) body.append("photos", p.file, p.file.name);
      setFailed(false);
      setProgress(0);
      postWithProgress(form.action, body, setProgress)
        .then(({ status, url }) => {
          sending.current = false;
          const to = new URL(url, window.location.href);
          // Saved: go where the server sent us (the same page too, to show what was added). Checking
          // the path instead sent a form that posts to its own page (a task's progress) twice.
          if (status < 400) {
            navigate(to.pathname + to.search);
            return;
          }
          // Refused (nothing was saved): send it once more through Remix, which shows the reasons beside the fields.
          setProgress(null);
          submit(body, { method: "post", encType: "multipart/form-data", action: form.getAttribute("action") ?? undefined });
        })
        .catch(() => {
          sending.current = false;
          setProgress(null);
          setFailed(true);
        });
    };
    form.addEventListener("submit", onSubmit);
    return () => form.removeEventListener("submit", onSubmit);
  }, [navigate, submit]);

  const tooMany = photos.length > max;
  const tooLarge = photos.findIndex((p) => p.file.size > maxBytes);
  const early: Problem | undefined = tooMany
    ? { key: "errors.tooManyPhotos", values: { max } }
    : tooLarge >= 0
      ? { key: "errors.photoTooLarge", values: { n: tooLarge + 1, mb: Math.round(maxBytes / 1024 / 1024) } }
      : undefined;
  const full = photos.length + shrinking >= max;

  return (
    <fieldset className="photos" ref={fieldset}>
      <legend>{t("raise.photos", { max })}</legend>
      <div className="photo-buttons">
        <label className="btn secondary file-button" aria-disabled={full || undefined}>
          {t("raise.takePhoto")}
          <input
            type="file"
            name="photos"
            accept="image/*"
            capture="environment"
            disabled={full}
            onChange={(e) => void add(e.currentTarget)}
            data-testid="photo-camera"
          />
        </label>
        <label className="btn secondary file-button" aria-disabled={full || undefined}>
          {photos.length ? t("ux.photos.addMore") : t("raise.choosePhotos")}
          <input type="file" name="photos" accept="image/*" multiple disabled={full} onChange={(e) => void add(e.currentTarget)} data-testid="photo-input" />
        </label>
      </div>
      <p className="muted" aria-live="polite" data-testid="photos-count">
        {shrinking ? t("ux.photos.preparing") : photos.length ? t("raise.photosChosen", { count: photos.length }) : t("raise.photosHint")}
      </p>
      {photos.length > 0 ? (
        <ul className="thumbs">
          {photos.map((p, i) => (
            <li key={p.id} data-testid="photo-thumb">
              <img src={p.url} alt={t("ux.photos.nth", { n: i + 1 })} />
              <button type="button" className="btn secondary small" onClick={() => remove(p.id)} disabled={progress !== null}>
                {t("ux.photos.remove", { n: i + 1 })}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {progress !== null ? (
        <div className="upload-progress" data-testid="upload-progress">
          <label htmlFor="upload-progress-bar">
            {progress < 1 ? t("ux.photos.uploading", { percent: Math.round(progress * 100) }) : t("ux.photos.processing")}
          </label>
          <progress id="upload-progress-bar" max={100} value={Math.round(progress * 100)} />
        </div>
      ) : null}
      {failed ? (
        <p className="error" role="alert">
          {t("ux.photos.failed")}
        </p>
      ) : null}
      <ProblemText problem={error ?? early} id="photos-error" />
    </fieldset>
  );
}
