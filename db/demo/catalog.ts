/**
 * The demo company's fixed facts: the brand, its warehouses, its people and its catalogue of
 * product families and models. The generator turns these into items and numbers.
 */

export type Role = "planner" | "sales" | "marketing" | "operations" | "finance" | "executive" | "admin";

export interface DemoPerson {
  slackUserId: string;
  name: string;
  email: string;
  /** The job title shown in the README and the console. */
  title: string;
  roles: Role[];
}

export const COMPANY = {
  name: "Ridgeline Hydration Co.",
  timezone: "America/Denver",
  channel: "#sop-monthly",
} as const;

/** The warehouses and each one's usual share of a SKU's demand. */
export const LOCATIONS = [
  { code: "MAIN", name: "Denver DC", share: 0.5 },
  { code: "WEST", name: "Reno DC", share: 0.3 },
  { code: "EAST", name: "Columbus DC", share: 0.2 },
] as const;

const DOMAIN = "ridgelinehydration.example";

export const PEOPLE: DemoPerson[] = [
  {
    slackUserId: "U04JQ7T2M9K",
    name: "Maya Okafor",
    email: `maya.okafor@${DOMAIN}`,
    title: "S&OP Manager",
    roles: ["planner", "admin"],
  },
  {
    slackUserId: "U05B3XKD81R",
    name: "Diego Alvarez",
    email: `diego.alvarez@${DOMAIN}`,
    title: "Demand Planner",
    roles: ["planner"],
  },
  {
    slackUserId: "U03NRF6P2ZC",
    name: "Rachel Kim",
    email: `rachel.kim@${DOMAIN}`,
    title: "VP Sales",
    roles: ["sales"],
  },
  {
    slackUserId: "U06H9WLC4TA",
    name: "Marcus Bell",
    email: `marcus.bell@${DOMAIN}`,
    title: "Key Account Manager",
    roles: ["sales"],
  },
  {
    slackUserId: "U02TZM8Q5VE",
    name: "Priya Natarajan",
    email: `priya.natarajan@${DOMAIN}`,
    title: "Head of Marketing",
    roles: ["marketing"],
  },
  {
    slackUserId: "U04CYA1G7NB",
    name: "Tom Lindqvist",
    email: `tom.lindqvist@${DOMAIN}`,
    title: "Director of Operations",
    roles: ["operations"],
  },
  {
    slackUserId: "U05KD2VR6HX",
    name: "Aisha Mensah",
    email: `aisha.mensah@${DOMAIN}`,
    title: "Supply Planner",
    roles: ["operations", "planner"],
  },
  {
    slackUserId: "U03P8EJW1LS",
    name: "Grace Whitfield",
    email: `grace.whitfield@${DOMAIN}`,
    title: "CFO",
    roles: ["finance", "executive"],
  },
  {
    slackUserId: "U01GX5NB3QD",
    name: "Erik Haugen",
    email: `erik.haugen@${DOMAIN}`,
    title: "CEO",
    roles: ["executive"],
  },
  {
    slackUserId: "U06MW4HS9JF",
    name: "Leo Brandt",
    email: `leo.brandt@${DOMAIN}`,
    title: "IT & Systems Lead",
    roles: ["admin"],
  },
];

/** How a model's demand behaves over its life. */
export type Life =
  /** Steady demand with trend, seasonality, promotions and noise. */
  | "regular"
  /** Many zero months: spare parts and small accessories. */
  | "intermittent"
  /** Discontinued: demand declines to nothing, stock is left over. */
  | "dying"
  /** Launched a few months before the last closed period: short history. */
  | "new";

export interface ModelSpec {
  code: string;
  name: string;
  /** [code, label]; a single empty code means the model is one SKU. */
  variants: readonly (readonly [string, string])[];
  /** Price of one unit. */
  price: number;
  /** Monthly units of one variant over all locations, at a season index of 1. */
  volume: number;
  life?: Life;
  /** For `new`: the launch month is P − launchAgo (so launchAgo + 1 months of sales). */
  launchAgo?: number;
}

