/**
 * The publish stage: a finished DocumentJson in; its article files and then its document.json in the
 * output storage out, each object written whole and document.json last, so that a document is
 * complete when it is there. A document that failed gets only its error.json.
 */
export {
  articleKey,
  articlesPrefix,
  documentKey,
  errorKey,
  KEY_ORDER,
  readDocumentOutput,
  serialiseArticleFile,
  serialiseDocument,
  serialiseError,
  writeDocumentOutput,
  writeErrorOutput,
  type ArticleFileJson,
  type WriteDocumentOptions,
} from './writer.js';
