import { NotFound, PermissionDenied } from "./permissions.server";

/** Page loaders: turn the permission module's refusals into the error page's 403 / 404. */
export async function orHttpError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof PermissionDenied) throw new Response(error.message, { status: 403 });
    if (error instanceof NotFound) throw new Response(error.message, { status: 404 });
    throw error;
  }
}
