import type { BrowserContext } from 'playwright-core';

export const chromiumPath: string;
export const chromiumArgs: string[];
export function chromiumMissing(): string | null;
export function launchChromium(): Promise<BrowserContext>;