export interface FamilySpec {
  code: string;
  name: string;
  prefix: string;
  /** Monthly season indices, January first. */
  season: readonly number[];
  supply: "purchase" | "production";
  /** Lead time range in days. */
  leadTime: readonly [number, number];
  /** Unit cost as a fraction of the price. */
  costRatio: readonly [number, number];
  /** σ of the multiplicative monthly noise (log scale). */
  noise: number;
  /** Promotions per SKU per year. */
  promoRate: number;
  /** Yearly growth range (fraction). */
  growth: readonly [number, number];
  models: readonly ModelSpec[];
}

const COLORS = {
  SLT: "Slate",
  GLC: "Glacier",
  SGE: "Sage",
  EMB: "Ember",
  SND: "Sand",
  BLK: "Black",
  RED: "Canyon Red",
  TEA: "Teal",
  CLR: "Clear",
  SMK: "Smoke",
  BLU: "Lake Blue",
  ORG: "Blaze Orange",
} as const;
type Color = keyof typeof COLORS;
const colors = (...codes: Color[]) => codes.map((c) => [c, COLORS[c]] as const);
const sizes = (...codes: string[]) => codes.map((c) => [c, `size ${c}`] as const);
const single = [["", ""]] as const;
const STD_INS = [
  ["STD", "standard tube"],
  ["INS", "insulated tube"],
] as const;

