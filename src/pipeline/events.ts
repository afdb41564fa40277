/**
 * What the pipeline tells whoever watches it (a progress display, a bench, a test), as events. The
 * pipeline only calls these; it knows nothing of terminals or log formats (src/cli/progress.ts
 * implements them for the command line).
 */
export interface PageFailureEvent {
  readonly stage: string;
  readonly reason: string;
  /** Fault in src/errors.ts. */
  readonly fault: string;
}

export interface PipelineEvents {
  /** A document was opened and has `pages` pages. */
  documentStarted(documentId: string, pages: number): void;
  /** A page left the queue and is being processed. */
  pageStarted(documentId: string, page: number): void;
  /** A page is finished (`ms` 0: taken from a checkpoint). */
  pageDone(documentId: string, page: number, ms: number): void;
  /** A page failed; its document fails with it. */
  pageFailed(documentId: string, page: number, failure: PageFailureEvent): void;
  documentDone(documentId: string, result: { readonly articles: number }): void;
  /** A document failed; it may not have been started (failed to open). */
  documentFailed(documentId: string, reason: string, stage: string): void;
}

export const silentEvents: PipelineEvents = {
  documentStarted: () => {},
  pageStarted: () => {},
  pageDone: () => {},
  pageFailed: () => {},
  documentDone: () => {},
  documentFailed: () => {},
};
