/**
 * Mastodon sends post bodies and bios as sanitized HTML (`<p>`, `<br>`, links, spans). Downstream
 * (analysis, the CRM's Body__c) wants plain text: paragraphs and line breaks kept, no tags, entities
 * decoded, mentions and hashtags as people read them (`@ann`, `#help`), and ordinary links as their
 * full address (Mastodon hides parts of it in `<span class="invisible">`).
 */
import { compile } from 'html-to-text';
import type { DomNode, FormatCallback } from 'html-to-text';

type BlockTextBuilder = Parameters<FormatCallback>[2];

export interface HtmlText {
  text: string;
  /** Addresses of ordinary links (not mentions, not hashtags), in order, without repeats. */
  links: string[];
}

interface LinkCollector {
  links: string[];
}

const attribute = (node: DomNode, name: string): string => {
  const value: unknown = (node.attribs as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

const isMentionOrTag = (node: DomNode): boolean => {
  const classes = attribute(node, 'class').split(/\s+/);
  // `mention` covers both `u-url mention` (people) and `mention hashtag` (tags); rel=tag is older markup.
  return classes.includes('mention') || classes.includes('hashtag') || attribute(node, 'rel') === 'tag';
};

const mastodonLink: FormatCallback = (elem, walk, builder) => {
  const href = attribute(elem, 'href');
  if (isMentionOrTag(elem) || !/^https?:\/\//i.test(href)) {
    walk(elem.children, builder);
    return;
  }
  // The library hands formatters the metadata given to the converter; its typings do not know that yet.
  const collector = (builder as BlockTextBuilder & { metadata?: LinkCollector }).metadata;
  if (collector && !collector.links.includes(href)) collector.links.push(href);
  builder.addInline(href);
};

// Compiled once: building the selector tree is the expensive part of html-to-text.
const convert = compile({
  wordwrap: false,
  formatters: { mastodonLink },
  selectors: [
    { selector: 'a', format: 'mastodonLink' },
    // Custom emoji come as `:shortcode:` text; images (never in sanitized content, but in foreign HTML) carry nothing to read.
    { selector: 'img', format: 'skip' },
    { selector: 'p', options: { leadingLineBreaks: 2, trailingLineBreaks: 2 } },
  ],
}) as (html: string, metadata?: LinkCollector) => string;

/** Plain text of a Mastodon HTML fragment, plus the ordinary links in it. Never returns markup. */
export function htmlToText(html: string): HtmlText {
  const collector: LinkCollector = { links: [] };
  const text = convert(html, collector)
    .replace(/[ \t]+\n/g, '\n')
    .trim();
  return { text, links: collector.links };
}