export const FAMILIES: readonly FamilySpec[] = [
  {
    code: "BOTTLES",
    name: "Insulated bottles",
    prefix: "BTL",
    season: [0.7, 0.72, 0.88, 1.02, 1.22, 1.38, 1.4, 1.24, 0.98, 0.8, 0.74, 0.92],
    supply: "production",
    leadTime: [35, 45],
    costRatio: [0.34, 0.4],
    noise: 0.13,
    promoRate: 0.9,
    growth: [0.02, 0.12],
    models: [
      {
        code: "S05",
        name: "Summit Bottle 500 ml",
        variants: colors("SLT", "GLC", "SGE", "EMB", "SND"),
        price: 29,
        volume: 620,
      },
      {
        code: "S07",
        name: "Summit Bottle 750 ml",
        variants: colors("SLT", "GLC", "SGE", "EMB", "SND"),
        price: 34,
        volume: 820,
      },
      {
        code: "S10",
        name: "Summit Bottle 1 L",
        variants: colors("SLT", "GLC", "SGE", "EMB"),
        price: 39,
        volume: 560,
      },
      {
        code: "T12",
        name: "Trailhead Wide-Mouth Bottle 1.2 L",
        variants: colors("SLT", "GLC", "SGE", "SND"),
        price: 44,
        volume: 330,
      },
      {
        code: "C06",
        name: "Summit Classic Bottle 600 ml",
        variants: colors("RED", "TEA", "BLK"),
        price: 27,
        volume: 300,
        life: "dying",
      },
      {
        code: "F10",
        name: "Summit Flip Bottle 1 L",
        variants: colors("SLT", "GLC"),
        price: 42,
        volume: 420,
        life: "new",
        launchAgo: 5,
      },
    ],
  },
  {
    code: "TUMBLERS",
    name: "Tumblers and mugs",
    prefix: "TMB",
    season: [0.8, 0.68, 0.74, 0.8, 0.9, 0.88, 0.84, 0.9, 0.95, 1.12, 1.52, 1.87],
    supply: "purchase",
    leadTime: [70, 90],
    costRatio: [0.3, 0.38],
    noise: 0.15,
    promoRate: 1.1,
    growth: [0, 0.1],
    models: [
      {
        code: "B16",
        name: "Basecamp Tumbler 16 oz",
        variants: colors("SLT", "GLC", "SGE", "EMB", "SND"),
        price: 27,
        volume: 380,
      },
      {
        code: "B20",
        name: "Basecamp Tumbler 20 oz",
        variants: colors("SLT", "GLC", "SGE", "EMB", "SND"),
        price: 31,
        volume: 470,
      },
      {
        code: "B30",
        name: "Basecamp Tumbler 30 oz",
        variants: colors("SLT", "GLC", "SGE", "SND"),
        price: 36,
        volume: 320,
      },
      {
        code: "B40",
        name: "Basecamp Tumbler 40 oz",
        variants: colors("SLT", "GLC", "SGE"),
        price: 42,
        volume: 260,
      },
      {
        code: "M12",
        name: "Camp Mug 12 oz",
        variants: colors("SLT", "GLC", "SGE", "EMB"),
        price: 22,
        volume: 250,
      },
      {
        code: "M10",
        name: "Camp Mug 10 oz",
        variants: colors("RED", "BLK"),
        price: 19,
        volume: 180,
        life: "dying",
      },
    ],
  },
  {
    code: "SOFTFLASKS",
    name: "Soft flasks",
    prefix: "FLK",
    season: [0.6, 0.7, 1.08, 1.34, 1.44, 1.3, 1.16, 1.1, 1.06, 0.9, 0.66, 0.66],
    supply: "purchase",
    leadTime: [60, 75],
    costRatio: [0.28, 0.34],
    noise: 0.16,
    promoRate: 0.5,
    growth: [0.05, 0.15],
    models: [
      {
        code: "S25",
        name: "Stride Soft Flask 250 ml",
        variants: colors("CLR", "SMK", "BLU"),
        price: 18,
        volume: 340,
      },
      {
        code: "S50",
        name: "Stride Soft Flask 500 ml",
        variants: colors("CLR", "SMK", "BLU", "ORG"),
        price: 22,
        volume: 420,
      },
      {
        code: "X50",
        name: "Stride Soft Flask 500 ml with straw",
        variants: colors("CLR", "SMK"),
        price: 26,
        volume: 190,
      },
      {
        code: "G15",
        name: "Race Gel Flask 150 ml",
        variants: colors("CLR", "SMK", "ORG"),
        price: 14,
        volume: 210,
      },
      {
        code: "S35",
        name: "Stride Soft Flask 350 ml",
        variants: colors("CLR", "SMK"),
        price: 20,
        volume: 260,
        life: "new",
        launchAgo: 3,
      },
    ],
  },
  {
    code: "RESERVOIRS",
    name: "Hydration reservoirs",
    prefix: "RSV",
    season: [0.55, 0.6, 0.8, 1.05, 1.35, 1.55, 1.6, 1.4, 1.0, 0.75, 0.6, 0.75],
    supply: "production",
    leadTime: [30, 40],
    costRatio: [0.3, 0.36],
    noise: 0.14,
    promoRate: 0.3,
    growth: [0, 0.08],
    models: [
      { code: "F15", name: "Flowline Reservoir 1.5 L", variants: STD_INS, price: 32, volume: 330 },
      { code: "F20", name: "Flowline Reservoir 2 L", variants: STD_INS, price: 35, volume: 450 },
      { code: "W25", name: "Flowline Wide Reservoir 2.5 L", variants: STD_INS, price: 36, volume: 210 },
      { code: "F30", name: "Flowline Reservoir 3 L", variants: STD_INS, price: 39, volume: 360 },
      { code: "L15", name: "Flowline Lumbar Reservoir 1.5 L", variants: single, price: 37, volume: 160 },
      { code: "QLK", name: "Quick-Link Hose Kit", variants: single, price: 18, volume: 140 },
      {
        code: "TUB",
        name: "Flowline Replacement Tube",
        variants: STD_INS,
        price: 12,
        volume: 24,
        life: "intermittent",
      },
      {
        code: "QSV",
        name: "Quick-Link Shutoff Valve",
        variants: single,
        price: 9,
        volume: 16,
        life: "intermittent",
      },
      {
        code: "R20",
        name: "Flowline Reservoir 2 L (2021)",
        variants: single,
        price: 30,
        volume: 220,
        life: "dying",
      },
    ],
  },
  {
    code: "PACKS",
    name: "Hydration packs",
    prefix: "PCK",
    season: [0.6, 0.7, 1.0, 1.25, 1.35, 1.3, 1.2, 1.2, 1.05, 0.85, 0.7, 0.8],
    supply: "purchase",
    leadTime: [90, 110],
    costRatio: [0.38, 0.45],
    noise: 0.18,
    promoRate: 0.7,
    growth: [0, 0.1],
    models: [
      { code: "V05", name: "Ridgerunner Vest 5 L", variants: sizes("S", "M", "L"), price: 119, volume: 125 },
      { code: "V12", name: "Ridgerunner Vest 12 L", variants: sizes("S", "M", "L"), price: 149, volume: 95 },
      {
        code: "C18",
        name: "Canyon Pack 18 L",
        variants: colors("SLT", "SGE", "EMB"),
        price: 129,
        volume: 110,
      },
      {
        code: "C26",
        name: "Canyon Pack 26 L",
        variants: colors("SLT", "SGE", "EMB"),
        price: 159,
        volume: 80,
      },
      {
        code: "H03",
        name: "Trail Hip Pack 3 L",
        variants: colors("SLT", "SGE", "SND"),
        price: 69,
        volume: 140,
      },
      { code: "Y08", name: "Youth Trail Pack 8 L", variants: colors("SLT", "EMB"), price: 59, volume: 70 },
      { code: "B12", name: "Summit Bike Pack 12 L", variants: colors("SLT", "BLK"), price: 139, volume: 65 },
      {
        code: "V10",
        name: "Ridgerunner Vest 10 L (2022)",
        variants: sizes("S", "M"),
        price: 109,
        volume: 85,
        life: "dying",
      },
    ],
  },
  {
    code: "FILTERS",
    name: "Water filters",
    prefix: "FLT",
    season: [0.5, 0.55, 0.75, 1.0, 1.4, 1.7, 1.75, 1.5, 1.05, 0.7, 0.5, 0.6],
    supply: "purchase",
    leadTime: [45, 60],
    costRatio: [0.3, 0.4],
    noise: 0.17,
    promoRate: 0.3,
    growth: [0.03, 0.12],
    models: [
      { code: "SQZ", name: "Clearstream Squeeze Filter", variants: single, price: 39, volume: 400 },
      { code: "SQ2", name: "Clearstream Squeeze Filter 2-pack", variants: single, price: 69, volume: 150 },
      { code: "GRV", name: "Clearstream Gravity Filter 4 L", variants: single, price: 89, volume: 140 },
      { code: "GR6", name: "Clearstream Gravity Filter 6 L", variants: single, price: 109, volume: 75 },
      { code: "BTF", name: "Clearstream Bottle Filter 750 ml", variants: single, price: 35, volume: 160 },
      {
        code: "STR",
        name: "Clearstream Straw Filter",
        variants: colors("BLU", "SGE"),
        price: 25,
        volume: 240,
      },
      { code: "TAB", name: "Purifier Tablets 30-pack", variants: single, price: 12, volume: 280 },
      {
        code: "CSQ",
        name: "Squeeze Replacement Cartridge",
        variants: single,
        price: 19,
        volume: 30,
        life: "intermittent",
      },
      {
        code: "CGR",
        name: "Gravity Replacement Cartridge",
        variants: single,
        price: 29,
        volume: 20,
        life: "intermittent",
      },
      {
        code: "SYR",
        name: "Backflush Syringe",
        variants: single,
        price: 8,
        volume: 14,
        life: "intermittent",
      },
      { code: "PRE", name: "Silt Prefilter", variants: single, price: 10, volume: 12, life: "intermittent" },
      {
        code: "MIN",
        name: "Clearstream Mini Filter",
        variants: colors("BLU", "SGE"),
        price: 29,
        volume: 230,
        life: "new",
        launchAgo: 4,
      },
    ],
  },
  {
    code: "COOLERS",
    name: "Soft coolers",
    prefix: "CLR",
    season: [0.4, 0.45, 0.7, 1.0, 1.5, 1.85, 1.9, 1.6, 1.0, 0.6, 0.45, 0.55],
    supply: "purchase",
    leadTime: [80, 100],
    costRatio: [0.36, 0.42],
    noise: 0.14,
    promoRate: 0.7,
    growth: [0.04, 0.12],
    models: [
      {
        code: "P12",
        name: "Packraft Soft Cooler 12-can",
        variants: colors("SLT", "SGE", "EMB", "SND"),
        price: 89,
        volume: 150,
      },
      {
        code: "P24",
        name: "Packraft Soft Cooler 24-can",
        variants: colors("SLT", "SGE", "EMB", "SND"),
        price: 119,
        volume: 125,
      },
      {
        code: "B30",
        name: "Packraft Backpack Cooler 30 L",
        variants: colors("SLT", "SGE", "EMB"),
        price: 159,
        volume: 90,
      },
      {
        code: "LTE",
        name: "Packraft Lunch Tote",
        variants: colors("SLT", "SGE", "SND"),
        price: 39,
        volume: 170,
      },
      { code: "ICE", name: "Packraft Ice Pack", variants: sizes("S", "L"), price: 12, volume: 140 },
      {
        code: "P18",
        name: "Packraft Soft Cooler 18-can",
        variants: colors("SLT", "SGE"),
        price: 105,
        volume: 140,
        life: "new",
        launchAgo: 7,
      },
    ],
  },
  {
    code: "ACCESSORIES",
    name: "Accessories and spares",
    prefix: "ACC",
    season: [0.9, 0.9, 1.0, 1.05, 1.1, 1.1, 1.1, 1.05, 1.0, 0.95, 0.9, 0.95],
    supply: "purchase",
    leadTime: [20, 30],
    costRatio: [0.2, 0.3],
    noise: 0.2,
    promoRate: 0,
    growth: [0, 0.06],
    models: [
      { code: "BV2", name: "Bite Valve 2-pack", variants: single, price: 9, volume: 70 },
      {
        code: "SCP",
        name: "Summit Straw Cap",
        variants: colors("SLT", "GLC", "SGE"),
        price: 12,
        volume: 45,
      },
      { code: "CLC", name: "Summit Carry Loop Cap", variants: colors("SLT", "BLK"), price: 10, volume: 40 },
      { code: "CHG", name: "Summit Chug Cap", variants: single, price: 12, volume: 35 },
      { code: "SPL", name: "Summit Spout Lid", variants: single, price: 11, volume: 30 },
      { code: "BRK", name: "Cleaning Brush Kit", variants: single, price: 14, volume: 55 },
      { code: "RCT", name: "Reservoir Cleaning Tablets", variants: single, price: 9, volume: 50 },
      {
        code: "BOT",
        name: "Silicone Bottle Boot",
        variants: sizes("S", "L"),
        price: 8,
        volume: 16,
        life: "intermittent",
      },
      {
        code: "GSK",
        name: "Replacement Lid Gaskets",
        variants: single,
        price: 5,
        volume: 12,
        life: "intermittent",
      },
      {
        code: "MHC",
        name: "Magnetic Hose Clip",
        variants: single,
        price: 11,
        volume: 14,
        life: "intermittent",
      },
      {
        code: "TSL",
        name: "Tumbler Slider Lid",
        variants: [
          ["16", "16 oz"],
          ["20", "20 oz"],
        ],
        price: 7,
        volume: 15,
        life: "intermittent",
      },
      { code: "FHL", name: "Flask Holster", variants: single, price: 15, volume: 12, life: "intermittent" },
      {
        code: "STK",
        name: "Trail Sticker Pack",
        variants: single,
        price: 4,
        volume: 10,
        life: "intermittent",
      },
      {
        code: "SLG",
        name: "Bottle Sling",
        variants: colors("SLT", "SGE"),
        price: 19,
        volume: 14,
        life: "intermittent",
      },
      {
        code: "IHC",
        name: "Insulated Hose Cover",
        variants: single,
        price: 13,
        volume: 10,
        life: "intermittent",
      },
      {
        code: "PHD",
        name: "Paracord Handle",
        variants: colors("SLT", "EMB"),
        price: 9,
        volume: 12,
        life: "intermittent",
      },
    ],
  },
];

/** The family whose consensus plan the sales team keeps inflating (tracking signal, FVA). */
export const BIASED_FAMILY = "COOLERS";
