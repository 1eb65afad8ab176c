/// <reference types="mocha" />
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { getConnection, type Connection } from '@kindred/client';
import { INTRO_LIMITS, LIMITS } from '@kindred/protocol';
import './define.js';
import { MESSAGE_MAX } from './conversation.js';
import type { KindredIntroduceMe } from './introduce-me.js';
import { answerAuthUrl, button, hostToken, type } from '../testing/host-page.js';
import { matchRound } from '../testing/commands.js';

/**
 * `<kindred-introduce-me>` against the real test server and its seeded
 * `joint-replacement` community. Rounds run through the real CLI on the
 * server's database (the `kindred-match-run` command of the test runner's
 * config); the server notices them within 200 ms. Two members on one page
 * are two elements with auth URLs of their own (so connections of their own),
 * signed in by host tokens. Every member leaves after their test, so a round
 * sees only the members of the test that runs it.
 */
const server = window.KINDRED_TEST_SERVER;
const COMMUNITY = 'joint-replacement';
let count = 0;
const unique = (): string => `${Date.now().toString(36)}-${++count}`;

const root = (el: KindredIntroduceMe): ShadowRoot => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: KindredIntroduceMe, selector: string): T | null =>
  root(el).querySelector<T>(selector);
const $$ = <T extends Element = HTMLElement>(el: KindredIntroduceMe, selector: string): T[] => [
  ...root(el).querySelectorAll<T>(selector),
];
const text = (node: Node | null): string => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
const until = (check: () => unknown, message: string, timeout = 8000): Promise<void> =>
  waitUntil(check, message, { timeout });
const announced = (el: KindredIntroduceMe): string => text($(el, '[part~="announcer"]'));
const focused = (el: KindredIntroduceMe): Element | null => root(el).activeElement;
/** Whether focus is on the element `selector` finds (false when there is none). */
const focusOn = (el: KindredIntroduceMe, selector: string): boolean => !!$(el, selector) && focused(el) === $(el, selector);
const heading = (el: KindredIntroduceMe): string => text($(el, '#intro-status'));

const elements: KindredIntroduceMe[] = [];
const connections: Connection[] = [];

/** An element on the page's own connection (a guest of this browser, or nobody). */
async function mount(authUrl = '', community = COMMUNITY): Promise<KindredIntroduceMe> {
  const el = await fixture<KindredIntroduceMe>(
    html`<kindred-introduce-me community=${community} server=${server} site="demo" auth-url=${authUrl}></kindred-introduce-me>`,
  );
  elements.push(el);
  connections.push(getConnection({ server, site: 'demo', ...(authUrl ? { authUrl } : {}) }));
  return el;
}

/** An element on a connection of its own, whose host site says `name` is signed in. */
async function member(name: string): Promise<KindredIntroduceMe> {
  const authUrl = `/auth/intro-${unique()}`;
  const token = await hostToken({ sub: `intro-${unique()}`, name });
  answerAuthUrl(authUrl, () => Response.json({ token }));
  const el = await mount(authUrl);
  await until(() => $(el, '#join-heading, #intro-status'), `${name} signed in`);
  return el;
}

interface Choices {
  role?: 'patient' | 'caregiver' | 'mentor';
  topics?: { id: string; stage?: string }[];
  languages?: string[];
  about?: string;
}

/** Fills the opt-in form as a person does and presses Join (or Save changes). */
async function fill(el: KindredIntroduceMe, choices: Choices): Promise<void> {
  const { role = 'patient', topics = [{ id: 'knee-replacement', stage: 'after-surgery' }], languages = ['en'], about = '' } = choices;
  $<HTMLInputElement>(el, `input[name="role"][value="${role}"]`)!.click();
  for (const topic of topics) {
    $<HTMLInputElement>(el, `input[name="topic"][value="${topic.id}"]`)!.click();
    await el.updateComplete;
    if (topic.stage) {
      const select = $<HTMLSelectElement>(el, `#stage-${topic.id}`)!;
      select.value = topic.stage;
      select.dispatchEvent(new Event('change'));
    }
  }
  for (const box of $$<HTMLInputElement>(el, 'input[name="language"]')) {
    if (box.checked !== languages.includes(box.value)) box.click();
  }
  type($<HTMLTextAreaElement>(el, '#about')!, about);
  if (!$<HTMLInputElement>(el, '#consent')!.checked) $<HTMLInputElement>(el, '#consent')!.click();
  await el.updateComplete;
}

