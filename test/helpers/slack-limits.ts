/**
 * Slack's Block Kit limits as a pure validator: the fake Slack Web API rejects what it finds, and
 * block-builder tests can call it directly.
 *
 * The numbers come from Slack's reference pages (checked through the docs search, and quoted
 * next to each rule below):
 * - Blocks overview, docs.slack.dev/reference/block-kit/blocks: "You can include up to 50 blocks
 *   in each message, and 100 blocks in modals or Home tabs."
 * - Section block, docs.slack.dev/reference/block-kit/blocks/section-block: text "Minimum length
 *   ... is 1 and maximum length is 3000 characters"; fields "Required if no text is provided ...
 *   Maximum number of items is 10. Maximum length for the text in each item is 2000 characters";
 *   block_id "Maximum length for this field is 255 characters".
 * - Header block, docs.slack.dev/reference/block-kit/blocks/header-block: text "in the form of a
 *   plain_text text object. Maximum length for the text in this field is 150 characters."
 * - Context block, docs.slack.dev/reference/block-kit/blocks/context-block: elements "An array of
 *   image elements and text objects. Maximum number of items is 10." (required)
 * - Actions block, @slack/types ActionsBlock (docs.slack.dev/tools/node-slack-sdk/reference/types/
 *   interfaces/ActionsBlock): "There is a maximum of 25 elements in each action block."
 * - Button element, docs.slack.dev/reference/block-kit/block-elements/button-element: text "Can
 *   only be of type: plain_text ... Maximum length for the text in this field is 75 characters";
 *   action_id "Should be unique among all other action_ids in the containing block. Maximum length
 *   is 255 characters"; url max 3000; value max 2000; style primary|danger; accessibility_label 75.
 * - Modal views, docs.slack.dev/reference/views/modal-views: title "Must be a plain_text text
 *   element with a max length of 24 characters" (required); close/submit max 24; "submit is
 *   required when an input block is within the blocks array"; private_metadata max 3000;
 *   callback_id max 255; blocks "Max of 100 blocks".
 *
 * Problem wording follows what Slack itself answers (JSON-schema messages plus a json-pointer),
 * as seen in responses quoted in public issues: "must be less than 3001 characters
 * [json-pointer:/blocks/0/text/text]", "no more than 25 items allowed
 * [json-pointer:/blocks/1/elements]", "no more than 100 items allowed [json-pointer:/view/blocks]",
 * "invalid additional property: emoji [json-pointer:/blocks/0/text]", "missing required field:
 * type", "must provide a string". Where no real message was found (duplicate ids, a section with
 * neither text nor fields, unknown block types) the wording is modelled on those.
 *
 * Lengths are counted in UTF-16 code units (String#length), which is never less than Slack's
 * character count, so a builder that passes here passes on Slack.
 */

export type Surface = "message" | "modal" | "home";

/** Which rule a problem broke, so tests can assert on it without matching prose. */
export type LimitRule =
  | "too_many_blocks"
  | "not_an_object"
  | "not_an_array"
  | "not_a_string"
  | "missing_field"
  | "unknown_type"
  | "invalid_value"
  | "invalid_property"
  | "plain_text_required"
  | "text_too_long"
  | "text_too_short"
  | "too_many_fields"
  | "too_many_elements"
  | "too_few_elements"
  | "too_many_options"
  | "id_too_long"
  | "duplicate_block_id"
  | "duplicate_action_id"
  | "submit_required";

export interface BlockProblem {
  /** JSON pointer into the payload, as Slack reports it ("/blocks/3/text/text"). */
  pointer: string;
  /** Slack-style message without the "[ERROR]" prefix ("must be less than 3001 characters"). */
  message: string;
  rule: LimitRule;
}

/** The limits, in characters or items. */
export const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonUrl: 3000,
  buttonValue: 2000,
  accessibilityLabel: 75,
  actionId: 255,
  blockId: 255,
  imageUrl: 3000,
  altText: 2000,
  imageTitle: 2000,
  inputLabel: 2000,
  inputHint: 2000,
  markdownText: 12_000,
  placeholder: 150,
  selectOptions: 100,
  optionText: 75,
  optionValue: 150,
  overflowOptions: 5,
  choiceOptions: 10,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
} as const;

/** Block types Slack knows (docs.slack.dev/reference/block-kit/blocks). */
const BLOCK_TYPES = new Set([
  "actions",
  "context",
  "context_actions",
  "divider",
  "file",
  "header",
  "image",
  "input",
  "markdown",
  "rich_text",
  "section",
  "table",
  "video",
]);

