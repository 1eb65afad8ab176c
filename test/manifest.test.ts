import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ELEMENT_CHUNKS } from '../packages/widgets/src/loader/element-chunks.js';

/**
 * The custom-elements manifest is generated from JSDoc by `npm run build`;
 * this keeps every element the loader knows documented in it, so the
 * reference a developer reads is never behind the code.
 */
interface Documented {
  name: string;
  description?: string;
}
interface Declaration {
  tagName?: string;
  summary?: string;
  attributes?: Documented[];
  events?: Documented[];
  cssParts?: Documented[];
  cssProperties?: Documented[];
}

const manifest = JSON.parse(
  readFileSync(new URL('../packages/widgets/custom-elements.json', import.meta.url), 'utf8'),
) as { modules: { declarations?: Declaration[] }[] };
const declarations = manifest.modules.flatMap((module) => module.declarations ?? []);

describe('custom-elements.json', () => {
  for (const tag of Object.keys(ELEMENT_CHUNKS)) {
    it(`documents ${tag}: summary, attributes, events, parts and custom properties`, () => {
      const element = declarations.find((declaration) => declaration.tagName === tag);
      expect(element, `${tag} is missing from the manifest`).toBeDefined();
      expect(element?.summary).toBeTruthy();
      for (const list of [element?.attributes, element?.events, element?.cssParts, element?.cssProperties]) {
        expect(list?.length).toBeGreaterThan(0);
        for (const entry of list ?? []) expect(entry.description, entry.name).toBeTruthy();
      }
      for (const event of element?.events ?? []) expect(event.name).toMatch(/^kindred-/);
      for (const property of element?.cssProperties ?? []) expect(property.name).toMatch(/^--kindred-/);
    });
  }
});
