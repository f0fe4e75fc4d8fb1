// 网格、楼栋、单元与住户: staff build the community's places, rename, move, merge and archive them.
import type { MetaFunction } from "@remix-run/node";
import { pageMeta } from "~/utils/page-meta";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Outcome } from "~/components/outcome";
import {
  archivePlace,
  createPlace,
  mergePlaces,
  moveBuilding,
  placeTree,
  renamePlace,
  type BuildingNode,
  type GridNode,
  type UnitNode,
} from "~/models/places.server";
import { placeKindSchema, type PlaceKind } from "~/utils/domain";
import { communityPage, fieldsOf, formOf, problemsFrom, zodProblems, type Problems } from "~/utils/forms.server";
import { placeCreateSchema, placeMergeSchema, placeRenameSchema } from "~/utils/places-schemas";
import { idSchema } from "~/utils/schemas";

export const meta: MetaFunction = (args) => pageMeta(args, "places.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "place:manage");
  const archived = new URL(request.url).searchParams.get("archived") === "1";
  return { community, archived, tree: await placeTree(actor, community.id, { archived }) };
}

type Done = { key: string; values?: Record<string, number> } | null;

export async function action({ request, params }: ActionFunctionArgs) {
  const { actor, community } = await communityPage(request, params.slug ?? "", "place:manage");
  const fields = fieldsOf(await formOf(request));
  const fail = (problems: Problems) => ({ problems, done: null as Done });
  try {
    if (fields.intent === "create") {
      const input = placeCreateSchema.safeParse({ kind: fields.kind, name: fields.name, parentId: fields.parentId, code: fields.code });
      if (!input.success) return fail(zodProblems(input.error));
      await createPlace(actor, community.id, input.data);
      return { problems: {} as Problems, done: { key: "places.done.created" } as Done };
    }
    const kind = placeKindSchema.safeParse(fields.kind);
    const placeId = idSchema.safeParse(fields.placeId);
    if (!kind.success) return fail(zodProblems(kind.error));
    if (!placeId.success) return fail(zodProblems(placeId.error));
    if (fields.intent === "rename") {
      const input = placeRenameSchema.safeParse({ name: fields.name });
      if (!input.success) return fail(zodProblems(input.error));
      await renamePlace(actor, community.id, kind.data, placeId.data, input.data.name);
      return { problems: {} as Problems, done: { key: "places.done.renamed" } as Done };
    }
    if (fields.intent === "merge") {
      const input = placeMergeSchema.safeParse({ intoId: fields.intoId });
      if (!input.success) return fail(zodProblems(input.error));
      const { moved } = await mergePlaces(actor, community.id, kind.data, placeId.data, input.data.intoId);
      return { problems: {} as Problems, done: { key: "places.done.merged", values: { members: moved.members, topics: moved.topics } } as Done };
    }
    if (fields.intent === "move" && kind.data === "building") {
      const gridId = fields.parentId ? idSchema.safeParse(fields.parentId) : ({ success: true, data: null } as const);
      if (!gridId.success) return fail(zodProblems(gridId.error));
      await moveBuilding(actor, community.id, placeId.data, gridId.data);
      return { problems: {} as Problems, done: { key: "places.done.moved" } as Done };
    }
    if (fields.intent === "archive") {
      await archivePlace(actor, community.id, kind.data, placeId.data);
      return { problems: {} as Problems, done: { key: "places.done.archived" } as Done };
    }
    return fail({ _form: { key: "errors.invalidInput" } });
  } catch (error) {
    return fail(problemsFrom(error));
  }
}

type Option = { id: string; label: string };

