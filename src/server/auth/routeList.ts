import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  method: string;
  url: string;
}

const routesByApp = new WeakMap<FastifyInstance, RouteEntry[]>();

/**
 * Collects every route as it is added (Fastify's own onRoute hook), so that
 * a test can go through them all: a new route cannot be forgotten by the
 * "every route needs a credential" test. Call before any route is added.
 */
export function trackRoutes(app: FastifyInstance): void {
  const routes: RouteEntry[] = [];
  routesByApp.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
}

/** Every route of an app built with trackRoutes. */
export function routesOf(app: FastifyInstance): RouteEntry[] {
  return [...(routesByApp.get(app) ?? [])];
}
