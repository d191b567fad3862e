import { createRoute, z } from "@hono/zod-openapi";
import { getPerson, listPeople } from "../../db/repositories/people.js";
import { type AppDeps, router } from "../context.js";
import { ErrorBody, NotFoundError } from "../errors.js";
import { putPerson, SLACK_USER_ID } from "../services/people.js";
import { Actor, originOf, Source } from "./audit.js";

export const PersonSchema = z
  .object({
    slackUserId: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    roles: z.array(z.string()),
    active: z.boolean(),
  })
  .openapi("Person");

const SlackUserId = z
  .string()
  .regex(SLACK_USER_ID, "must be a Slack user id such as U0123ABCD")
  .openapi({ param: { name: "slackUserId", in: "path" }, example: "U0123ABCD" });

const PersonInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z
      .string()
      .trim()
      .regex(/^[^@\s]+@[^@\s]+$/, "must be an email address")
      .nullable()
      .optional(),
    roles: z.array(z.string()).max(7).openapi({ description: "replaces the person's roles (a set)" }),
    active: z.boolean().default(true),
    actor: Actor.optional(),
    source: Source.optional(),
  })
  .strict()
  .openapi("PersonInput");

const listRoute = createRoute({
  method: "get",
  path: "/people",
  tags: ["people"],
  summary: "Everyone who takes part in the cycle, with their roles",
  responses: {
    200: {
      description: "people",
      content: { "application/json": { schema: z.object({ people: z.array(PersonSchema) }) } },
    },
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/people/{slackUserId}",
  tags: ["people"],
  summary: "One person",
  request: { params: z.object({ slackUserId: SlackUserId }) },
  responses: {
    200: {
      description: "the person",
      content: { "application/json": { schema: z.object({ person: PersonSchema }) } },
    },
    400: { description: "not a Slack user id", content: { "application/json": { schema: ErrorBody } } },
    404: { description: "no such person", content: { "application/json": { schema: ErrorBody } } },
  },
});

const putRoute = createRoute({
  method: "put",
  path: "/people/{slackUserId}",
  tags: ["people"],
  summary: "Create or replace a person (roles replaced as a set)",
  request: {
    params: z.object({ slackUserId: SlackUserId }),
    body: { content: { "application/json": { schema: PersonInput } }, required: true },
  },
  responses: {
    200: {
      description: "replaced",
      content: { "application/json": { schema: z.object({ person: PersonSchema }) } },
    },
    201: {
      description: "created",
      content: { "application/json": { schema: z.object({ person: PersonSchema }) } },
    },
    400: { description: "bad input", content: { "application/json": { schema: ErrorBody } } },
  },
});

export function peopleRoutes(deps: AppDeps) {
  return router()
    .openapi(listRoute, async (c) => c.json({ people: await listPeople(deps.sql) }, 200))
    .openapi(getRoute, async (c) => {
      const { slackUserId } = c.req.valid("param");
      const person = await getPerson(deps.sql, slackUserId);
      if (!person)
        throw new NotFoundError(
          `there is no person ${slackUserId}: add them with PUT /api/people/${slackUserId}`,
        );
      return c.json({ person }, 200);
    })
    .openapi(putRoute, async (c) => {
      const { slackUserId } = c.req.valid("param");
      const body = c.req.valid("json");
      const { person, created } = await putPerson(
        deps.sql,
        slackUserId,
        { name: body.name, email: body.email ?? null, roles: body.roles, active: body.active },
        originOf(c, deps, body),
      );
      return created ? c.json({ person }, 201) : c.json({ person }, 200);
    });
}
