import { useTranslation } from "react-i18next";
import type { PlaceKind } from "~/utils/domain";

export type PlaceOption = { id: string; kind: PlaceKind; label: string; depth: number };

/** `place` for list filters: a grid, building or unit, indented under its parent; the list includes everything under the chosen place. */
export function PlaceFilter({ places, value, id = "filter-place" }: { places: PlaceOption[]; value?: string; id?: string }) {
  const { t } = useTranslation();
  return (
    <div>
      <label htmlFor={id}>{t("places.filter")}</label>
      <select id={id} name="place" defaultValue={value ?? ""}>
        <option value="">{t("places.allPlaces")}</option>
        {places
          .filter((p) => p.kind !== "household")
          .map((p) => (
            <option key={p.id} value={p.id}>
              {"\u00a0\u00a0".repeat(p.depth)}
              {p.label.split(" / ").pop()}
            </option>
          ))}
      </select>
    </div>
  );
}
