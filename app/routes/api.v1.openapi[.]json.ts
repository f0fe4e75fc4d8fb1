import { openApiDocument } from "~/utils/openapi.server";

export function loader() {
  return Response.json(openApiDocument());
}
