import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { unknownEndpoint } from "~/utils/api.server";

export const loader = ({ request }: LoaderFunctionArgs) => unknownEndpoint(request);
export const action = ({ request }: ActionFunctionArgs) => unknownEndpoint(request);
