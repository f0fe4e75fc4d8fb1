// 居民出题: raise a topic, with the place it concerns and up to nine photos.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef, useState } from "react";
import { DraftRestored, useFormDraft } from "~/components/form-draft";
import { useTranslation } from "react-i18next";
import { Field } from "~/components/field";
import { PhotoPicker } from "~/components/photo-picker";
import { VoiceInput } from "~/components/voice-input";
import { ProblemText, SelectField, TextAreaField, categoryName } from "~/components/topic-ui";
import { raiseTopic } from "~/models/topic.server";
import { prisma } from "~/utils/db.server";
import { categoriesOf, communityPage, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { readForm } from "~/utils/body.server";
import { orHttpError } from "~/utils/http.server";
import { refusalOf, refusalResponse } from "~/utils/refusal.server";
import { can } from "~/utils/permissions.server";
import { topicRaiseSchema } from "~/utils/schemas";
import { MAX_PHOTOS, MAX_PHOTO_BYTES } from "~/utils/uploads.server";

export const meta: MetaFunction = (args) => pageMeta(args, "raise.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "topic:raise");
  const [categories, grids, buildings] = await Promise.all([
    categoriesOf(community.id),
    prisma.grid.findMany({ where: { communityId: community.id }, orderBy: { code: "asc" }, select: { id: true, name: true } }),
    prisma.building.findMany({
      where: { communityId: community.id },
      orderBy: { name: "asc" },
      select: { id: true, name: true, gridId: true, units: { orderBy: { name: "asc" }, select: { id: true, name: true } } },
    }),
  ]);
  buildings.sort((a, b) => a.name.localeCompare(b.name, "zh-CN", { numeric: true }));
  // Most topics are about where the person lives: start from the building (and unit, grid) on their membership.
  const home = await prisma.membership.findFirst({
    where: { userId: actor.userId, communityId: community.id, deactivatedAt: null, OR: [{ buildingId: { not: null } }, { gridId: { not: null } }] },
    orderBy: { buildingId: { sort: "asc", nulls: "last" } },
    select: { gridId: true, buildingId: true, unitId: true },
  });
  const homeBuilding = buildings.find((b) => b.id === home?.buildingId);
  const place = {
    gridId: homeBuilding?.gridId ?? home?.gridId ?? "",
    buildingId: homeBuilding?.id ?? "",
    unitId: homeBuilding?.units.some((u) => u.id === home?.unitId) ? (home?.unitId ?? "") : "",
  };
  return {
    place,
    community,
    categories,
    grids,
    buildings,
    mayRaiseOnBehalf: can(actor, "topic:raiseOnBehalf", { type: "community", communityId: community.id }),
    maxPhotos: MAX_PHOTOS,
    maxPhotoBytes: MAX_PHOTO_BYTES,
  };
}

const FIELDS = ["title", "description", "category", "gridId", "buildingId", "unitId", "onBehalfOf"] as const;
type Values = Partial<Record<(typeof FIELDS)[number], string>>;

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "topic:raise");
  // Count the files as they stream in, so "photo 3 is too large" names the right one.
  let fileParts = 0;
  let form: FormData;
  try {
    // A form without photos may also come url-encoded (a script, an old browser).
    form = await readForm(request, { files: { maxFiles: MAX_PHOTOS, maxFileBytes: MAX_PHOTO_BYTES, onFile: () => fileParts++ } });
  } catch (error) {
    const refusal = refusalOf(error, "zh-CN");
    // A body we cannot read at all (wrong type, broken, far too large) is not something to show beside a field.
    if (refusal.field !== "photos") return refusalResponse(error, request);
    const problems = problemsFrom(error);
    if (problems.photos?.key === "errors.photoTooLarge") problems.photos.values = { ...problems.photos.values, n: Math.max(1, fileParts) };
    return data({ problems, values: {} as Values }, { status: 400 });
  }
  const values: Values = {};
  for (const f of FIELDS) {
    const v = form.get(f);
    if (typeof v === "string") values[f] = v;
  }
  const photos = form.getAll("photos").filter((p): p is File => typeof p !== "string");
  const parsed = topicRaiseSchema.safeParse(values);
  if (!parsed.success) return data({ problems: zodProblems(parsed.error), values }, { status: 400 });
  let topic: { id: string };
  try {
    topic = await orHttpError(() => raiseTopic(actor, community.id, parsed.data, photos));
  } catch (error) {
    if (error instanceof Response) throw error;
    return data({ problems: problemsFrom(error), values }, { status: 400 });
  }
  throw redirect(`/topics/${topic.id}`);
}

