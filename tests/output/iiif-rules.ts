/**
 * The IIIF Presentation 3 rules a test can check without a validator service: @context, ids (unique
 * HTTP(S) URIs), types, language maps, canvases with positive integer sizes, painting bodies the
 * canvas's size, annotation targets on their own canvas and (with #xywh) inside it. Returns one line
 * per broken rule.
 */
const isUri = (v: unknown): boolean => typeof v === 'string' && /^https?:\/\/[^\s]+$/u.test(v);
const isLanguageMap = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((a) => Array.isArray(a) && a.every((s) => typeof s === 'string'));

export function iiifProblems(manifest: unknown): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const m = manifest as Record<string, unknown>;
  const check = (ok: boolean, message: string): void => void (ok || problems.push(message));
  const checkId = (obj: Record<string, unknown>, at: string): void => {
    check(isUri(obj['id']), `${at}: id must be an http(s) URI`);
    if (typeof obj['id'] === 'string') {
      check(!ids.has(obj['id']), `${at}: id ${obj['id']} is not unique`);
      ids.add(obj['id']);
    }
  };
  check(m['@context'] === 'http://iiif.io/api/presentation/3/context.json', 'manifest: @context must be the Presentation 3 context');
  check(m['type'] === 'Manifest', 'manifest: type must be Manifest');
  checkId(m, 'manifest');
  check(isLanguageMap(m['label']), 'manifest: label must be a language map');
  const canvases = m['items'];
  check(Array.isArray(canvases) && canvases.length > 0, 'manifest: items must list at least one Canvas');
  for (const [ci, canvas] of (Array.isArray(canvases) ? canvases : []).entries()) {
    const c = canvas as Record<string, unknown>;
    const at = `items/${ci}`;
    check(c['type'] === 'Canvas', `${at}: type must be Canvas`);
    checkId(c, at);
    check(isLanguageMap(c['label'] ?? {}), `${at}: label must be a language map`);
    const width = c['width'];
    const height = c['height'];
    check(Number.isInteger(width) && (width as number) > 0 && Number.isInteger(height) && (height as number) > 0, `${at}: width and height must be positive integers`);
    for (const key of ['items', 'annotations'] as const) {
      const pages = c[key];
      check(Array.isArray(pages), `${at}: ${key} must be a list of AnnotationPage`);
      for (const [pi, page] of (Array.isArray(pages) ? pages : []).entries()) {
        const p = page as Record<string, unknown>;
        const pat = `${at}/${key}/${pi}`;
        check(p['type'] === 'AnnotationPage', `${pat}: type must be AnnotationPage`);
        checkId(p, pat);
        for (const [ai, annotation] of (Array.isArray(p['items']) ? (p['items'] as unknown[]) : []).entries()) {
          const a = annotation as Record<string, unknown>;
          const aat = `${pat}/items/${ai}`;
          check(a['type'] === 'Annotation', `${aat}: type must be Annotation`);
          checkId(a, aat);
          const body = a['body'] as Record<string, unknown> | undefined;
          check(body !== undefined && typeof body['type'] === 'string', `${aat}: body must have a type`);
          if (key === 'items') {
            check(a['motivation'] === 'painting', `${aat}: a canvas's items paint it (motivation painting)`);
            check(isUri(body?.['id']) && body?.['width'] === width && body?.['height'] === height, `${aat}: the painted image needs an id and the canvas's size`);
          } else {
            check(typeof a['motivation'] === 'string' && a['motivation'] !== 'painting', `${aat}: annotations must not paint`);
          }
          const target = String(a['target'] ?? '');
          const [canvasId, fragment] = target.split('#');
          check(canvasId === c['id'], `${aat}: target ${target} is not this canvas`);
          if (fragment !== undefined) {
            const xywh = /^xywh=(\d+),(\d+),(\d+),(\d+)$/u.exec(fragment);
            check(xywh !== null, `${aat}: target fragment must be xywh=x,y,w,h`);
            if (xywh) {
              const [x, y, w, h] = xywh.slice(1).map(Number) as [number, number, number, number];
              check(w > 0 && h > 0 && x + w <= (width as number) && y + h <= (height as number), `${aat}: target ${fragment} is not inside the ${String(width)}x${String(height)} canvas`);
            }
          }
        }
      }
    }
  }
  return problems;
}