export default function PlacesPage() {
  const { community, archived, tree } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation();
  const allBuildings = [...tree.grids.flatMap((g) => g.buildings), ...tree.ungridded];
  const live = <T extends { archived: boolean }>(xs: T[]) => xs.filter((x) => !x.archived);
  const gridOptions: Option[] = live(tree.grids).map((g) => ({ id: g.id, label: g.name }));
  const buildingOptions: Option[] = live(allBuildings).map((b) => ({ id: b.id, label: b.name }));
  const unitOptions: Option[] = live(allBuildings).flatMap((b) => live(b.units).map((u) => ({ id: u.id, label: `${b.name} / ${u.name}` })));
  return (
    <div className="card stack">
      <h1>{t("places.title")}</h1>
      <p className="muted">
        {community.name} · <a href={`/c/${community.slug}/audit`}>{t("audit.link")}</a>
      </p>
      <p className="muted">{t("places.intro")}</p>
      {data?.done ? (
        <p className="notice ok" role="status">
          {t(data.done.key, data.done.values)}
        </p>
      ) : null}
      <Outcome problems={data?.problems} />
      <section className="stack" aria-label={t("places.create")}>
        <CreateForm kind="grid" />
        <CreateForm kind="building" parents={gridOptions} optionalParent />
        <CreateForm kind="unit" parents={buildingOptions} />
        <CreateForm kind="household" parents={unitOptions} />
      </section>
      <p>
        <a className="btn ghost" href={archived ? `/c/${community.slug}/places` : `/c/${community.slug}/places?archived=1`}>
          {archived ? t("places.hideArchived") : t("places.showArchived")}
        </a>
      </p>
      {tree.grids.length === 0 && tree.ungridded.length === 0 ? <p className="muted">{t("places.empty")}</p> : null}
      <ul className="list" data-testid="place-tree">
        {tree.grids.map((g) => (
          <GridItem key={g.id} grid={g} grids={gridOptions} buildings={buildingOptions} />
        ))}
      </ul>
      {tree.ungridded.length > 0 ? (
        <>
          <h2>{t("places.ungridded")}</h2>
          <ul className="list">
            {tree.ungridded.map((b) => (
              <BuildingItem key={b.id} building={b} grids={gridOptions} buildings={buildingOptions} />
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function CreateForm({ kind, parents, optionalParent = false }: { kind: PlaceKind; parents?: Option[]; optionalParent?: boolean }) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  return (
    <details data-testid={`create-${kind}`}>
      <summary>{t(`places.add.${kind}`)}</summary>
      <Form method="post" className="stack">
        <input type="hidden" name="intent" value="create" />
        <input type="hidden" name="kind" value={kind} />
        {parents ? (
          <div>
            <label htmlFor={`parent-${kind}`}>{t(`places.parent.${kind}`)}</label>
            <select id={`parent-${kind}`} name="parentId" defaultValue="" required={!optionalParent}>
              <option value="" disabled={!optionalParent}>
                {optionalParent ? t("places.noParent") : t("places.choose")}
              </option>
              {parents.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div>
          <label htmlFor={`name-${kind}`}>{t("places.name")}</label>
          <input id={`name-${kind}`} name="name" required maxLength={40} />
        </div>
        {kind === "grid" ? (
          <div>
            <label htmlFor="code-grid">{t("places.code")}</label>
            <input id="code-grid" name="code" maxLength={16} autoCapitalize="characters" />
          </div>
        ) : null}
        <button className="btn block" type="submit" disabled={busy}>
          {t(`places.add.${kind}`)}
        </button>
      </Form>
    </details>
  );
}

/** Rename, merge (into another of the same kind), move (buildings) and archive one place. */
function PlaceActions({
  kind,
  id,
  name,
  mergeInto,
  grids,
  gridId,
}: {
  kind: PlaceKind;
  id: string;
  name: string;
  mergeInto: Option[];
  grids?: Option[];
  gridId?: string | null;
}) {
  const { t } = useTranslation();
  const busy = useNavigation().state !== "idle";
  const hidden = (
    <>
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="placeId" value={id} />
    </>
  );
  return (
    <details className="place-actions">
      <summary aria-label={`${t("places.rename")} · ${t("places.merge")} · ${t("places.archive")}: ${name}`}>…</summary>
      <div className="stack">
        <Form method="post" style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "end" }}>
          {hidden}
          <div>
            <label htmlFor={`rename-${id}`}>{t("places.newName")}</label>
            <input id={`rename-${id}`} name="name" defaultValue={name} required maxLength={40} />
          </div>
          <button className="btn secondary" type="submit" name="intent" value="rename" disabled={busy}>
            {t("places.rename")}
          </button>
        </Form>
        {grids ? (
          <Form method="post" style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "end" }}>
            {hidden}
            <div>
              <label htmlFor={`move-${id}`}>{t("places.move")}</label>
              <select id={`move-${id}`} name="parentId" defaultValue={gridId ?? ""}>
                <option value="">{t("places.noParent")}</option>
                {grids.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.label}
                  </option>
                ))}
              </select>
            </div>
            <button className="btn secondary" type="submit" name="intent" value="move" disabled={busy}>
              {t("places.moveButton")}
            </button>
          </Form>
        ) : null}
        {mergeInto.length > 0 ? (
          <Form method="post" style={{ display: "flex", flexWrap: "wrap", gap: "0.5rem", alignItems: "end" }}>
            {hidden}
            <div>
              <label htmlFor={`merge-${id}`}>{t("places.mergeInto")}</label>
              <select id={`merge-${id}`} name="intoId" required defaultValue="">
                <option value="" disabled>
                  {t("places.choose")}
                </option>
                {mergeInto.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
            <button className="btn secondary" type="submit" name="intent" value="merge" disabled={busy}>
              {t("places.mergeButton")}
            </button>
            <p className="muted" style={{ flexBasis: "100%", margin: 0 }}>
              {t("places.mergeHint", { name, kind: t(`places.kinds.${kind}`) })}
            </p>
          </Form>
        ) : null}
        <Form method="post">
          {hidden}
          <button className="btn danger" type="submit" name="intent" value="archive" disabled={busy} aria-label={t("places.archiveLabel", { name })}>
            {t("places.archive")}
          </button>
        </Form>
      </div>
    </details>
  );
}

function Label({ kind, name, archived, extra }: { kind: PlaceKind; name: string; archived: boolean; extra?: string }) {
  const { t } = useTranslation();
  return (
    <span>
      <span className="pill">{t(`places.kinds.${kind}`)}</span> <strong>{name}</strong>
      {extra ? <span className="muted"> · {extra}</span> : null}
      {archived ? <span className="pill warn"> {t("places.archived")}</span> : null}
    </span>
  );
}

function GridItem({ grid, grids, buildings }: { grid: GridNode; grids: Option[]; buildings: Option[] }) {
  return (
    <li className="stack" data-testid="grid" data-name={grid.name}>
      <Label kind="grid" name={grid.name} archived={grid.archived} extra={grid.code} />
      {grid.archived ? null : <PlaceActions kind="grid" id={grid.id} name={grid.name} mergeInto={grids.filter((g) => g.id !== grid.id)} />}
      {grid.buildings.length > 0 ? (
        <ul className="list" style={{ marginLeft: "0.75rem" }}>
          {grid.buildings.map((b) => (
            <BuildingItem key={b.id} building={b} grids={grids} buildings={buildings} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function BuildingItem({ building, grids, buildings }: { building: BuildingNode; grids: Option[]; buildings: Option[] }) {
  const units = building.units.filter((u) => !u.archived).map((u) => ({ id: u.id, label: u.name }));
  return (
    <li className="stack" data-testid="building" data-name={building.name}>
      <Label kind="building" name={building.name} archived={building.archived} />
      {building.archived ? null : (
        <PlaceActions
          kind="building"
          id={building.id}
          name={building.name}
          mergeInto={buildings.filter((b) => b.id !== building.id)}
          grids={grids}
          gridId={building.gridId}
        />
      )}
      {building.units.length > 0 ? (
        <ul className="list" style={{ marginLeft: "0.75rem" }}>
          {building.units.map((u) => (
            <UnitItem key={u.id} unit={u} siblings={units} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function UnitItem({ unit, siblings }: { unit: UnitNode; siblings: Option[] }) {
  const { t } = useTranslation();
  const homes = unit.households.filter((h) => !h.archived).map((h) => ({ id: h.id, label: h.name }));
  return (
    <li className="stack" data-testid="unit" data-name={unit.name}>
      <Label kind="unit" name={unit.name} archived={unit.archived} />
      {unit.archived ? null : <PlaceActions kind="unit" id={unit.id} name={unit.name} mergeInto={siblings.filter((s) => s.id !== unit.id)} />}
      {unit.households.length > 0 ? (
        <ul className="list" style={{ marginLeft: "0.75rem" }}>
          {unit.households.map((h) => (
            <li key={h.id} className="stack" data-testid="household" data-name={h.name}>
              <Label kind="household" name={h.name} archived={h.archived} extra={t("places.members", { count: h.members })} />
              {h.archived ? null : <PlaceActions kind="household" id={h.id} name={h.name} mergeInto={homes.filter((o) => o.id !== h.id)} />}
            </li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}
