/**
 * The override form submitted: the four fields read with the command's grammar (a problem stays
 * on the form under its field: response_action "errors"), then the same override as the
 * command, recorded once per form (the view id is the idempotency key, so a double submit or a
 * Slack retry records one). Slack wants the answer within 3 seconds: a refusal about a field
 * that comes back in time is shown on the form, anything later as a message to the person.
 */
import type { App } from "@slack/bolt";
import { OVERRIDE_CALLBACK, OVERRIDE_FIELDS, parseModalReply } from "../blocks/override.js";
import { problemAnswer } from "../blocks/problem.js";
import { type OverrideOutcome, readOverrideForm, submitOverride } from "../overrides.js";
import { problemFor } from "../problems.js";
import { answerPrivately } from "../reply.js";
import type { BotRuntime } from "../runtime.js";
import { ViewSubmission } from "./request-changes.js";

/** How long the form waits for the API before closing and answering in a message. */
const FORM_WAIT_MS = 2000;

export function registerOverrideModal(app: App, rt: BotRuntime): void {
  app.view(OVERRIDE_CALLBACK, async ({ ack, body, client }) => {
    const parsed = ViewSubmission.safeParse(body);
    if (!parsed.success || !parsed.data.view.id) {
      await ack({
        response_action: "errors",
        errors: {
          [OVERRIDE_FIELDS.reason]: `This form is out of date: open a fresh one with ${rt.command} override.`,
        },
      });
      return;
    }
    const { user, view } = parsed.data;
    const values = view.state?.values ?? {};
    const form = readOverrideForm({
      target: values[OVERRIDE_FIELDS.target]?.[OVERRIDE_FIELDS.target]?.value,
      period: values[OVERRIDE_FIELDS.period]?.[OVERRIDE_FIELDS.period]?.value,
      units: values[OVERRIDE_FIELDS.units]?.[OVERRIDE_FIELDS.units]?.value,
      reason: values[OVERRIDE_FIELDS.reason]?.[OVERRIDE_FIELDS.reason]?.value,
    });
    if (!form.ok) {
      await ack({ response_action: "errors", errors: form.errors });
      return;
    }
    const reply = parseModalReply(view.private_metadata);
    const work: Promise<OverrideOutcome> = rt
      .render()
      .then((render) =>
        submitOverride(
          rt.api,
          form.value,
          { person: user.id, source: "slack", idempotencyKey: `slack:override-form:${view.id}` },
          render,
          rt.command,
        ),
      )
      .catch((error: unknown) => {
        rt.logger.error({ err: error }, "an override from the form failed");
        return { ok: false as const, status: 500, problem: problemFor(error, rt.command) };
      });
    let timer: NodeJS.Timeout | undefined;
    const early = await Promise.race([
      work,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), FORM_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (early && !early.ok && early.field) {
      const { title, detail } = early.problem;
      await ack({
        response_action: "errors",
        errors: { [OVERRIDE_FIELDS[early.field]]: `${title}: ${detail ?? ""}`.slice(0, 2000) },
      });
      return;
    }
    await ack();
    const outcome = early ?? (await work);
    const message = outcome.ok ? outcome.message : problemAnswer(outcome.problem);
    await answerPrivately(
      client,
      { responseUrl: reply?.u, channel: reply?.c, user: user.id },
      message,
      rt.logger,
    );
  });
}