/** Interactive elements allowed in an actions block. */
const ACTION_ELEMENTS = new Set([
  "button",
  "checkboxes",
  "datepicker",
  "datetimepicker",
  "multi_static_select",
  "multi_external_select",
  "multi_users_select",
  "multi_conversations_select",
  "multi_channels_select",
  "overflow",
  "radio_buttons",
  "rich_text_input",
  "static_select",
  "external_select",
  "users_select",
  "conversations_select",
  "channels_select",
  "timepicker",
  "workflow_button",
]);

/** Elements a section may carry as its accessory. */
const ACCESSORY_ELEMENTS = new Set([...ACTION_ELEMENTS, "image"]);
ACCESSORY_ELEMENTS.delete("rich_text_input");
ACCESSORY_ELEMENTS.delete("datetimepicker");

/** Elements an input block may hold. */
const INPUT_ELEMENTS = new Set([
  ...ACTION_ELEMENTS,
  "plain_text_input",
  "email_text_input",
  "url_text_input",
  "number_input",
  "file_input",
]);
INPUT_ELEMENTS.delete("button");
INPUT_ELEMENTS.delete("overflow");
INPUT_ELEMENTS.delete("workflow_button");

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

class Checker {
  readonly problems: BlockProblem[] = [];
  /** block_id → pointer of the block that used it first, for the whole payload. */
  readonly blockIds = new Map<string, string>();

  add(pointer: string, message: string, rule: LimitRule): void {
    this.problems.push({ pointer, message, rule });
  }

