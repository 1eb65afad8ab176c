/**
 * What a visitor does with `kindred-thread`, in the visitor's words. Locators
 * go by role and accessible name (Playwright pierces the shadow root), so the
 * tests read like the journey and break when the labels a person relies on do.
 */
import type { Locator, Page } from 'playwright-core';

export type ReactionName = 'Helpful' | 'Thank you' | 'Me too';

export class ThreadPage {
  readonly thread: Locator;

  constructor(readonly page: Page) {
    this.thread = page.locator('kindred-thread');
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.thread.locator('[part~="composer"]').first().waitFor({ timeout: 15_000 });
  }

  /** A top-level post or reply, found by a piece of its text. */
  post(text: string): Locator {
    return this.thread.locator('article[part~="post"]').filter({ hasText: text }).last();
  }

  async signInAsGuest(name: string): Promise<void> {
    await this.thread.getByLabel('Display name').fill(name);
    await this.thread.getByRole('button', { name: 'Continue' }).click();
    await this.thread.getByRole('textbox', { name: /write a post/i }).waitFor();
  }

  async write(text: string): Promise<void> {
    const box = this.thread.getByRole('textbox', { name: /write a post/i });
    await box.fill(text);
    await this.thread.locator('[part~="composer"]').first().getByRole('button', { name: 'Post' }).click();
    await this.post(text).waitFor();
    await this.post(text).getByText('Sending…').waitFor({ state: 'detached' });
  }

  async reply(to: string, text: string): Promise<void> {
    await this.post(to).getByRole('button', { name: 'Reply' }).first().click();
    const box = this.thread.getByRole('textbox', { name: /write a reply/i });
    await box.fill(text);
    await this.thread.locator('[part~="reply-composer"]').getByRole('button', { name: 'Reply' }).click();
    await this.post(text).waitFor();
  }

  async react(text: string, reaction: ReactionName): Promise<void> {
    await this.post(text).getByRole('button', { name: new RegExp(`^${reaction}`) }).click();
  }

  /** The reactions shown on the post itself (not on its replies), as a person reads them. */
  async reactions(text: string): Promise<string> {
    const own = this.post(text).locator(':scope > [part~="reactions"]');
    return (await own.innerText()).replace(/\s+/g, ' ').trim();
  }

  async edit(text: string, replacement: string): Promise<void> {
    await this.post(text).getByRole('button', { name: 'Edit' }).click();
    const box = this.thread.getByRole('textbox', { name: /edit your post/i });
    await box.fill(replacement);
    await this.thread.getByRole('button', { name: 'Save' }).click();
    await this.post(replacement).waitFor();
  }

  async remove(text: string): Promise<void> {
    await this.post(text).getByRole('button', { name: 'Delete' }).click();
    await this.post(text).getByRole('button', { name: 'Yes, delete' }).click();
    await this.post(text).waitFor({ state: 'detached' });
  }

  newPostsButton(): Locator {
    return this.thread.locator('[part~="new-posts"]');
  }

  /** The text of every post shown, top to bottom. */
  async bodies(): Promise<string[]> {
    return this.thread.locator('[part~="post"] [part~="body"]').allInnerTexts();
  }
}
