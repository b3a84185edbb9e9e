import { APIRequestContext, BrowserContext } from '@playwright/test';

/** Accounts the web server command creates before it starts serving. */
export const ACCOUNTS = {
  admin: { email: 'erin@e2e.test', password: 'e2e admin password', role: 'admin' },
  responder: { email: 'rui@e2e.test', password: 'e2e responder password', role: 'responder' },
} as const;

export const STATE_DIR = '.auth';

/** The session cookie as a header, for API calls made beside the browser. */
export async function sessionHeader(context: BrowserContext): Promise<Record<string, string>> {
  const cookie = (await context.cookies()).find((c) => c.name.endsWith('firebreak_session'));
  if (!cookie) throw new Error('not signed in');
  return { cookie: `${cookie.name}=${cookie.value}` };
}

/** PATCHes through the REST API as the browser's user. */
export async function patchAs(
  request: APIRequestContext,
  context: BrowserContext,
  path: string,
  data: unknown,
): Promise<number> {
  const response = await request.patch(path, { data, headers: await sessionHeader(context) });
  return response.status();
}
