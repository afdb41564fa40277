/**
 * The order a recogniser pool serves requests in: pages in the order they first asked, and within a
 * page the larger images first. When a page's regions are all that is left (the end of a run), its
 * long columns are already running and the workers finish together instead of one waiting on a
 * column that came last. p-queue runs higher priorities first.
 */
export class PagePriority {
  private readonly pageOrder = new Map<string, number>();
  private pagesSeen = 0;

  of(pageKey: string | undefined, size: number): number {
    const key = pageKey ?? '';
    let order = this.pageOrder.get(key);
    if (order === undefined) {
      order = this.pagesSeen++;
      this.pageOrder.set(key, order);
      // Only pages still in flight matter; forget the oldest so a long run does not grow the map.
      if (this.pageOrder.size > 64) this.pageOrder.delete(this.pageOrder.keys().next().value as string);
    }
    return -order * 2 ** 32 + Math.min(2 ** 31, size);
  }
}
