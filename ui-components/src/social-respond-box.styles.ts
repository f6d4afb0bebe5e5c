import { css } from 'lit';
import { tokens } from './styles/shared.styles.ts';

export const styles = [
  tokens,
  css`
    form,
    .empty {
      display: flex;
      flex-direction: column;
      gap: var(--_gap);
      margin: 0;
      padding: var(--_pad);
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--_radius);
    }
    .to {
      margin: 0;
    }
    .quote {
      margin: 0;
      padding-left: var(--_gap);
      border-left: 3px solid var(--_border);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }
    label {
      font-weight: 600;
    }
    textarea {
      width: 100%;
      min-height: 5rem;
      padding: var(--_gap);
      resize: vertical;
    }
    textarea[aria-invalid='true'] {
      border-color: var(--_error);
      box-shadow: inset 0 0 0 1px var(--_error);
    }
    .bar {
      display: flex;
      flex-wrap: wrap;
      gap: var(--_gap);
      align-items: center;
      justify-content: space-between;
    }
    .saved {
      display: flex;
      gap: var(--_gap);
      align-items: center;
    }
    .over,
    .err {
      color: var(--_error);
      font-weight: 600;
    }
    [part~='send'] {
      margin-left: auto;
    }
  `,
];
