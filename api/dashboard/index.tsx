/**
 * The dashboard: server-rendered pages (hono/jsx) over the API's answers, Chart.js in the
 * browser drawing the API's own chart configs, behind the access rule of ./access.ts.
 *
 * Every route here is registered explicitly (no `use("*")`): mounted at "/", a wildcard
 * middleware would also run in front of /api and /slack.
 */
import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../context.js";
import { scopeOptions } from "../services/scope-options.js";
import {
  type AccessPolicy,
  clientKey,
  endSession,
  formToken,
  formTokenMatches,
  hasSession,
  isLocalRequest,
  isLoopbackBind,
  SignInThrottle,
  safeFragment,
  safeNext,
  sameOriginWrite,
  secretMatches,
  startSession,
} from "./access.js";
import { ApiAnswerError, ok, pageApi } from "./api.js";
import { assetAt, assets } from "./assets.js";
import { Banner } from "./components.js";
import { FilterError, parseFilters } from "./filters.js";
import { Layout, PageHead } from "./layout.js";
import type { Company, CompanySettings, DashboardPage, FormState, PageAction, PageContext } from "./page.js";
import { PAGES } from "./pages/index.js";

type AppRequest = (input: RequestInfo | URL, init?: RequestInit) => Response | Promise<Response>;

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
  "x-frame-options": "DENY",
};

type HtmlStatus = 200 | 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500;

async function html(c: Context<AppEnv>, node: unknown, status: HtmlStatus = 200) {
  const body = `<!DOCTYPE html>${await String(node)}`;
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.header(k, v);
  c.header("cache-control", "no-store");
  return c.html(body, status);
}

/**
 * The dashboard's routes. `request` is the app's own `request` (the in-process API); the
 * dashboard never reads the database except for the filter choices.
 */
