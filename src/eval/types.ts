/** What evaluation compares: articles of pages, from ground truth or from a prediction. */
export interface EvalArticle {
  readonly id: string;
  readonly kind: string;
  readonly headline?: string;
  readonly paragraphs: readonly string[];
  readonly captions: readonly string[];
}

export interface EvalPage {
  readonly page: number;
  readonly articles: readonly EvalArticle[];
}
