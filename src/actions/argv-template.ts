/** The tags an argv template may hold, and what each becomes. */
export interface TemplateValues {
  ip: string;
  name: string;
  bantime: number;
  failures: number;
}

/**
 * Checks an argv template: a program and its arguments, each a string.
 * @throws {TypeError} naming the setting and the fix
 */
export function checkTemplate(setting: string, template: unknown): string[] {
  if (
    !Array.isArray(template) ||
    template.length === 0 ||
    !template.every((part): part is string => typeof part === 'string') ||
    template[0] === ''
  ) {
    throw new TypeError(
      `${setting} must be an argv array, a program then its arguments, e.g. ["nft", "add", "element", "inet", "f2b", "addr-set", "{ <ip> }"]`,
    );
  }
  return template;
}

/** The template with `<ip>`, `<name>`, `<bantime>` and `<failures>` replaced in each argument; no shell sees it. */
export const fillTemplate = (template: readonly string[], values: TemplateValues): string[] =>
  template.map((part) =>
    part.replace(/<(ip|name|bantime|failures)>/g, (_, tag: keyof TemplateValues) => String(values[tag])),
  );
