/// <reference types="mocha" />
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../thread/define.js';
import '../ask-expert/define.js';
import '../introduce-me/define.js';
import { en } from './en.js';
import { es } from './es.js';
import { Localizer, lookUp } from './localizer.js';
import { KindredError } from '@kindred/client';
import { WORDED_REFUSALS, errorText } from '../shared/error-text.js';

/**
 * The widgets speak the language of their closest `lang`: Spanish tables are
 * fetched when first asked for (their own chunks), and the element renders
 * again in Spanish once they are there. Real server, real Chromium, axe.
 */
const server = window.KINDRED_TEST_SERVER;
const shadowText = (el: Element): string => el.shadowRoot?.textContent?.replace(/\s+/g, ' ') ?? '';
const until = (check: () => unknown, message: string): Promise<void> => waitUntil(check, message, { timeout: 8000 });

describe('Spanish', () => {
  // First in the file: the Spanish tables are not loaded yet on this page.
  it('never shows a Spanish page English first: the first render waits for the table', async () => {
    const page = await fixture(html`<div lang="es"></div>`);
    const el = document.createElement('kindred-thread');
    Object.assign(el, { topic: `es-first-${Date.now().toString(36)}`, server, site: 'demo' });
    page.append(el);
    // Every text the element shows, from its first render on.
    const shown: string[] = [];
    const record = (): void => void shown.push(shadowText(el));
    new MutationObserver(record).observe(el.shadowRoot!, { childList: true, subtree: true, characterData: true });
    await until(() => shadowText(el).includes(es.displayName), 'the Spanish sign-in label');
    expect(shown.length).to.be.above(0);
    for (const text of shown) {
      expect(text).not.to.include(en.loading);
      expect(text).not.to.include(en.displayName);
    }
    expect(shown[0]).to.satisfy((first: string) => first.includes(es.loading) || first.includes(es.displayName));
  });

  it('renders the thread in Spanish under lang="es", with nothing left in English', async () => {
    const page = await fixture(html`<div lang="es"><kindred-thread topic="es-${Date.now().toString(36)}" server=${server} site="demo"></kindred-thread></div>`);
    const el = page.querySelector('kindred-thread')!;
    await until(() => shadowText(el).includes(es.displayName), 'the Spanish sign-in label');
    expect(shadowText(el)).to.include(es.continue);
    expect(shadowText(el)).not.to.include(en.displayName);
    await expect(el).to.be.accessible();
  });

  it('renders ask-an-expert and introduce-me in Spanish from a lang on the element itself, with region codes', async () => {
    const page = await fixture(html`<div>
      <kindred-ask-expert lang="es-MX" topic="knee-replacement" server=${server} site="demo"></kindred-ask-expert>
      <kindred-introduce-me lang="es" community="joint-replacement" server=${server} site="demo"></kindred-introduce-me>
    </div>`);
    const ask = page.querySelector('kindred-ask-expert')!;
    const intro = page.querySelector('kindred-introduce-me')!;
    await until(() => shadowText(ask).includes('Para hacer una pregunta, elija un nombre visible'), 'the Spanish sign-in hint');
    expect(shadowText(ask)).to.include('no son consejo médico');
    await until(() => shadowText(intro).includes('Cómo funcionan las presentaciones'), 'the Spanish explainer');
    expect(shadowText(intro)).not.to.include('How introductions work');
    expect(shadowText(intro)).to.include(es.displayName);
    await expect(ask).to.be.accessible();
    await expect(intro).to.be.accessible();
  });

  it('keeps English where no lang asks for another language', async () => {
    const el = await fixture(html`<kindred-thread topic="en-${Date.now().toString(36)}" server=${server} site="demo"></kindred-thread>`);
    await until(() => shadowText(el).includes(en.displayName), 'the English sign-in label');
    expect(shadowText(el)).not.to.include(es.displayName);
  });

  it("words the server's refusals in Spanish, never showing its English explanations", async () => {
    const [english, spanish] = await Promise.all(
      ['en', 'es'].map(async (lang) => {
        const localizer = new Localizer(await fixture(html`<p lang=${lang}></p>`));
        await localizer.ready();
        return localizer;
      }),
    );
    const invalid = new KindredError('INVALID_INPUT', 'body: must be at most 5000 characters');
    const other = new KindredError('EDIT_WINDOW_CLOSED', 'Posts can be edited for 15 minutes.');
    expect(errorText(english!, invalid, WORDED_REFUSALS, 'Riverside')).to.equal('Must be at most 5000 characters');
    expect(errorText(spanish!, invalid, WORDED_REFUSALS, 'Riverside')).to.equal(es.error_INVALID_INPUT);
    expect(errorText(english!, other, WORDED_REFUSALS, 'Riverside')).to.equal('Posts can be edited for 15 minutes.');
    expect(errorText(spanish!, other, WORDED_REFUSALS, 'Riverside')).to.equal(es.error_INTERNAL);
    expect(errorText(spanish!, new KindredError('SUSPENDED', 'suspended'), WORDED_REFUSALS, 'Riverside')).to.equal(es.error_SUSPENDED);
  });

  it("uses the plural forms Spanish needs, even those English does not have", () => {
    const tables = { en, es };
    expect(lookUp(en, tables, 'es', 'newPosts', { count: 1 })).to.equal('1 publicación nueva');
    expect(lookUp(en, tables, 'es', 'newPosts', { count: 3 })).to.equal('3 publicaciones nuevas');
    expect(lookUp(en, tables, 'es', 'newPosts', { count: 1_000_000 })).to.equal('1.000.000 de publicaciones nuevas');
    expect(lookUp(en, tables, 'en', 'newPosts', { count: 1_000_000 })).to.equal('1,000,000 new posts');
    expect(lookUp(en, tables, 'es', 'noSuchKey', {})).to.equal(undefined);
    expect(lookUp(en, tables, 'es', 'error_EDIT_WINDOW_CLOSED', { minutes: 15 })).to.equal('Las publicaciones solo se pueden editar durante 15 minutos.');
  });
});
