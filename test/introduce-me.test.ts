import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser.js';
import { startKindred, type KindredServer } from './support/kindred-server.js';

const COMMUNITY = 'joint-replacement';

interface Member {
  name: string;
  page: Page;
  widget: Locator;
}

/**
 * Issue 6's acceptance on the shipped demo page: four visitors in separate
 * browser contexts opt in, rounds run through the operator's `kindred match
 * run` (another process, so the server must notice it), the matched pairs see
 * their introduction with its reasons, one pair accepts and talks live, one
 * declines without the other learning more than that nothing is pending, and
 * the next round never repeats a pair nor crosses a block.
 */
describe('introduce me on the demo site', () => {
  let kindred: KindredServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let ana: Member;
  let ben: Member;
  let cy: Member;
  let dee: Member;

  const proposalFrom = (member: Member, name: string) => member.widget.getByRole('heading', { name: `We'd like to introduce you to ${name}` });
  const anyProposal = (member: Member) => member.widget.getByRole('heading', { name: /^We'd like to introduce you to / });
  const matchRun = async () => JSON.parse(await kindred.cli('match', 'run', 'demo', COMMUNITY, '--json')) as { members: number; pairs: number };

  /** Opens the demo page in its own browser context, takes a guest name and opts in through the form. */
  async function optIn(name: string, stages: { knee: string; hip: string }, about: string): Promise<Member> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${kindred.url}/demo/`);
    const widget = page.locator('kindred-introduce-me');
    await widget.getByRole('heading', { name: 'How introductions work' }).waitFor({ timeout: 15_000 });
    await widget.getByLabel('Display name').fill(name);
    await widget.getByRole('button', { name: 'Continue' }).click();
    await widget.getByRole('heading', { name: 'Join introductions' }).waitFor();
    await widget.getByRole('radio', { name: /^I'm a patient/ }).check();
    await widget.getByRole('radio', { name: 'Someone in a similar situation' }).check();
    await widget.getByRole('checkbox', { name: 'Knee replacement', exact: true }).check();
    await widget.getByLabel('Where you are with Knee replacement (optional)').selectOption({ label: stages.knee });
    await widget.getByRole('checkbox', { name: 'Hip replacement', exact: true }).check();
    await widget.getByLabel('Where you are with Hip replacement (optional)').selectOption({ label: stages.hip });
    await widget.getByRole('checkbox', { name: 'English' }).check();
    await widget.getByLabel('About me (optional)').fill(about);
    await widget.getByRole('checkbox', { name: /^I'd like to be introduced/ }).check();
    await widget.getByRole('button', { name: 'Join' }).click();
    await widget.getByRole('heading', { name: "You're in" }).waitFor();
    return { name, page, widget };
  }

  beforeAll(async () => {
    kindred = await startKindred();
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await kindred?.stop();
  });

  it('lets four visitors opt in, and a round proposes each pair to both, with the reasons', async () => {
    // Ana and Ben are both recovering from a knee replacement; Cy and Dee are both waiting for a hip.
    ana = await optIn('Ana', { knee: 'Recovering after surgery', hip: 'Thinking about surgery' }, 'Knee done in May, walking again.');
    ben = await optIn('Ben', { knee: 'Recovering after surgery', hip: 'Thinking about surgery' }, 'Six weeks after my new knee.');
    cy = await optIn('Cy', { knee: 'Thinking about surgery', hip: 'Waiting for surgery' }, 'Hip surgery booked for March.');
    dee = await optIn('Dee', { knee: 'Thinking about surgery', hip: 'Waiting for surgery' }, 'Waiting for my hip, a bit nervous.');

    expect(await matchRun()).toMatchObject({ members: 4, pairs: 2 });
    await proposalFrom(ana, 'Ben').waitFor({ timeout: 10_000 });
    await ana.widget.getByText('Six weeks after my new knee.').waitFor();
    await ana.widget.getByText('You both: Knee replacement · Recovering after surgery').waitFor();
    await ana.widget.getByText('You both speak English').waitFor();
    await proposalFrom(ben, 'Ana').waitFor({ timeout: 10_000 });
    await proposalFrom(cy, 'Dee').waitFor({ timeout: 10_000 });
    await proposalFrom(dee, 'Cy').waitFor({ timeout: 10_000 });
    await dee.widget.getByText('You both: Hip replacement · Waiting for surgery').waitFor();
  });

  it('opens a private conversation only when both accept, and messages arrive live', async () => {
    await ana.widget.getByRole('button', { name: 'Yes, introduce us' }).click();
    await ana.widget.getByRole('heading', { name: 'You said yes to meeting Ben' }).waitFor();
    // Ben is not told that Ana said yes: he still sees the same proposal.
    await ben.page.waitForTimeout(500);
    await proposalFrom(ben, 'Ana').waitFor();
    expect(await ben.widget.getByText(/Ana said yes|accepted/i).count()).toBe(0);

    await ben.widget.getByRole('button', { name: 'Yes, introduce us' }).click();
    const benBox = ben.widget.getByRole('textbox', { name: 'Write to Ana' });
    const anaBox = ana.widget.getByRole('textbox', { name: 'Write to Ben' });
    await benBox.waitFor();
    await anaBox.waitFor({ timeout: 10_000 });

    await anaBox.fill('Hi Ben! How is the swelling now?');
    await ana.widget.getByRole('button', { name: 'Send' }).click();
    await ben.widget.getByRole('log', { name: 'Messages with Ana' }).getByText('Hi Ben! How is the swelling now?').waitFor({ timeout: 10_000 });
    await benBox.fill('Much better since I started the exercises.');
    await ben.widget.getByRole('button', { name: 'Send' }).click();
    await ana.widget.getByRole('log', { name: 'Messages with Ben' }).getByText('Much better since I started the exercises.').waitFor({ timeout: 10_000 });
  });

  it('tells nobody of a decline: the other member only learns that no introduction is pending', async () => {
    await cy.widget.getByRole('button', { name: 'No thanks' }).click();
    await expect.poll(() => anyProposal(cy).count()).toBe(0);
    await expect.poll(() => anyProposal(dee).count(), { timeout: 10_000 }).toBe(0);
    await dee.widget.getByRole('heading', { name: "You're in" }).waitFor();
    const text = await dee.widget.innerText();
    for (const telling of [/declin/i, /no thanks sent/i, /said no/i, /\bCy\b/]) expect(text).not.toMatch(telling);
  });

  it('never proposes a past pair or a blocked one in the next round', async () => {
    await ana.widget.getByRole('button', { name: 'End and block' }).click();
    await ana.widget.getByRole('button', { name: 'Yes, end and block' }).click();
    await ana.widget.getByText("This conversation has ended. You won't be introduced to Ben again.").waitFor();
    await ben.widget.getByText('This conversation has ended.').first().waitFor({ timeout: 10_000 });
    await expect.poll(() => ben.widget.getByRole('textbox', { name: 'Write to Ana' }).count()).toBe(0);

    // Everyone is free again and every pair shares both topics; only Ana–Cy, Ana–Dee, Ben–Cy and Ben–Dee are allowed.
    expect(await matchRun()).toMatchObject({ members: 4, pairs: 2 });
    await anyProposal(ana).waitFor({ timeout: 10_000 });
    await anyProposal(dee).waitFor({ timeout: 10_000 });
    expect(await proposalFrom(ana, 'Ben').count()).toBe(0);
    expect(await proposalFrom(ben, 'Ana').count()).toBe(0);
    expect(await proposalFrom(cy, 'Dee').count()).toBe(0);
    expect(await proposalFrom(dee, 'Cy').count()).toBe(0);
    await anyProposal(ben).waitFor({ timeout: 10_000 });
    await anyProposal(cy).waitFor({ timeout: 10_000 });
  });
});
