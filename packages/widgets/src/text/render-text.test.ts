/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { renderText } from './render-text.js';

function rendered(text: string): HTMLElement {
  const container = document.createElement('div');
  render(renderText(text), container);
  return container;
}

describe('renderText', () => {
  it('makes paragraphs from blank lines and line breaks from single newlines', () => {
    const el = rendered('First line\nsecond line\n\n \nNext paragraph');
    const paragraphs = el.querySelectorAll('p');
    expect(paragraphs).to.have.length(2);
    expect(paragraphs[0]!.querySelectorAll('br')).to.have.length(1);
    expect(paragraphs[0]!.textContent).to.equal('First linesecond line');
    expect(paragraphs[1]!.textContent).to.equal('Next paragraph');
  });

  it('renders markup as text, never as elements', () => {
    const el = rendered('<img src=x onerror="alert(1)"> <script>alert(2)</script> <b>bold</b>');
    expect(el.querySelector('img, script, b')).to.equal(null);
    expect(el.textContent).to.contain('<img src=x onerror="alert(1)">');
  });

  it('links http(s) addresses with rel nofollow ugc noopener noreferrer, leaving sentence punctuation out', () => {
    const el = rendered('See https://example.org/knee?x=1&y=2. Or (http://example.com/a) and https://en.wikipedia.org/wiki/Knee_(anatomy)!');
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).to.deep.equal([
      'https://example.org/knee?x=1&y=2',
      'http://example.com/a',
      'https://en.wikipedia.org/wiki/Knee_(anatomy)',
    ]);
    for (const a of links) {
      expect(a.getAttribute('rel')).to.equal('nofollow ugc noopener noreferrer');
      expect(a.hasAttribute('target')).to.equal(false);
    }
    expect(el.textContent).to.equal(
      'See https://example.org/knee?x=1&y=2. Or (http://example.com/a) and https://en.wikipedia.org/wiki/Knee_(anatomy)!',
    );
  });

  it('does not link other schemes', () => {
    const el = rendered('javascript:alert(1) data:text/html,hi ftp://example.org');
    expect(el.querySelector('a')).to.equal(null);
  });
});
