import { FlowLayout } from '@lit-labs/virtualizer/layouts/flow.js';

/**
 * The virtualizer's flow layout, except that a new list first renders only the rows in view (and one
 * estimated row more, for rows a little shorter than estimated), and adds the rows above and below them
 * (the virtualizer's usual 1,000 px margin) in the frame after they were measured. The first screenful
 * has a third of the rows to build, lay out and measure, so it is on screen sooner; and if the measured
 * rows fill the view, the layout keeps them as they are for that frame instead of rendering again to
 * drop or add rows out of view. `host` (layout config) is the element: the margin waits while it is out
 * of the document.
 */
export class FirstScreenLayout extends FlowLayout {
  host?: Element;
  private _margin = this._overhang;
  protected override _overhang = this._itemSize.height;

  override updateItemSizes(sizes: Parameters<FlowLayout['updateItemSizes']>[0]): void {
    const margin = this._margin;
    if (margin) {
      this._margin = 0;
      // The first measurement covers every row rendered, from the top: keep them while they fill the view.
      let bottom = 0;
      for (const k in sizes) bottom += sizes[k]!.height;
      this._overhang = this._first === 0 ? Math.max(0, bottom - this._viewDim1 - 0.5) : 0;
      requestAnimationFrame(() => {
        if (this.host?.isConnected === false) {
          this._margin = margin; // again at the next measurement, when the list is back
        } else {
          this._overhang = margin;
          this._triggerReflow();
        }
      });
    }
    super.updateItemSizes(sizes);
  }
}
