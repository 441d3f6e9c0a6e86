/**
 * Makes untrusted text (benchmark names, reasons, device names from results files) inert in
 * GitHub markdown: table pipes, emphasis, code, links, HTML and line breaks cannot escape their cell.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+!|<>~]/g, (c) => `\\${c}`)
    .replace(/\r?\n|\r/g, ' ');
}
