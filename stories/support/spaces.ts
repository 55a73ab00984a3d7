import { buildParamSpace, type ParamSpace } from "../../src/model/paramSpace";
import type { Params } from "../../src/model/params";
import { CYLINDERS, ORIGINS } from "../seed/showcase";
import { carRows, countryRows } from "../seed/vegaData";

/** The params cars/explorer's attachments carry: only origin/cylinder pairs that have cars. */
export function carsSpace(): ParamSpace {
  const params: Params[] = [];
  for (const tab of ["Scatter", "Table"]) {
    for (const Origin of ORIGINS) {
      for (const Cylinders of CYLINDERS) {
        if (!carRows.some((c) => c.Origin === Origin && c.Cylinders === Cylinders)) continue;
        if (tab === "Scatter") {
          for (const log of [false, true]) {
            params.push({ Scatter: { type: "tab", title: "Plot" }, Origin, Cylinders, "Log scale": log });
          }
        } else params.push({ Table: { type: "tab", title: "Data" }, Origin, Cylinders });
      }
    }
  }
  return buildParamSpace(params.map((p) => ({ params: p })));
}

/** One attachment per gapminder country: a searchable select. */
export function countriesSpace(): ParamSpace {
  const countries = [...new Set(countryRows.map((r) => r.country))].sort();
  return buildParamSpace(countries.map((Country) => ({ params: { Country } })));
}

export function controlOf(space: ParamSpace, key: string) {
  const control = space.controls.find((c) => c.key === key);
  if (!control) throw new Error(`no control ${key}`);
  return control;
}