  /** Reports properties outside `allowed` the way Slack does ("invalid additional property"). */
  onlyProps(obj: Json, pointer: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key))
        this.add(pointer, `invalid additional property: ${key}`, "invalid_property");
    }
  }

  /** A string field: required or not, with a maximum (and minimum) length. */
  string(
    obj: Json,
    key: string,
    pointer: string,
    opts: { required?: boolean; max?: number; min?: number; tooLong?: LimitRule },
  ): string | undefined {
    const value = obj[key];
    if (value === undefined) {
      if (opts.required) this.add(pointer, `missing required field: ${key}`, "missing_field");
      return undefined;
    }
    if (typeof value !== "string") {
      this.add(`${pointer}/${key}`, "must provide a string", "not_a_string");
      return undefined;
    }
    if (opts.max !== undefined && value.length > opts.max) {
      this.add(
        `${pointer}/${key}`,
        `must be less than ${opts.max + 1} characters`,
        opts.tooLong ?? "text_too_long",
      );
    }
    if (opts.min !== undefined && value.length < opts.min) {
      this.add(`${pointer}/${key}`, `must be more than ${opts.min - 1} characters`, "text_too_short");
    }
    return value;
  }

  /**
   * A text composition object (docs.slack.dev/reference/block-kit/composition-objects/text-object):
   * type plain_text|mrkdwn, text 1..max characters; `emoji` only on plain_text, `verbatim` only on
   * mrkdwn (Slack answers "invalid additional property: emoji" for an emoji flag on mrkdwn).
   */
  text(
    value: unknown,
    pointer: string,
    opts: { max: number; plainOnly?: boolean; tooLong?: LimitRule },
  ): void {
    if (!isObject(value)) {
      this.add(pointer, "must provide an object", "not_an_object");
      return;
    }
    const type = value.type;
    if (type === undefined) {
      this.add(pointer, "missing required field: type", "missing_field");
    } else if (type !== "plain_text" && type !== "mrkdwn") {
      this.add(`${pointer}/type`, "must be a valid enum value", "invalid_value");
    } else if (opts.plainOnly && type !== "plain_text") {
      // What Slack answers for a mrkdwn header or button label.
      this.add(pointer, "failed to match all allowed schemas", "plain_text_required");
      this.add(`${pointer}/type`, "must be a valid enum value (plain_text required)", "plain_text_required");
    }
    this.onlyProps(
      value,
      pointer,
      type === "mrkdwn" ? ["type", "text", "verbatim"] : ["type", "text", "emoji"],
    );
    this.string(value, "text", pointer, {
      required: true,
      max: opts.max,
      min: 1,
      ...(opts.tooLong ? { tooLong: opts.tooLong } : {}),
    });
  }

  blockId(block: Json, pointer: string): void {
    const id = this.string(block, "block_id", pointer, { max: LIMITS.blockId, tooLong: "id_too_long" });
    if (id === undefined) return;
    const first = this.blockIds.get(id);
    if (first !== undefined) {
      this.add(
        `${pointer}/block_id`,
        `duplicate block_id: ${id} (first used at ${first})`,
        "duplicate_block_id",
      );
    } else {
      this.blockIds.set(id, pointer);
    }
  }

  /** action_id: at most 255 characters, unique among the elements of its block. */
  actionId(element: Json, pointer: string, seen: Map<string, string>): void {
    const id = this.string(element, "action_id", pointer, { max: LIMITS.actionId, tooLong: "id_too_long" });
    if (id === undefined) return;
    const first = seen.get(id);
    if (first !== undefined) {
      this.add(
        `${pointer}/action_id`,
        `duplicate action_id: ${id} (first used at ${first})`,
        "duplicate_action_id",
      );
    } else {
      seen.set(id, pointer);
    }
  }

  options(element: Json, pointer: string, max: number, key = "options"): void {
    const options = element[key];
    if (options === undefined) return;
    if (!Array.isArray(options)) {
      this.add(`${pointer}/${key}`, "must provide an array", "not_an_array");
      return;
    }
    if (options.length > max) {
      this.add(`${pointer}/${key}`, `no more than ${max} items allowed`, "too_many_options");
    }
    options.forEach((option, i) => {
      const at = `${pointer}/${key}/${i}`;
      if (!isObject(option)) {
        this.add(at, "must provide an object", "not_an_object");
        return;
      }
      // Option objects: text max 75, value max 150 (composition-objects/option-object).
      if (option.text === undefined) this.add(at, "missing required field: text", "missing_field");
      else this.text(option.text, `${at}/text`, { max: LIMITS.optionText });
      this.string(option, "value", at, { max: LIMITS.optionValue });
    });
  }

  /** An interactive or image element; `allowed` is the set its container accepts. */
  element(
    value: unknown,
    pointer: string,
    allowed: ReadonlySet<string>,
    seenActionIds: Map<string, string>,
  ): void {
    if (!isObject(value)) {
      this.add(pointer, "must provide an object", "not_an_object");
      return;
    }
    const type = value.type;
    if (typeof type !== "string") {
      this.add(pointer, "missing required field: type", "missing_field");
      return;
    }
    if (!allowed.has(type)) {
      this.add(pointer, `failed to match all allowed schemas (element type ${type})`, "unknown_type");
      return;
    }
    if (type === "image") {
      this.imageElement(value, pointer);
      return;
    }
    this.actionId(value, pointer, seenActionIds);
    if (value.placeholder !== undefined) {
      this.text(value.placeholder, `${pointer}/placeholder`, { max: LIMITS.placeholder, plainOnly: true });
    }
    switch (type) {
      case "button":
        this.onlyProps(value, pointer, [
          "type",
          "text",
          "action_id",
          "url",
          "value",
          "style",
          "confirm",
          "accessibility_label",
        ]);
        if (value.text === undefined) this.add(pointer, "missing required field: text", "missing_field");
        else this.text(value.text, `${pointer}/text`, { max: LIMITS.buttonText, plainOnly: true });
        this.string(value, "url", pointer, { max: LIMITS.buttonUrl });
        this.string(value, "value", pointer, { max: LIMITS.buttonValue });
        this.string(value, "accessibility_label", pointer, { max: LIMITS.accessibilityLabel });
        if (value.style !== undefined && value.style !== "primary" && value.style !== "danger") {
          this.add(`${pointer}/style`, "must be a valid enum value", "invalid_value");
        }
        break;
      case "overflow":
        // docs: overflow options "Maximum number of options is 5. Minimum number of options is 1."
        this.options(value, pointer, LIMITS.overflowOptions);
        if (!Array.isArray(value.options))
          this.add(pointer, "missing required field: options", "missing_field");
        break;
      case "checkboxes":
      case "radio_buttons":
        this.options(value, pointer, LIMITS.choiceOptions);
        break;
      case "static_select":
      case "multi_static_select":
        this.options(value, pointer, LIMITS.selectOptions);
        this.options(value, pointer, LIMITS.selectOptions, "option_groups");
        break;
      default:
        break;
    }
  }

  imageElement(value: Json, pointer: string): void {
    this.onlyProps(value, pointer, ["type", "image_url", "slack_file", "alt_text"]);
    if (value.image_url === undefined && value.slack_file === undefined) {
      this.add(pointer, "missing required field: image_url", "missing_field");
    }
    this.string(value, "image_url", pointer, { max: LIMITS.imageUrl });
    this.string(value, "alt_text", pointer, { required: true, max: LIMITS.altText });
  }

  /** A list of elements under `key`, at most `max`, each of an allowed type. */
  elements(
    block: Json,
    pointer: string,
    opts: { max: number; allowed: ReadonlySet<string> | "context" },
  ): void {
    const elements = block.elements;
    if (elements === undefined) {
      this.add(pointer, "missing required field: elements", "missing_field");
      return;
    }
    if (!Array.isArray(elements)) {
      this.add(`${pointer}/elements`, "must provide an array", "not_an_array");
      return;
    }
    if (elements.length > opts.max) {
      this.add(`${pointer}/elements`, `no more than ${opts.max} items allowed`, "too_many_elements");
    }
    if (elements.length === 0) {
      this.add(`${pointer}/elements`, "must provide at least 1 item", "too_few_elements");
    }
    const seen = new Map<string, string>();
    elements.forEach((element, i) => {
      const at = `${pointer}/elements/${i}`;
      if (opts.allowed === "context") {
        // Context elements are image elements or text objects.
        if (isObject(element) && element.type === "image") this.imageElement(element, at);
        else this.text(element, at, { max: LIMITS.sectionText });
      } else {
        this.element(element, at, opts.allowed, seen);
      }
    });
  }

  block(value: unknown, pointer: string): void {
    if (!isObject(value)) {
      this.add(pointer, "must provide an object", "not_an_object");
      return;
    }
    const type = value.type;
    if (type === undefined) {
      this.add(pointer, "missing required field: type", "missing_field");
      return;
    }
    if (typeof type !== "string" || !BLOCK_TYPES.has(type)) {
      this.add(
        pointer,
        `failed to match all allowed schemas (unknown block type ${String(type)})`,
        "unknown_type",
      );
      return;
    }
    this.blockId(value, pointer);
    switch (type) {
      case "section":
        this.section(value, pointer);
        break;
      case "header":
        this.onlyProps(value, pointer, ["type", "block_id", "text"]);
        if (value.text === undefined) this.add(pointer, "missing required field: text", "missing_field");
        else this.text(value.text, `${pointer}/text`, { max: LIMITS.headerText, plainOnly: true });
        break;
      case "divider":
        this.onlyProps(value, pointer, ["type", "block_id"]);
        break;
      case "context":
        this.onlyProps(value, pointer, ["type", "block_id", "elements"]);
        this.elements(value, pointer, { max: LIMITS.contextElements, allowed: "context" });
        break;
      case "actions":
        this.onlyProps(value, pointer, ["type", "block_id", "elements"]);
        this.elements(value, pointer, { max: LIMITS.actionsElements, allowed: ACTION_ELEMENTS });
        break;
      case "image":
        // docs.slack.dev/reference/block-kit/blocks/image-block: alt_text max 2000, title max 2000,
        // image_url max 3000, image_url or slack_file required.
        this.onlyProps(value, pointer, ["type", "block_id", "image_url", "slack_file", "alt_text", "title"]);
        if (value.image_url === undefined && value.slack_file === undefined) {
          this.add(pointer, "missing required field: image_url", "missing_field");
        }
        this.string(value, "image_url", pointer, { max: LIMITS.imageUrl });
        this.string(value, "alt_text", pointer, { required: true, max: LIMITS.altText });
        if (value.title !== undefined) {
          this.text(value.title, `${pointer}/title`, { max: LIMITS.imageTitle, plainOnly: true });
        }
        break;
      case "input":
        // docs.slack.dev/reference/block-kit/blocks/input-block: label plain_text max 2000 and
        // element required; hint plain_text max 2000.
        this.onlyProps(value, pointer, [
          "type",
          "block_id",
          "label",
          "element",
          "dispatch_action",
          "hint",
          "optional",
        ]);
        if (value.label === undefined) this.add(pointer, "missing required field: label", "missing_field");
        else this.text(value.label, `${pointer}/label`, { max: LIMITS.inputLabel, plainOnly: true });
        if (value.hint !== undefined) {
          this.text(value.hint, `${pointer}/hint`, { max: LIMITS.inputHint, plainOnly: true });
        }
        if (value.element === undefined)
          this.add(pointer, "missing required field: element", "missing_field");
        else this.element(value.element, `${pointer}/element`, INPUT_ELEMENTS, new Map());
        break;
      case "markdown":
        // docs.slack.dev/reference/block-kit/blocks/markdown-block: text required, 12,000 max.
        this.onlyProps(value, pointer, ["type", "block_id", "text"]);
        this.string(value, "text", pointer, { required: true, max: LIMITS.markdownText, min: 1 });
        break;
      case "rich_text":
        if (!Array.isArray(value.elements))
          this.add(pointer, "missing required field: elements", "missing_field");
        break;
      default:
        // file, video, table, context_actions: accepted without deeper checks.
        break;
    }
  }

  section(block: Json, pointer: string): void {
    this.onlyProps(block, pointer, ["type", "block_id", "text", "fields", "accessory", "expand"]);
    const { text, fields, accessory } = block;
    if (text === undefined && fields === undefined) {
      this.add(pointer, "must define either `text` or `fields`", "missing_field");
    }
    if (text !== undefined) this.text(text, `${pointer}/text`, { max: LIMITS.sectionText });
    if (fields !== undefined) {
      if (!Array.isArray(fields)) {
        this.add(`${pointer}/fields`, "must provide an array", "not_an_array");
      } else {
        if (fields.length > LIMITS.sectionFields) {
          this.add(
            `${pointer}/fields`,
            `no more than ${LIMITS.sectionFields} items allowed`,
            "too_many_fields",
          );
        }
        fields.forEach((field, i) => {
          this.text(field, `${pointer}/fields/${i}`, { max: LIMITS.sectionFieldText });
        });
      }
    }
    if (accessory !== undefined) {
      this.element(accessory, `${pointer}/accessory`, ACCESSORY_ELEMENTS, new Map());
    }
  }
}

