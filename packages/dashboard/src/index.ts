// @ratchet/dashboard: the run history as a static site (docs/dashboard.md).

export { buildSiteData, siteDataBuilder } from './site-data.js';
export type { SiteBenchmark, SiteData, SiteDevice, SiteOptions } from './site-data.js';
export { chartSpecs } from './specs.js';
export { siteMarker, writeSite } from './write-site.js';
