import { createRoute, z } from "@hono/zod-openapi";
import { listFamilies } from "../../db/repositories/items.js";
import { type AppDeps, router } from "../context.js";

const FamilySchema = z
  .object({
    code: z.string(),
    items: z.number().int().openapi({ description: "SKUs in the family" }),
  })
  .openapi("Family");

const listRoute = createRoute({
  method: "get",
  path: "/families",
  tags: ["items"],
  summary: "The product families, with how many SKUs each holds",
  responses: {
    200: {
      description: "families",
      content: { "application/json": { schema: z.object({ families: z.array(FamilySchema) }) } },
    },
  },
});

export function familyRoutes(deps: AppDeps) {
  return router().openapi(listRoute, async (c) => c.json({ families: await listFamilies(deps.sql) }, 200));
}