export default function RaiseTopic() {
  const { community, categories, grids, buildings, mayRaiseOnBehalf, maxPhotos, maxPhotoBytes, place } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, i18n } = useTranslation();
  const problems: Problems = result?.problems ?? {};
  const values: Values = result?.values ?? {};
  const [gridId, setGridId] = useState(values.gridId ?? place.gridId);
  const [buildingId, setBuildingId] = useState(values.buildingId ?? place.buildingId);
  const [unitId, setUnitId] = useState(values.unitId ?? place.unitId);
  const building = buildings.find((b) => b.id === buildingId);
  const shownBuildings = gridId ? buildings.filter((b) => b.gridId === gridId || b.id === buildingId) : buildings;
  const busy = navigation.state !== "idle";
  const invalidCount = Object.keys(problems).length;
  const formRef = useRef<HTMLFormElement>(null);
  const draft = useFormDraft(formRef, `topic:${community.slug}`, ["title", "description", "onBehalfOf"], "/topics/");

  return (
    <div>
      <p className="muted">
        <a href={`/c/${community.slug}/topics`}>← {t("raise.back")}</a>
      </p>
      <h1>{t("raise.title")}</h1>
      <p className="muted">{t("raise.intro", { community: community.name })}</p>
      <Form
        ref={formRef}
        method="post"
        encType="multipart/form-data"
        className="card stack"
        noValidate
        aria-describedby={invalidCount ? "raise-problems" : undefined}
      >
        <DraftRestored {...draft} />
        {invalidCount ? (
          <p className="notice" id="raise-problems" role="alert">
            {t("raise.fixProblems", { count: invalidCount })}
          </p>
        ) : null}
        <Field
          name="title"
          label={t("raise.titleLabel")}
          hint={t("raise.titleHint")}
          defaultValue={values.title}
          error={problems.title?.key}
          maxLength={60}
          required
          autoComplete="off"
        />
        <TextAreaField
          name="description"
          label={t("raise.description")}
          hint={t("raise.descriptionHint")}
          defaultValue={values.description}
          error={problems.description}
          maxLength={2000}
          rows={5}
        />
        <VoiceInput targetId="field-description" />
        <SelectField name="category" label={t("raise.category")} defaultValue={values.category ?? "other"} error={problems.category}>
          {categories.map((c) => (
            <option key={c.key} value={c.key}>
              {categoryName(categories, c.key, i18n.language)}
            </option>
          ))}
        </SelectField>
        <fieldset className="place">
          <legend>{t("raise.place")}</legend>
          <SelectField
            name="gridId"
            label={t("raise.grid")}
            value={gridId}
            error={problems.gridId}
            onChange={(e) => {
              setGridId(e.target.value);
              if (e.target.value && building && building.gridId !== e.target.value) {
                setBuildingId("");
                setUnitId("");
              }
            }}
          >
            <option value="">{t("raise.none")}</option>
            {grids.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            name="buildingId"
            label={t("raise.building")}
            value={buildingId}
            error={problems.buildingId}
            onChange={(e) => {
              const next = buildings.find((b) => b.id === e.target.value);
              setBuildingId(e.target.value);
              setUnitId("");
              if (next?.gridId) setGridId(next.gridId);
            }}
          >
            <option value="">{t("raise.none")}</option>
            {shownBuildings.map((b) => (
              <option key={b.id} value={b.id}>
                {b.name}
              </option>
            ))}
          </SelectField>
          <SelectField
            name="unitId"
            label={t("raise.unit")}
            value={unitId}
            error={problems.unitId}
            disabled={!building}
            onChange={(e) => setUnitId(e.target.value)}
          >
            <option value="">{building ? t("raise.none") : t("raise.unitFirst")}</option>
            {(building?.units ?? []).map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </SelectField>
        </fieldset>
        <PhotoPicker max={maxPhotos} maxBytes={maxPhotoBytes} error={problems.photos} />
        {mayRaiseOnBehalf ? (
          <Field
            name="onBehalfOf"
            label={t("raise.onBehalfOf")}
            hint={t("raise.onBehalfOfHint")}
            defaultValue={values.onBehalfOf}
            error={problems.onBehalfOf?.key}
            maxLength={40}
            autoComplete="off"
          />
        ) : null}
        <ProblemText problem={problems._form} />
        <button className="btn block" type="submit" disabled={busy}>
          {busy ? t("raise.submitting") : t("raise.submit")}
        </button>
      </Form>
    </div>
  );
}
