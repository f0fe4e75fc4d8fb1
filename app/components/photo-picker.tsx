// Photos for a topic: "take a photo" opens the camera on a phone, "choose
// photos" the gallery; both send their files as `photos`. The server checks
// and re-encodes them; this only previews and warns early.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ProblemText, type Problem } from "./topic-ui";

type Preview = { url: string; name: string; size: number };

export function PhotoPicker({ max, maxBytes, error }: { max: number; maxBytes: number; error?: Problem }) {
  const { t } = useTranslation();
  const camera = useRef<HTMLInputElement>(null);
  const gallery = useRef<HTMLInputElement>(null);
  const [previews, setPreviews] = useState<Preview[]>([]);

  useEffect(() => () => previews.forEach((p) => URL.revokeObjectURL(p.url)), [previews]);

  const refresh = () => {
    const files = [...(camera.current?.files ?? []), ...(gallery.current?.files ?? [])];
    setPreviews(files.map((f) => ({ url: URL.createObjectURL(f), name: f.name, size: f.size })));
  };
  const clear = () => {
    if (camera.current) camera.current.value = "";
    if (gallery.current) gallery.current.value = "";
    refresh();
  };

  const tooMany = previews.length > max;
  const tooLarge = previews.findIndex((p) => p.size > maxBytes);
  const early: Problem | undefined = tooMany
    ? { key: "errors.tooManyPhotos", values: { max } }
    : tooLarge >= 0
      ? { key: "errors.photoTooLarge", values: { n: tooLarge + 1, mb: Math.round(maxBytes / 1024 / 1024) } }
      : undefined;

  return (
    <fieldset className="photos">
      <legend>{t("raise.photos", { max })}</legend>
      <div className="photo-buttons">
        <label className="btn secondary file-button">
          {t("raise.takePhoto")}
          <input ref={camera} type="file" name="photos" accept="image/*" capture="environment" onChange={refresh} data-testid="photo-camera" />
        </label>
        <label className="btn secondary file-button">
          {t("raise.choosePhotos")}
          <input ref={gallery} type="file" name="photos" accept="image/*" multiple onChange={refresh} data-testid="photo-input" />
        </label>
      </div>
      {previews.length > 0 ? (
        <>
          <p className="muted" aria-live="polite">
            {t("raise.photosChosen", { count: previews.length })}{" "}
            <button type="button" className="link-button" onClick={clear}>
              {t("raise.clearPhotos")}
            </button>
          </p>
          <ul className="thumbs">
            {previews.map((p) => (
              <li key={p.url}>
                <img src={p.url} alt={p.name} />
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="muted">{t("raise.photosHint")}</p>
      )}
      <ProblemText problem={error ?? early} id="photos-error" />
    </fieldset>
  );
}
