/**
 * Real Chromium for the dashboard's tests: Debian's /usr/bin/chromium driven by playwright-core
 * (never `playwright install`), and a watcher that fails a page on any console error, uncaught
 * exception, failed request or HTTP error response.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The flags that keep a headless Chromium quiet and offline apart from the server under test. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export const VIEWPORTS = {
  laptop: { viewport: { width: 1366, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
} as const;

export type ViewportName = keyof typeof VIEWPORTS;

export function newContext(browser: Browser, viewport: ViewportName = "laptop"): Promise<BrowserContext> {
  return browser.newContext({ ...VIEWPORTS[viewport], locale: "en-US" });
}

/** Everything that went wrong on a page since the last `take()`. */
export interface PageWatch {
  take(): string[];
}

export function watch(page: Page): PageWatch {
  let problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  page.on("requestfailed", (r) => {
    // The favicon is fetched by the browser after "load"; moving on to the next page at once
    // cancels it. That is the test's haste, not the page's fault; any other failure counts.
    if (r.failure()?.errorText === "net::ERR_ABORTED" && /\/assets\/icon\.[0-9a-f]+\.svg$/.test(r.url()))
      return;
    problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  return {
    take() {
      const out = problems;
      problems = [];
      return out;
    },
  };
}

/**
 * For each drawn chart on the page: its name and how many of its pixels differ from the
 * background, and how many distinct colours it uses (a blank or failed chart has 0 and 1).
 */
export function chartPixels(
  page: Page,
): Promise<{ name: string; drawn: boolean; inked: number; colours: number }[]> {
  return page.$$eval("figure.chart[data-chart]", (figures) =>
    figures.map((f) => {
      const canvas = f.querySelector("canvas") as HTMLCanvasElement;
      const ctx = canvas.getContext("2d");
      const name = (f as HTMLElement).dataset.chart ?? "";
      if (!ctx || canvas.width === 0 || canvas.height === 0)
        return { name, drawn: false, inked: 0, colours: 0 };
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let inked = 0;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        if (a === 0 || (r > 250 && g > 250 && b > 250)) continue;
        inked++;
        if (colours.size < 64) colours.add((r << 16) | (g << 8) | b);
      }
      return { name, drawn: canvas.dataset.drawn === "true", inked, colours: colours.size };
    }),
  );
}

/** Where screenshots go (test-results/ is git-ignored; CI keeps it as an artifact). */
export function screenshotPath(...parts: string[]): string {
  const file = path.resolve("test-results", "dashboard", ...parts);
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

/**
 * Text whose contrast with the background it sits on is below WCAG AA (4.5:1; 3:1 for large
 * text), as "ratio "text" (colour)". Plain JavaScript run in the page (a string, so no
 * transpiler helper can leak into it).
 */
export function lowContrast(page: Page): Promise<string[]> {
  return page.evaluate(LOW_CONTRAST) as Promise<string[]>;
}

const LOW_CONTRAST = `(() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const [r, g, b, a] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [r ?? 0, g ?? 0, b ?? 0, a ?? 1];
  };
  const lum = ([r, g, b]) => {
    const f = (v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const [r, g, b, a] = parse(getComputedStyle(e).backgroundColor);
      if (a > 0.5) return [r, g, b];
    }
    return [255, 255, 255];
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim()) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || el.closest("[hidden], noscript, script, canvas, .visually-hidden, .skip")) continue;
    if (el.getClientRects().length === 0) continue;
    const ratio = ((a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05))(lum(parse(style.color)), lum(background(el)));
    const size = Number.parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) out.push(ratio.toFixed(2) + ':1 "' + n.textContent.trim().slice(0, 30) + '" (' + style.color + ")");
  }
  return [...new Set(out)];
})()`;
