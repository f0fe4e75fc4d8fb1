import { openApiDocument } from "~/api/openapi.server";

export function loader() {
  return Response.json(openApiDocument());
}
