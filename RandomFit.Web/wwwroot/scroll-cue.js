// Marks a frame whose table scrolls sideways with data-more-start and data-more-end ("true" or "false"), which record
// whether columns lie past the left or right edge, so the stylesheet can fade that edge. MudBlazor's tables scroll in
// their .mud-table-container, and any other content scrolls in the frame itself.
export function watchScrollCue(frame) {
    if (!frame || frame.dataset.scrollCueWatched) {
        return;
    }

    frame.dataset.scrollCueWatched = 'true';
    const scroller = frame.querySelector('.mud-table-container') ?? frame;
    const update = () => {
        // A pixel of slack keeps a fractional scrollLeft at either end from reading as more columns.
        const hidden = scroller.scrollWidth - scroller.clientWidth;
        frame.dataset.moreStart = scroller.scrollLeft > 1 ? 'true' : 'false';
        frame.dataset.moreEnd = scroller.scrollLeft < hidden - 1 ? 'true' : 'false';
    };
    scroller.addEventListener('scroll', update, { passive: true });
    // New rows or a resized window change what fits, without a scroll event.
    const resize = new ResizeObserver(update);
    resize.observe(scroller);
    for (const child of scroller.children) {
        resize.observe(child);
    }

    update();
}
