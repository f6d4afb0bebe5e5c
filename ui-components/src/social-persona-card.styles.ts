import { css } from 'lit';
import { tokens } from './styles/shared.styles.ts';

export const styles = [
  tokens,
  css`
    section {
      padding: var(--_pad);
      background: var(--_surface);
      border: 1px solid var(--_border);
      border-radius: var(--slds-c-card-radius-border, var(--_radius));
    }
    h2,
    h3 {
      margin: 0 0 var(--_gap);
      font-size: var(--slds-g-font-scale-1, 1rem);
    }
    h3 {
      margin-top: var(--_pad);
      font-size: inherit;
    }
    .scores {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(7rem, 1fr));
      gap: var(--_gap);
      margin-bottom: var(--_pad);
    }
    .score {
      display: flex;
      flex-direction: column;
      padding: var(--_gap);
      border-radius: var(--_radius);
      background: var(--_surface-alt);
    }
    .label {
      font-size: 0.75rem;
    }
    .value {
      font-size: 1.125rem;
      font-weight: 700;
    }
    .basis {
      font-size: 0.75rem;
    }
    svg {
      width: 100%;
      height: 1.5rem;
      overflow: visible;
    }
    polyline {
      fill: none;
      stroke: var(--_brand);
      stroke-width: 2;
      vector-effect: non-scaling-stroke;
    }
    .zero {
      stroke: var(--_border);
      vector-effect: non-scaling-stroke;
    }
    .list {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .list > li {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem var(--_gap);
      align-items: center;
      padding: var(--_gap) 0;
      border-top: 1px solid var(--_border);
    }
    .suggestion {
      flex-direction: column;
      align-items: stretch !important;
    }
    .identity {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem var(--_gap);
      align-items: center;
    }
    .who {
      display: inline-flex;
      flex-wrap: wrap;
      gap: 0.25rem;
      align-items: center;
      font-weight: 600;
    }
    .name {
      font-weight: 400;
    }
    .why {
      margin: 0;
    }
    .actions {
      display: flex;
      gap: var(--_gap);
    }
    code {
      font-size: 0.75rem;
    }
  `,
];