function checkBlocks(checker: Checker, blocks: unknown, surface: Surface, base: string): void {
  const pointer = `${base}/blocks`;
  if (!Array.isArray(blocks)) {
    checker.add(pointer, "must provide an array", "not_an_array");
    return;
  }
  const max = surface === "message" ? LIMITS.blocksPerMessage : LIMITS.blocksPerView;
  if (blocks.length > max) checker.add(pointer, `no more than ${max} items allowed`, "too_many_blocks");
  blocks.forEach((block, i) => {
    checker.block(block, `${pointer}/${i}`);
  });
}

/**
 * Checks a blocks array against Slack's limits for a surface: 50 blocks in a message, 100 in a
 * modal or Home tab. Returns every problem found (empty when Slack would accept the blocks);
 * pointers start at "/blocks".
 */
export function validateBlocks(blocks: unknown, surface: Surface): BlockProblem[] {
  const checker = new Checker();
  checkBlocks(checker, blocks, surface, "");
  return checker.problems;
}

/**
 * Checks a view payload (views.publish / views.open / views.update / views.push): its type, the
 * modal's title/close/submit, private_metadata, callback_id and its blocks (100 at most).
 * Pointers start at "/view", as Slack reports them.
 */
export function validateView(view: unknown, expected?: "modal" | "home"): BlockProblem[] {
  const checker = new Checker();
  const pointer = "/view";
  if (!isObject(view)) {
    checker.add(pointer, "must provide an object", "not_an_object");
    return checker.problems;
  }
  const type = view.type;
  if (type === undefined) {
    checker.add(pointer, "missing required field: type", "missing_field");
    return checker.problems;
  }
  if ((type !== "modal" && type !== "home") || (expected !== undefined && type !== expected)) {
    checker.add(`${pointer}/type`, "must be a valid enum value", "invalid_value");
    return checker.problems;
  }
  if (view.blocks === undefined) checker.add(pointer, "missing required field: blocks", "missing_field");
  else checkBlocks(checker, view.blocks, type, pointer);
  checker.string(view, "private_metadata", pointer, { max: LIMITS.privateMetadata });
  checker.string(view, "callback_id", pointer, { max: LIMITS.callbackId, tooLong: "id_too_long" });
  checker.string(view, "external_id", pointer, {});
  if (type === "modal") {
    if (view.title === undefined) checker.add(pointer, "missing required field: title", "missing_field");
    else checker.text(view.title, `${pointer}/title`, { max: LIMITS.viewTitle, plainOnly: true });
    for (const key of ["close", "submit"] as const) {
      if (view[key] !== undefined) {
        checker.text(view[key], `${pointer}/${key}`, { max: LIMITS.viewButton, plainOnly: true });
      }
    }
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === "input");
    if (hasInput && view.submit === undefined) {
      checker.add(
        pointer,
        "missing required field: submit (a modal with input blocks needs one)",
        "submit_required",
      );
    }
  }
  return checker.problems;
}

/** The "errors" list Slack puts in an invalid_blocks answer: "<message> [json-pointer:<pointer>]". */
export function problemErrors(problems: readonly BlockProblem[]): string[] {
  return problems.map((p) => `${p.message} [json-pointer:${p.pointer}]`);
}

/** The response_metadata.messages Slack sends with it: "[ERROR] <message> [json-pointer:<pointer>]". */
export function problemMessages(problems: readonly BlockProblem[]): string[] {
  return problemErrors(problems).map((e) => `[ERROR] ${e}`);
}
