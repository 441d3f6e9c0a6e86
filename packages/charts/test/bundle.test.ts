// What @ratchet/charts is published as (dist/, after its build): one module that carries Vega and
// Vega-Lite itself, so that a Ratchet install gets neither's dependencies nor their commands.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { vegaBrowserFiles } from '../src/index.js';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

describe('the published module', () => {
  it('compiles Vega-Lite and draws SVG from a directory with no node_modules anywhere above it', () => {
    const alone = mkdtempSync(join(tmpdir(), 'ratchet-charts-'));
    cpSync(dist, join(alone, 'dist'), { recursive: true });
    const script = `
      const { compile, parse, View } = await import(${JSON.stringify(pathToFileURL(join(alone, 'dist/index.js')).href)});
      const spec = { data: { values: [{ x: 'a', y: 3 }, { x: 'b', y: 5 }] }, mark: 'bar', encoding: { x: { field: 'x', type: 'nominal' }, y: { field: 'y', type: 'quantitative' } } };
      const view = new View(parse(compile(spec).spec), { renderer: 'none' });
      console.log(await view.toSVG());`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: alone, encoding: 'utf8' });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    // One bar per value, each labelled with its data.
    expect(child.stdout.match(/aria-label="x: [ab]; y: \d"/g)).toEqual(['aria-label="x: a; y: 3"', 'aria-label="x: b; y: 5"']);
  });

  it('names every package it carries and their licenses beside it, Vega and Vega-Lite among them', () => {
    const notice = readFileSync(join(dist, 'index.licenses.txt'), 'utf8');
    expect(notice).toMatch(/^vega@6\.4\.0 \(BSD-3-Clause\)$/m);
    expect(notice).toMatch(/^vega-lite@6\.4\.3 \(BSD-3-Clause\)$/m);
    expect(notice).toContain('Redistribution and use in source and binary forms');
  });

  it("puts Vega's browser build and its license where vegaBrowserFiles says", () => {
    expect(existsSync(vegaBrowserFiles.script) && existsSync(vegaBrowserFiles.license)).toBe(true);
    expect(readFileSync(vegaBrowserFiles.script, 'utf8')).toMatch(/vega/);
  });
});
