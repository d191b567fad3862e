import { createRoute, z } from "@hono/zod-openapi";
import { listItems } from "../../db/repositories/items.js";
import { type AppDeps, router } from "../context.js";
import { ErrorBody } from "../errors.js";

export const ItemSchema = z
  .object({
    sku: z.string(),
    name: z.string(),
    family: z.string(),
    unitCost: z.number().openapi({ description: "money per unit" }),
    unitPrice: z.number().openapi({ description: "money per unit" }),
    leadTimeDays: z.number().int(),
    serviceLevel: z.number().openapi({ description: "fraction, 0.5 ≤ x < 1" }),
  })
  .openapi("Item");

const listRoute = createRoute({
  method: "get",
  path: "/items",
  tags: ["items"],
  summary: "The item master, paged",
  request: {
    query: z.object({
      family: z.string().min(1).max(64).optional(),
      q: z.string().min(1).max(64).optional().openapi({ description: "part of a SKU or name" }),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
  },
  responses: {
    200: {
      description: "items",
      content: {
        "application/json": {
          schema: z.object({
            items: z.array(ItemSchema),
            total: z.number().int(),
            limit: z.number().int(),
            offset: z.number().int(),
          }),
        },
      },
    },
    400: { description: "bad parameter", content: { "application/json": { schema: ErrorBody } } },
  },
});

export function itemRoutes(deps: AppDeps) {
  return router().openapi(listRoute, async (c) => {
    const q = c.req.valid("query");
    const { items, total } = await listItems(deps.sql, {
      family: q.family,
      search: q.q,
      limit: q.limit,
      offset: q.offset,
    });
    return c.json({ items, total, limit: q.limit, offset: q.offset }, 200);
  });
}
