import { css } from 'lit';
import { tokens } from './styles/shared.styles.ts';

export const styles = [
  tokens,
  css`
    :host {
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--slds-c-card-radius-border, var(--_radius));
    }
    .filters .check {
      flex-direction: row;
      align-items: center;
      gap: 0.25rem;
      min-height: 2rem;
      font-size: inherit;
      color: var(--_text);
    }
    .count {
      margin: 0;
      padding: 0.25rem var(--_pad);
      font-size: 0.75rem;
    }
    .feed {
      height: var(--social-timeline-height, 36rem);
    }
    .post {
      display: flex;
      gap: var(--_gap);
      width: 100%;
      padding: var(--_pad);
      padding-left: calc(var(--_pad) + var(--_indent, 0rem));
      border-bottom: 1px solid var(--_border);
      background: var(--_surface);
      cursor: pointer;
    }
    .d1 {
      --_indent: 1.5rem;
    }
    .d2 {
      --_indent: 3rem;
    }
    .d3 {
      --_indent: 4.5rem;
    }
    .post:hover {
      background: var(--_surface-alt);
    }
    .post[aria-current='true'] {
      box-shadow: inset 4px 0 0 var(--_brand);
      background: var(--slds-g-color-accent-container-1, #eef4ff);
    }
    .post:focus-visible {
      outline-offset: -2px;
    }
    .main {
      min-width: 0;
      flex: 1;
    }
    .head,
    .meta {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem var(--_gap);
      align-items: center;
    }
    .name {
      font-weight: 700;
    }
    .body {
      margin: 0.25rem 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .notice {
      margin: var(--_gap) var(--_pad);
    }
    .older {
      display: block;
      margin: var(--_gap) auto;
    }
  `,
];