async function join(el: KindredIntroduceMe, choices: Choices = {}): Promise<void> {
  await fill(el, choices);
  button(root(el), 'Join').click();
  await until(() => $(el, '#intro-status'), 'the member view');
}


/** Two members who share a topic and a language, introduced by a round. */
async function introduced(): Promise<[KindredIntroduceMe, KindredIntroduceMe]> {
  const rosa = await member('Rosa');
  const sam = await member('Sam');
  await join(rosa, { about: 'Six weeks after my new knee.' });
  await join(sam, { about: 'Two months on and walking again.' });
  expect((await matchRound(COMMUNITY)).pairs).to.equal(1);
  await until(() => $(rosa, '[part~="proposal"]') && $(sam, '[part~="proposal"]'), 'the proposal, live');
  return [rosa, sam];
}

afterEach(async () => {
  for (const connection of connections.splice(0)) {
    if (connection.identity) await connection.request('introduce:leave', { community: COMMUNITY }).catch(() => {});
    if (connection.config.authUrl) connection.close();
  }
  for (const el of elements.splice(0)) el.remove();
});

describe('kindred-introduce-me', () => {
  beforeEach(() => localStorage.clear());

  it('explains what happens and who sees what, and offers sign-in to a signed-out visitor', async () => {
    const el = await mount();
    await until(() => $(el, '#name') && $(el, '[part~="disclaimer"]'), 'the sign-in form and the disclaimer');
    const explainer = text($(el, '[part~="explainer"]'));
    expect(explainer).to.contain('We suggest one person at a time who shares your topics.');
    expect(explainer).to.contain('They see your display name, your about-me and why we matched you — nothing else.');
    expect(explainer).to.contain('Nothing happens unless you both say yes; if either says no, neither is told.');
    expect(explainer).to.contain('moderators may read a message that is held or reported.');
    expect(text($(el, '#name-hint'))).to.equal('To take part, choose a display name. The person we suggest will see it.');
    expect($(el, '[part~="join-form"]')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('says so when the community is not set up', async () => {
    const el = await mount('', 'no-such-community');
    await until(() => $(el, '[part~="retry"]'), 'the error');
    expect(text($(el, '[part~="error"]'))).to.contain("Introductions aren't set up here yet.");
    await expect(el).to.be.accessible();
  });

  it('checks the opt-in form, then joins: focus on the status, the next round, the profile', async () => {
    const el = await mount();
    await until(() => $(el, '#name'), 'the sign-in form');
    type($<HTMLInputElement>(el, '#name')!, 'Ana');
    button(root(el), 'Continue').click();
    await until(() => focusOn(el, '#join-heading'), 'focus on the form');
    expect(text($(el, '#join-heading'))).to.equal('Join introductions');
    expect($$<HTMLInputElement>(el, 'input[name="topic"]').map((box) => box.closest('label')!.textContent!.trim())).to.deep.equal([
      'Knee replacement',
      'Hip replacement',
      'Shoulder replacement',
    ]);
    expect($$(el, 'input[name="language"]').map((box) => text(box.closest('label')))).to.deep.equal(['English', 'Spanish']);
    // The page is in English: English is ticked to begin with.
    expect($<HTMLInputElement>(el, 'input[name="language"][value="en"]')!.checked).to.equal(true);
    expect(text($(el, '#about-count'))).to.equal(`${INTRO_LIMITS.aboutMax} characters left`);
    await expect(el).to.be.accessible();

    button(root(el), 'Join').click();
    await until(() => text($(el, '#role-error')), 'the problems');
    expect(text($(el, '#role-error'))).to.equal('Choose which describes you.');
    expect(text($(el, '#topics-error'))).to.equal('Choose at least one topic.');
    expect(text($(el, '#consent-error'))).to.equal('Tick the box to say you agree first.');
    expect(focused(el)).to.equal($(el, 'input[name="role"]'));
    expect($(el, '[part~="topics"]')!.getAttribute('aria-describedby')).to.equal('topics-hint topics-error');
    expect($(el, '#consent')!.getAttribute('aria-invalid')).to.equal('true');
    await until(() => announced(el).includes('Check the form: 3 answers need your attention.'), 'the announcement');
    await expect(el).to.be.accessible();

    // Patients and caregivers choose peer or mentor; a ticked topic offers its stage.
    $<HTMLInputElement>(el, 'input[name="role"][value="caregiver"]')!.click();
    await el.updateComplete;
    expect(text($(el, '[part~="wants"] legend'))).to.equal('Who would you like to meet?');
    $<HTMLInputElement>(el, 'input[name="role"][value="mentor"]')!.click();
    await el.updateComplete;
    expect($(el, '[part~="wants"]')).to.equal(null);
    type($<HTMLTextAreaElement>(el, '#about')!, 'x'.repeat(INTRO_LIMITS.aboutMax + 2));
    await el.updateComplete;
    expect(text($(el, '#about-count'))).to.equal('2 characters too many');

    await fill(el, { role: 'patient', about: 'Six weeks after my knee replacement.' });
    expect(text($(el, 'label[for="stage-knee-replacement"]'))).to.equal('Where you are with Knee replacement (optional)');
    await expect(el).to.be.accessible();
    const joined = oneEvent(el, 'kindred-joined');
    button(root(el), 'Join').click();
    const { profile } = (await joined).detail;
    expect(profile).to.deep.include({ role: 'patient', wants: 'peer', languages: ['en'] });
    await until(() => focusOn(el, '#intro-status'), 'focus on the status');
    expect(heading(el)).to.equal("You're in");
    expect(text($(el, '[part~="next-round"]'))).to.match(/^The next round is on \w+day, \w+ \d{1,2}, \d{4} at \d{1,2}:\d\d\s?[AP]M\.$/);
    const summary = text($(el, '[part~="profile"]'));
    expect(summary).to.contain('Knee replacement · Recovering after surgery');
    expect(summary).to.contain('English');
    expect(summary).to.contain('Six weeks after my knee replacement.');
    await until(() => announced(el).includes("You're in."), 'the announcement');
    await expect(el).to.be.accessible();
  });

  it('pauses and resumes, edits the profile, and leaves after a confirmation, returning focus each time', async () => {
    const el = await member('Lee');
    await join(el);
    const paused = oneEvent(el, 'kindred-paused');
    $<HTMLButtonElement>(el, '#pause')!.click();
    expect((await paused).detail.paused).to.equal(true);
    await until(() => heading(el) === 'Introductions are paused', 'paused');
    expect(text($(el, '#pause'))).to.equal('Resume introductions');
    await expect(el).to.be.accessible();
    $<HTMLButtonElement>(el, '#pause')!.click();
    await until(() => heading(el) === "You're in", 'resumed');

    $<HTMLButtonElement>(el, '#edit-profile')!.click();
    await until(() => focusOn(el, '#join-heading'), 'focus on the form');
    expect(text($(el, '#join-heading'))).to.equal('Edit your profile');
    expect($<HTMLInputElement>(el, 'input[name="topic"][value="knee-replacement"]')!.checked).to.equal(true);
    expect($<HTMLSelectElement>(el, '#stage-knee-replacement')!.value).to.equal('after-surgery');
    // Pause and Leave stay one click away while editing.
    expect($(el, '#pause')).not.to.equal(null);
    expect($(el, '#leave')).not.to.equal(null);
    await expect(el).to.be.accessible();
    button(root(el), 'Cancel').click();
    await until(() => focusOn(el, '#edit-profile'), 'focus back on Edit profile');

    $<HTMLButtonElement>(el, '#edit-profile')!.click();
    await until(() => $(el, '#join-heading'), 'the form');
    $<HTMLInputElement>(el, 'input[name="topic"][value="hip-replacement"]')!.click();
    const updated = oneEvent(el, 'kindred-profile-updated');
    button(root(el), 'Save changes').click();
    expect((await updated).detail.profile.topics.map((topic: { id: string }) => topic.id)).to.deep.equal(['knee-replacement', 'hip-replacement']);
    await until(() => focusOn(el, '#intro-status'), 'focus on the status');

    $<HTMLButtonElement>(el, '#leave')!.click();
    await until(() => $(el, '[part~="leave-confirm"]'), 'the confirmation');
    expect(text($(el, '#leave-q'))).to.equal(
      "Leaving deletes your profile, your introductions and your conversations. This can't be undone.",
    );
    expect(text(focused(el))).to.equal('Cancel');
    await expect(el).to.be.accessible();
    button($(el, '[part~="leave-confirm"]')!, 'Cancel').click();
    await until(() => focusOn(el, '#leave'), 'focus back on Leave');
    $<HTMLButtonElement>(el, '#leave')!.click();
    await until(() => $(el, '[part~="leave-confirm"]'), 'the confirmation again');
    const left = oneEvent(el, 'kindred-left');
    button($(el, '[part~="leave-confirm"]')!, 'Yes, leave and delete').click();
    expect((await left).detail.community).to.equal(COMMUNITY);
    await until(() => focusOn(el, '#join-heading'), 'focus on the opt-in form');
    expect(text($(el, '#join-heading'))).to.equal('Join introductions');
    await until(() => announced(el).includes("You've left introductions."), 'the announcement');
  });

  it('warns before an about-me with a phone number is saved, then says the moderator will look at it', async () => {
    const el = await member('Noor');
    await fill(el, { about: 'Call me on 555-123-4567 any evening.' });
    button(root(el), 'Join').click();
    await until(() => $(el, '[part~="identifier-warning"]'), 'the warning');
    expect(text($(el, '[part~="identifier-warning"]'))).to.contain("This looks like a phone number — people you don't know can read this.");
    await expect(el).to.be.accessible();
    button(root(el), 'Edit my about-me').click();
    await until(() => focusOn(el, '#about'), 'focus in the about-me');
    const about = $<HTMLTextAreaElement>(el, '#about')!;
    expect(about.value.slice(about.selectionStart, about.selectionEnd)).to.equal('555-123-4567');
    button(root(el), 'Join').click();
    await until(() => $(el, '[part~="identifier-warning"]'), 'the warning again');
    const joined = oneEvent(el, 'kindred-joined');
    button(root(el), 'Save anyway').click();
    const { notices, profile } = (await joined).detail;
    await until(() => $(el, '#intro-status'), 'the member view');
    // The site's policy decides: held for a moderator, or the number hidden.
    if (profile.aboutStatus === 'held') {
      expect(text($(el, '[part~="held-note"]'))).to.equal("A moderator will look at your about-me before you're included in rounds.");
    } else {
      expect(notices).to.include('masked');
      expect(text($(el, '[part~="masked-note"]'))).to.equal('Some details in your about-me were hidden to protect your privacy.');
    }
    await expect(el).to.be.accessible();
  });

  it('introduces two members after a round: reasons, yes from both, a live conversation, report and block', async function () {
    this.timeout(30_000);
    const [rosa, sam] = await introduced();
    expect(heading(rosa)).to.equal("We'd like to introduce you to Sam");
    expect(text($(rosa, '[part~="other-about"]'))).to.equal('Two months on and walking again.');
    expect($$(rosa, '[part~="reason"]').map(text)).to.include.members([
      'You both: Knee replacement · Recovering after surgery',
      'You both speak English',
    ]);
    expect(text($(rosa, '[part~="lapses"]'))).to.match(/^This suggestion expires on .+\.$/);
    await until(() => announced(rosa).includes("We've suggested someone for you to meet: Sam."), 'the announcement');
    await expect(rosa).to.be.accessible();

    // Rosa says yes: she waits, and Sam's view shows nothing of it.
    const answered = oneEvent(rosa, 'kindred-introduction-answered');
    button(root(rosa), 'Yes, introduce us').click();
    expect((await answered).detail.accepted).to.equal(true);
    await until(() => heading(rosa) === 'You said yes to meeting Sam', 'waiting');
    expect(focused(rosa)).to.equal($(rosa, '#intro-status'));
    expect(text($(rosa, '[part~="waiting"]'))).to.contain('If Sam says yes too, a private conversation opens here.');
    await expect(rosa).to.be.accessible();
    expect(heading(sam)).to.equal("We'd like to introduce you to Rosa");

    button(root(sam), 'Yes, introduce us').click();
    await until(() => $(sam, '[part~="conversation"]'), 'the conversation for Sam');
    await until(() => (focused(sam) as HTMLElement | null)?.matches('[part~="conversation-heading"]'), 'focus on the conversation');
    expect(text(focused(sam))).to.equal('Your conversation with Rosa');
    await until(() => $(rosa, '[part~="conversation"]'), 'the conversation for Rosa, live');
    await until(() => announced(rosa).includes('Sam said yes too. Your private conversation is open.'), 'Rosa told');
    await until(() => $(rosa, '[part~="empty"]'), 'the empty conversation');
    expect(heading(rosa)).to.equal("You're in");

    // A message with contact details is checked before it goes.
    const field = $<HTMLTextAreaElement>(rosa, '[part~="message-input"]')!;
    expect(text($(rosa, `label[for="${field.id}"]`))).to.equal('Write to Sam');
    type(field, 'Text me on 555-123-4567');
    button(root(rosa), 'Send').click();
    await until(() => $(rosa, '[part~="identifier-warning"]'), 'the warning');
    expect(text($(rosa, '[part~="identifier-warning"]'))).to.contain('This seems to include contact or identifying details.');
    await expect(rosa).to.be.accessible();
    button(root(rosa), 'Edit my message').click();
    await until(() => focusOn(rosa, '[part~="message-input"]'), 'focus back in the message');

    // A message, sent with Ctrl+Enter, arrives live and is announced.
    type(field, 'Hello Sam! How is the stiffness?');
    const sent = oneEvent(rosa, 'kindred-message-sent');
    field.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', ctrlKey: true, bubbles: true, composed: true }));
    const { message } = (await sent).detail;
    await until(() => focusOn(rosa, '[part~="message-input"]') && field.value === '', 'the composer, empty and focused');
    await until(() => $(sam, `#m-${message.id}`), 'the message for Sam');
    expect(text($(sam, `#m-${message.id} [part~="body"]`))).to.equal('Hello Sam! How is the stiffness?');
    expect(text($(sam, `#m-${message.id} [part~="author"]`))).to.equal('Rosa');
    expect(text($(rosa, `#m-${message.id} [part~="author"]`))).to.equal('You');
    expect($(sam, '[part~="messages"]')!.getAttribute('role')).to.equal('log');
    await until(() => announced(sam).includes('1 new message from Rosa'), 'the announcement');
    await expect(sam).to.be.accessible();
    await expect(rosa).to.be.accessible();

    // A burst is one announcement.
    const rosaSocket = getConnection({ server, site: 'demo', authUrl: rosa.authUrl });
    for (const body of ['Mine was stiff for weeks.', 'Ice helped.']) {
      await rosaSocket.request('introduction:send', { introductionId: message.introductionId, clientId: crypto.randomUUID().replaceAll('-', ''), body });
    }
    await until(() => announced(sam).includes('2 new messages from Rosa'), 'one announcement for the burst');
    expect(announced(sam)).not.to.contain('1 new message');

    // Sam reports it: the thread's report form, worded for a message.
    button($(sam, `#m-${message.id}`)!, 'Report').click();
    await until(() => focusOn(sam, '[name="report-reason"]'), 'focus in the report form');
    expect(text($(sam, '[part~="report-form"] .title'))).to.equal('Report this message');
    await expect(sam).to.be.accessible();
    $<HTMLInputElement>(sam, '[name="report-reason"][value="other"]')!.click();
    const reported = oneEvent(sam, 'kindred-post-reported');
    button(root(sam), 'Send report').click();
    expect((await reported).detail.postId).to.equal(message.id);
    await until(() => text($(sam, `#m-${message.id} [part~="report-thanks"]`)), 'the thanks');

    // Sam ends it: a confirmation, then read-only history for both.
    button(root(sam), 'End and block').click();
    await until(() => $(sam, '[part~="block-confirm"]'), 'the confirmation');
    expect(text($(sam, '[part~="block-confirm"] span'))).to.equal('End this conversation and never be introduced to Rosa again?');
    expect(text(focused(sam))).to.equal('Cancel');
    await expect(sam).to.be.accessible();
    const blocked = oneEvent(sam, 'kindred-blocked');
    button(root(sam), 'Yes, end and block').click();
    await blocked;
    await until(() => text($(sam, '[part~="ended-note"]')).startsWith('This conversation has ended.'), 'ended for Sam');
    expect(text(focused(sam))).to.equal('Your conversation with Rosa');
    expect(text($(sam, '[part~="ended-note"]'))).to.contain("You won't be introduced to Rosa again.");
    expect($(sam, '[part~="composer"]')).to.equal(null);
    expect($(sam, `#m-${message.id}`)).not.to.equal(null);
    await until(() => $(rosa, '[part~="conversation-ended"]'), 'ended for Rosa, live');
    expect($(rosa, '[part~="composer"]')).to.equal(null);
    await until(() => announced(rosa).includes('Your conversation with Sam has ended.'), 'Rosa told');
    // Who ended it is not said.
    expect(text($(rosa, '[part~="ended-note"]'))).not.to.contain('introduced');
    await expect(rosa).to.be.accessible();
    await expect(sam).to.be.accessible();
  });

  it('declines: focus on the status, and the other learns only that no introduction is pending', async function () {
    this.timeout(30_000);
    const [rosa, sam] = await introduced();
    const answered = oneEvent(sam, 'kindred-introduction-answered');
    button(root(sam), 'No thanks').click();
    expect((await answered).detail.accepted).to.equal(false);
    await until(() => heading(sam) === "You're in", 'no introduction pending for Sam');
    expect(focused(sam)).to.equal($(sam, '#intro-status'));
    await until(() => announced(sam).includes("No thanks sent. Rosa won't be told."), 'the announcement');
    await until(() => heading(rosa) === "You're in", 'no introduction pending for Rosa');
    await until(() => announced(rosa).includes('No introduction is pending.'), 'Rosa told');
    expect(text(root(rosa))).not.to.match(/declin|said no/i);
    await expect(rosa).to.be.accessible();
  });

  it('offers crisis support before an about-me that suggests someone is at risk, once per draft', async () => {
    const el = await member('Jo');
    await fill(el, { about: "Some days I don't want to live anymore." });
    const shown = oneEvent(el, 'kindred-crisis-support-shown');
    button(root(el), 'Join').click();
    expect((await shown).detail.stage).to.equal('draft');
    await until(() => focusOn(el, '[part~="crisis-panel"]'), 'focus on the support panel');
    const panel = $(el, '[part~="crisis-panel"]')!;
    expect(text(panel)).to.contain("You don't have to go through this alone.");
    expect(panel.querySelector('a[href="tel:988"]')).not.to.equal(null);
    expect(text(panel)).to.contain('You can still send it if you want to.');
    await expect(el).to.be.accessible();
    button(panel, 'Close').click();
    await until(() => focusOn(el, '#about'), 'focus back in the about-me');
    expect($(el, '[part~="crisis-panel"]')).to.equal(null);
  });

  it('names languages in the page’s language', async () => {
    const el = await member('Eva');
    el.lang = 'es';
    el.requestUpdate();
    await el.updateComplete;
    expect($$(el, 'input[name="language"]').map((box) => text(box.closest('label')))).to.deep.equal(['inglés', 'español']);
    expect($(el, 'input[name="language"][value="es"] + span')!.getAttribute('lang')).to.equal('es');
  });

  it('reflows at 320 px without horizontal scrolling, with the form open', async () => {
    const el = await member('Kai');
    el.style.width = '320px';
    await el.updateComplete;
    await fill(el, { about: 'A short note.' });
    const base = $(el, '[part~="base"]')!;
    expect(base.scrollWidth).to.be.at.most(base.clientWidth);
  });

  it('keeps its message limit in step with the server', () => {
    expect(MESSAGE_MAX).to.equal(LIMITS.bodyMax);
  });
});
