/**
 * Every page the dashboard serves. A new page (the plan, scenarios) is a module in this folder,
 * an entry here, and an entry in the navigation (../layout.tsx); its address comes from
 * api/domain/links.ts.
 */
import type { DashboardPage } from "../page.js";
import { accuracyPage } from "./accuracy.js";
import { cyclePage } from "./cycle.js";
import { importsPage } from "./imports.js";
import { inventoryPage } from "./inventory.js";
import { overviewPage } from "./overview.js";
import { planPage } from "./plan.js";
import { riskPage } from "./risk.js";
import { scenariosPage } from "./scenarios.js";
import { skuPage } from "./sku.js";

export const PAGES: DashboardPage[] = [
  overviewPage,
  accuracyPage,
  inventoryPage,
  riskPage,
  cyclePage,
  planPage,
  scenariosPage,
  skuPage,
  importsPage,
];