export function dashboardRoutes(deps: AppDeps, request: AppRequest) {
  const secret = deps.config.dashboard.secret;
  const policy: AccessPolicy = {
    secret,
    secureCookies: deps.config.server.publicUrl.startsWith("https:"),
    nowSeconds: () => Math.floor(deps.now().getTime() / 1000),
  };
  const throttle = new SignInThrottle();
  const log = deps.logger.child({ module: "dashboard" });
  if (!secret && !isLoopbackBind(deps.config.server.host)) {
    log.warn(
      { host: deps.config.server.host },
      "no SOP_DASHBOARD_SECRET or SOP_API_TOKEN: the dashboard answers only requests from this machine; set a secret to sign in from elsewhere",
    );
  }
  if (secret && !deps.config.api.token && !isLoopbackBind(deps.config.server.host)) {
    log.warn(
      { host: deps.config.server.host },
      "the dashboard needs sign-in, but /api answers anyone who can reach it: set SOP_API_TOKEN too",
    );
  }
  assets(); // read and compress the browser files now, not on the first page view

  const app = new Hono<AppEnv>();

  app.get("/assets/:file", (c) => {
    const asset = assetAt(c.req.path);
    if (!asset) return c.text("not found", 404);
    const accept = c.req.header("accept-encoding") ?? "";
    const [body, encoding] = /\bbr\b/.test(accept)
      ? [asset.brotli, "br"]
      : /\bgzip\b/.test(accept)
        ? [asset.gzip, "gzip"]
        : [asset.body, undefined];
    c.header("content-type", asset.type);
    c.header("cache-control", "public, max-age=31536000, immutable");
    c.header("x-content-type-options", "nosniff");
    c.header("vary", "accept-encoding");
    if (encoding) c.header("content-encoding", encoding);
    return c.body(body as Uint8Array<ArrayBuffer>, 200);
  });

  // ---------------------------------------------------------------- sign-in

  const signInPage = (
    c: Context<AppEnv>,
    next: string,
    hash = "",
    problem?: string,
    status: 200 | 401 | 429 = 200,
  ) =>
    html(
      c,
      <Layout title="Sign in" bare>
        <form class="signin" method="post" action="/signin">
          <h1>Sign in</h1>
          <p class="subtitle">The S&amp;OP dashboard needs the dashboard secret.</p>
          {problem ? (
            <Banner kind="error">
              <p>{problem}</p>
            </Banner>
          ) : null}
          <input type="hidden" name="next" value={next} />
          <input type="hidden" name="hash" value={hash} />
          <label for="secret">Dashboard secret</label>
          <input
            id="secret"
            type="password"
            name="secret"
            required
            autocomplete="current-password"
            autofocus
            aria-describedby="secret-help"
          />
          <p class="note" id="secret-help">
            Ask whoever runs sop: it is SOP_DASHBOARD_SECRET (or SOP_API_TOKEN) on the server.
          </p>
          <button type="submit" class="button">
            Sign in
          </button>
        </form>
      </Layout>,
      status,
    );

  app.get("/signin", async (c) => {
    const next = safeNext(c.req.query("next"));
    if (!secret) return c.redirect(next, 303);
    if (await hasSession(c, policy)) return c.redirect(next, 303);
    return signInPage(c, next);
  });

  app.post("/signin", async (c) => {
    if (!secret) return c.redirect("/", 303);
    if (!sameOrigin(c)) return c.text("cross-site sign-in refused", 403);
    const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
    const next = safeNext(typeof form.next === "string" ? form.next : undefined);
    const hash = safeFragment(typeof form.hash === "string" ? form.hash : undefined);
    const key = clientKey(c);
    const wait = throttle.retryAfter(key);
    if (wait > 0) {
      c.header("retry-after", String(Math.ceil(wait / 1000)));
      return signInPage(
        c,
        next,
        hash,
        `Too many attempts: try again in ${Math.ceil(wait / 1000)} seconds.`,
        429,
      );
    }
    const given = typeof form.secret === "string" ? form.secret : "";
    if (!secretMatches(given, secret)) {
      throttle.fail(key);
      log.warn({ client: key }, "dashboard sign-in failed");
      return signInPage(c, next, hash, "That is not the dashboard secret.", 401);
    }
    throttle.succeed(key);
    await startSession(c, { ...policy, secret });
    return c.redirect(`${next}${hash}`, 303);
  });

  app.post("/signout", (c) => {
    if (!sameOrigin(c)) return c.text("cross-site sign-out refused", 403);
    endSession(c, policy);
    return c.redirect(secret ? "/signin" : "/", 303);
  });

  // ---------------------------------------------------------------- pages

  const refused = (c: Context<AppEnv>) =>
    html(
      c,
      <Layout title="Not available from here" bare>
        <PageHead title="The dashboard is not available from here" />
        <Banner kind="warn">
          <p>
            No dashboard secret is configured, so the dashboard answers only on this machine's own address
            (http://localhost:{deps.config.server.port}), never through a proxy or from another computer.
          </p>
          <p>
            To use it from elsewhere, set <code>SOP_DASHBOARD_SECRET</code> (at least 16 characters) on the
            server and restart it; people then sign in with that secret.
          </p>
        </Banner>
      </Layout>,
      403,
    );

  for (const page of PAGES) {
    for (const path of page.paths) {
      app.get(path, async (c) => {
        const signedIn = secret ? await hasSession(c, policy) : false;
        if (secret && !signedIn) {
          const url = new URL(c.req.url);
          return c.redirect(`/signin?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
        }
        if (!secret && !isLocalRequest(c)) return refused(c);
        return renderPage(c, page, signedIn);
      });
    }
  }

  // Writes from the browser: the same access rule as the pages (no anonymous write when a secret
  // is set), from our own origin, carrying the page's form token; then the API decides.
  for (const page of PAGES) {
    for (const action of page.actions ?? []) {
      app.post(action.path, async (c) => {
        const signedIn = secret ? await hasSession(c, policy) : false;
        if (secret && !signedIn) {
          return writeRefused(c, "Sign in first: changes need a signed-in session.", 403, "/signin");
        }
        if (!secret && !isLocalRequest(c)) return refused(c);
        if (!sameOriginWrite(c)) return writeRefused(c, "A change from another site is refused.", 403);
        const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
        if (!(await formTokenMatches(c, policy, form._token))) {
          return writeRefused(
            c,
            "This form has expired (the server restarted or you signed in again): reload the page and try again.",
            403,
          );
        }
        return runAction(c, page, action, form, signedIn);
      });
    }
  }

  const writeRefused = (c: Context<AppEnv>, message: string, status: 403, signIn?: string) =>
    html(
      c,
      <Layout title="Change refused" bare>
        <PageHead title="The change was not made" />
        <Banner kind="error">
          <p>{message}</p>
          <p>{signIn ? <a href={signIn}>Sign in</a> : <a href="/">Go to the overview</a>}</p>
        </Banner>
      </Layout>,
      status,
    );

  async function runAction(
    c: Context<AppEnv>,
    page: DashboardPage,
    action: PageAction,
    form: Record<string, unknown>,
    signedIn: boolean,
  ) {
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(form)) if (typeof v === "string" && k !== "_token") fields[k] = v;
    const api = pageApi(request, { token: deps.config.api.token, requestId: c.get("requestId") });
    const result = await action.handle({
      api,
      fields,
      params: c.req.param() as Record<string, string>,
      now: deps.now(),
    });
    if ("redirect" in result) return c.redirect(safeNext(result.redirect), 303);
    const url = new URL(safeNext(result.url), c.req.url);
    return renderPage(c, page, signedIn, {
      url,
      params: result.params ?? {},
      form: result.form,
      status: result.status,
    });
  }

  // A browser that asks for a page that does not exist gets a page saying so, with the
  // navigation; everything else (the API, Slack, scripts) keeps the app's JSON 404.
  app.get("*", async (c, next) => {
    const wantsHtml = (c.req.header("accept") ?? "").includes("text/html");
    if (!wantsHtml || /^\/(api|slack|assets)(\/|$)/.test(c.req.path)) return next();
    const allowed = secret ? await hasSession(c, policy) : isLocalRequest(c);
    if (!allowed) return next();
    return html(
      c,
      <Layout title="Not found" signedIn={Boolean(secret)}>
        <PageHead title="There is no such page" />
        <Banner kind="error">
          <p>
            Nothing lives at <code>{c.req.path}</code>. <a href="/">Go to the overview</a>.
          </p>
        </Banner>
      </Layout>,
      404,
    );
  });

  async function renderPage(
    c: Context<AppEnv>,
    page: DashboardPage,
    signedIn: boolean,
    posted?: { url: URL; params: Record<string, string>; form: FormState; status: HtmlStatus },
  ) {
    const api = pageApi(request, { token: deps.config.api.token, requestId: c.get("requestId") });
    let settingsPromise: Promise<CompanySettings> | undefined;
    const settings = () => {
      settingsPromise ??= ok(api.api.settings.$get());
      return settingsPromise;
    };
    const company = (): Promise<Company> =>
      settings().then((s) => ({ name: s.company.name, timezone: s.company.timezone }));
    const demo = deps.demoProgress?.();
    const loading = demo?.state === "loading";
    const shell = (
      title: string,
      body: unknown,
      extra: { charts?: boolean; meta?: unknown; refresh?: number } = {},
    ) =>
      company()
        .catch(() => undefined)
        .then((co) => (
          <Layout
            title={title}
            current={page.view}
            company={co}
            signedIn={signedIn}
            charts={extra.charts ?? false}
            meta={extra.meta as never}
            refresh={extra.refresh}
          >
            {loading ? (
              <Banner kind="info" title="The demo company is loading">
                <p>
                  {demo?.step}… The numbers fill in within a minute; this page reloads itself (or{" "}
                  <a href={url.pathname + url.search}>reload</a> now).
                </p>
              </Banner>
            ) : null}
            {body as never}
          </Layout>
        ));
    const url = posted?.url ?? new URL(c.req.url);
    try {
      const ctx: PageContext = {
        api,
        filters: parseFilters(url.searchParams),
        params: posted?.params ?? (c.req.param() as Record<string, string>),
        url,
        now: deps.now(),
        company,
        settings,
        options: () => scopeOptions(deps.sql),
        formToken: (await formToken(c, policy)) ?? "",
        form: posted?.form,
      };
      const result = await page.render(ctx);
      return html(
        c,
        await shell(result.title, result.body, {
          charts: result.charts ?? false,
          meta: result.meta,
          ...(loading ? { refresh: 10 } : {}),
        }),
        posted?.status ?? 200,
      );
    } catch (error) {
      const clear = url.pathname;
      if (error instanceof FilterError) {
        return html(
          c,
          await shell(
            "Bad filter",
            <>
              <PageHead title="This address has a filter the dashboard cannot use" />
              <Banner kind="error">
                {error.problems.map((p) => (
                  <p>
                    <code>{p.parameter}</code>: {p.message}
                  </p>
                ))}
                <p>
                  <a href={clear}>Show the page without filters</a>
                </p>
              </Banner>
            </>,
          ),
          400,
        );
      }
      if (error instanceof ApiAnswerError && error.status < 500) {
        const empty = /no sales history/.test(error.message);
        if (empty && loading) {
          return html(
            c,
            await shell("Loading", <PageHead title="Loading the demo company" />, { refresh: 5 }),
          );
        }
        return html(
          c,
          await shell(
            empty ? "No data yet" : "Not found",
            <>
              <PageHead title={empty ? "No data yet" : "Nothing to show"} />
              <Banner kind={empty ? "info" : "error"}>
                <p>{capitalise(error.message)}.</p>
                {empty ? (
                  <p>
                    Import the fact base (<code>sop import FOLDER</code>, or{" "}
                    <code>POST /api/imports/KIND</code>) or load the demo company (<code>sop demo</code>).
                  </p>
                ) : (
                  <p>
                    <a href={clear}>Show the page without filters</a>
                  </p>
                )}
              </Banner>
            </>,
          ),
          empty ? 200 : error.status === 404 ? 404 : 400,
        );
      }
      c.get("log").error({ err: error, path: c.req.path }, "dashboard page failed");
      return html(
        c,
        await shell(
          "Something went wrong",
          <>
            <PageHead title="Something went wrong" />
            <Banner kind="error">
              <p>
                The page could not be built (request {c.get("requestId")}); the server log has the details.
                Try again in a moment.
              </p>
            </Banner>
          </>,
        ),
        500,
      );
    }
  }

  return app;
}

/** A POST from one of our own pages: no Origin (old browsers) or one naming this host. */
function sameOrigin(c: Context): boolean {
  const origin = c.req.header("origin");
  if (!origin || origin === "null") return origin !== "null";
  try {
    return new URL(origin).host === c.req.header("host");
  } catch {
    return false;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1).replace(/\.$/, "");
}
