import { css } from 'lit';

/**
 * Design tokens of all three components. Each `--social-*` property falls back to the SLDS styling hook
 * (`--slds-g-*` global, `--slds-c-*` component) and then to the SLDS light-theme value, so inside
 * Lightning the components follow the org's theme and elsewhere they still look like SLDS.
 * Colour pairs are chosen for WCAG AA contrast (≥ 4.5:1) on their backgrounds.
 */
export const tokens = css`
  :host {
    --_font: var(
      --social-font-family,
      var(--slds-g-font-family, -apple-system, 'Segoe UI', Roboto, sans-serif)
    );
    --_text: var(--social-color-text, var(--slds-g-color-on-surface-3, #181818));
    --_text-weak: var(--social-color-text-weak, var(--slds-g-color-on-surface-2, #5c5c5c));
    --_surface: var(--social-color-surface, var(--slds-g-color-surface-container-1, #ffffff));
    --_surface-alt: var(--social-color-surface-alt, var(--slds-g-color-surface-container-2, #f3f3f3));
    --_border: var(--social-color-border, var(--slds-g-color-border-1, #c9c9c9));
    --_brand: var(--social-color-brand, var(--slds-g-color-accent-2, #0176d3));
    --_link: var(--social-color-link, var(--slds-g-link-color, #0b5cab));
    --_error: var(--social-color-error, var(--slds-g-color-error-1, #ba0517));
    --_error-bg: var(--slds-g-color-error-container-1, #fef1ee);
    --_success: var(--social-color-success, var(--slds-g-color-success-1, #22683e));
    --_success-bg: var(--slds-g-color-success-container-1, #ebf7e6);
    --_warning: var(--slds-g-color-warning-1, #8c4b02);
    --_warning-bg: var(--slds-g-color-warning-container-1, #fef1cd);
    --_radius: var(--slds-g-radius-border-2, 0.25rem);
    --_gap: var(--slds-g-spacing-2, 0.5rem);
    --_pad: var(--slds-g-spacing-3, 0.75rem);
    --_focus: 0 0 3px var(--slds-g-color-brand-base-50, #0176d3);
    display: block;
    font-family: var(--_font);
    font-size: var(--slds-g-font-scale-neg-1, 0.8125rem);
    line-height: 1.5;
    color: var(--_text);
    box-sizing: border-box;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  .vh {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  :focus-visible {
    outline: 2px solid var(--_brand);
    outline-offset: 1px;
  }
  a {
    color: var(--_link);
  }
  button {
    font: inherit;
    cursor: pointer;
    padding: 0 var(--_pad);
    min-height: 2rem;
    border-radius: var(--_radius);
    border: 1px solid var(--slds-c-button-neutral-color-border, var(--_border));
    background: var(--slds-c-button-neutral-color-background, var(--_surface));
    color: var(--slds-c-button-text-color, var(--_link));
  }
  button.brand {
    background: var(--slds-c-button-brand-color-background, #0176d3);
    border-color: var(--slds-c-button-brand-color-border, #0176d3);
    color: var(--slds-c-button-brand-text-color, #ffffff);
  }
  button:disabled {
    cursor: default;
    background: var(--_surface-alt);
    border-color: var(--_border);
    color: var(--_text-weak);
  }
  select,
  textarea {
    font: inherit;
    color: var(--_text);
    background: var(--_surface);
    border: 1px solid var(--slds-c-input-color-border, #747474);
    border-radius: var(--_radius);
  }
  select {
    min-height: 2rem;
    padding: 0 var(--_gap);
  }
  .chip {
    display: inline-flex;
    align-items: center;
    padding: 0 var(--_gap);
    border-radius: 1rem;
    font-size: 0.75rem;
    font-weight: 600;
    white-space: nowrap;
    background: var(--slds-c-badge-color-background, var(--_surface-alt));
    color: var(--slds-c-badge-text-color, var(--_text));
  }
  .ok {
    background: var(--_success-bg);
    color: var(--_success);
  }
  .bad {
    background: var(--_error-bg);
    color: var(--_error);
  }
  .warn {
    background: var(--_warning-bg);
    color: var(--_warning);
  }
  .notice {
    margin: 0;
    padding: var(--_gap) var(--_pad);
    border-radius: var(--_radius);
    border-left: 4px solid currentColor;
  }
  .muted {
    color: var(--_text-weak);
  }
  /* The list components' filter bar, states and post text. */
  .filters {
    display: flex;
    flex-wrap: wrap;
    gap: var(--_gap) var(--_pad);
    align-items: end;
    padding: var(--_pad);
    border-bottom: 1px solid var(--_border);
  }
  .filters label {
    display: flex;
    flex-direction: column;
    font-size: 0.75rem;
    color: var(--_text-weak);
  }
  .hi {
    background: var(--slds-g-color-accent-container-1, #eef4ff);
    color: var(--_link);
  }
  .mention,
  .hashtag {
    color: var(--_link);
  }
  .state {
    padding: calc(var(--_pad) * 2);
    text-align: center;
  }
  .state p {
    margin: 0 0 var(--_gap);
  }
  .avatar {
    flex: none;
    display: grid;
    place-items: center;
    width: 2rem;
    height: 2rem;
    border-radius: 50%;
    color: #fff;
    font-size: 0.75rem;
    font-weight: 700;
  }
  .c0 {
    background: #0b5cab;
  }
  .c1 {
    background: #22683e;
  }
  .c2 {
    background: #8c4b02;
  }
  .c3 {
    background: #ba0517;
  }
  .c4 {
    background: #5a1ba9;
  }
  .c5 {
    background: #03234d;
  }
`;
