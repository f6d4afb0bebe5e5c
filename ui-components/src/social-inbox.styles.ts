import { css } from 'lit';
import { tokens } from './styles/shared.styles.ts';

export const styles = [
  tokens,
  css`
    :host {
      position: relative;
      container-type: inline-size;
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--slds-c-card-radius-border, var(--_radius));
    }
    .top {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_gap);
      align-items: center;
      padding: var(--_pad) var(--_pad) 0;
    }
    .title {
      margin: 0;
      font-size: var(--slds-g-font-scale-2, 1rem);
      font-weight: 700;
    }
    .keys {
      margin-left: auto;
    }
    .search {
      flex: 1 1 14rem;
    }
    input[type='search'] {
      font: inherit;
      min-height: 2rem;
      padding: 0 var(--_gap);
      color: var(--_text);
      background: var(--_surface);
      border: 1px solid var(--slds-c-input-color-border, #747474);
      border-radius: var(--_radius);
    }
    .split {
      display: grid;
    }
    @container (min-width: 56rem) {
      .split {
        grid-template-columns: minmax(0, 3fr) minmax(20rem, 2fr);
      }
      .pane {
        border-left: 1px solid var(--_border);
        height: var(--social-inbox-height, 36rem);
      }
    }
    .col {
      min-width: 0;
    }
    .feed {
      height: var(--social-inbox-height, 36rem);
    }
    .row {
      display: flex;
      gap: var(--_gap);
      width: 100%;
      padding: var(--_gap) var(--_pad);
      border-bottom: 1px solid var(--_border);
      background: var(--_surface);
      cursor: pointer;
    }
    .row:hover {
      background: var(--_surface-alt);
    }
    .row.over {
      box-shadow: inset 3px 0 0 var(--_error);
    }
    .row[aria-current='true'] {
      box-shadow: inset 4px 0 0 var(--_brand);
      background: var(--slds-g-color-accent-container-1, #eef4ff);
    }
    .row:focus-visible {
      outline-offset: -2px;
    }
    .pending {
      opacity: 0.6;
    }
    .pick {
      flex: none;
      width: 1rem;
      height: 1rem;
      margin: 0.5rem 0 0;
    }
    .main {
      min-width: 0;
      flex: 1;
    }
    .head,
    .meta,
    .end,
    .rec,
    .actions,
    .bulk {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem var(--_gap);
      align-items: center;
    }
    .end {
      margin-left: auto;
    }
    .name {
      margin: 0;
      font-size: inherit;
      font-weight: 700;
    }
    h3.name {
      font-size: var(--slds-g-font-scale-1, 0.875rem);
    }
    .Urgent {
      background: var(--_error);
      color: #fff;
    }
    .High {
      background: var(--_warning-bg);
      color: var(--_warning);
    }
    .Low {
      color: var(--_text-weak);
    }
    .text {
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 3;
      overflow: hidden;
      margin: 0.125rem 0 0.25rem;
      white-space: pre-line;
      overflow-wrap: anywhere;
    }
    .owner,
    .rec {
      font-size: 0.75rem;
    }
    .owner {
      color: var(--_text-weak);
    }
    .owner::before {
      content: '·';
      margin-right: var(--_gap);
    }
    .recrow {
      margin-top: 0.25rem;
    }
    .unknown .who {
      font-style: italic;
      color: var(--_text-weak);
    }
    button.small {
      min-height: 1.5rem;
      padding: 0 var(--_gap);
      font-size: 0.75rem;
    }
    .bulk {
      padding: var(--_gap) var(--_pad);
      background: var(--slds-g-color-accent-container-1, #eef4ff);
      border-bottom: 1px solid var(--_border);
    }
    .pane {
      min-width: 0;
      padding: var(--_pad);
      overflow: auto;
    }
    .pane.empty {
      display: grid;
      place-items: center;
      text-align: center;
    }
    .pane .meta {
      margin: var(--_gap) 0;
    }
    h4 {
      margin: var(--_pad) 0 0.25rem;
      font-size: 0.75rem;
      font-weight: 700;
      text-transform: uppercase;
      letter-spacing: 0.0625rem;
      color: var(--_text-weak);
    }
    .thread {
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .tp {
      padding: var(--_gap);
      margin-bottom: 0.25rem;
      border-left: 3px solid var(--_border);
    }
    .tp.this {
      border-left-color: var(--_brand);
      background: var(--slds-g-color-accent-container-1, #eef4ff);
    }
    .tp.ours {
      margin-left: 1.5rem;
      background: var(--_surface-alt);
    }
    .tp time {
      margin-left: var(--_gap);
    }
    .body {
      margin: 0.25rem 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    .recblock {
      margin: 0;
    }
    .why {
      margin: 0.25rem 0 0;
      padding-left: 1rem;
      font-size: 0.75rem;
    }
    .actions {
      margin: var(--_pad) 0 var(--_gap);
    }
    .menu {
      position: absolute;
      z-index: 10;
      min-width: 15rem;
      max-height: 18rem;
      overflow: auto;
      padding: 0.25rem 0;
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      box-shadow: 0 2px 3px 0 rgb(0 0 0 / 16%);
    }
    .mh {
      margin: 0;
      padding: 0.25rem var(--_pad);
      font-size: 0.75rem;
      color: var(--_text-weak);
    }
    .menu button {
      display: flex;
      gap: var(--_gap);
      align-items: center;
      width: 100%;
      border: 0;
      border-radius: 0;
      text-align: left;
      color: var(--_text);
      background: none;
    }
    .menu button:hover,
    .menu button:focus {
      outline: 0;
      background: var(--_surface-alt);
      box-shadow: inset 3px 0 0 var(--_brand);
    }
    kbd {
      display: inline-block;
      min-width: 1.25rem;
      padding: 0 0.25rem;
      font:
        0.75rem/1.25rem ui-monospace,
        monospace;
      text-align: center;
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
      background: var(--_surface-alt);
      color: var(--_text);
    }
    .help {
      max-width: 32rem;
      padding: var(--_pad) calc(var(--_pad) * 2);
      border: 0;
      border-radius: var(--_radius);
      color: var(--_text);
    }
    .help::backdrop {
      background: rgb(8 7 7 / 50%);
    }
    .help h2 {
      margin: 0 0 var(--_gap);
      font-size: var(--slds-g-font-scale-2, 1rem);
    }
    .help th {
      padding: 0.125rem var(--_pad) 0.125rem 0;
      text-align: left;
      white-space: nowrap;
    }
    .help form {
      text-align: right;
    }
    .notice {
      margin: var(--_gap) var(--_pad);
    }
    .pane .notice {
      margin: var(--_gap) 0;
    }
    .more {
      display: block;
      margin: var(--_gap) auto;
    }
  `,
];
