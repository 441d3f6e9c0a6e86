export { escapeMarkdown } from './escape.js';
export { renderJson } from './json.js';
export { renderMarkdown } from './markdown.js';
export type { MarkdownOptions } from './markdown.js';
export { renderSotaMarkdown } from './sota-markdown.js';
export { renderSotaSvg } from './sota-svg.js';
export { renderAutotuneMarkdown } from './autotune-markdown.js';
export { renderCalibrationMarkdown } from './calibration-markdown.js';
export type { CalibrationAtThreshold } from './calibration-markdown.js';
