/** URLs with any scheme: an upstream's address (and any credentials in it) is the operator's business. */
const url = /\b[a-z][a-z\d+.-]*:\/\/[^\s'"<>`)\]]+/gi;
/** Absolute file paths of two or more segments, as Node and onnxruntime write them in errors. */
const absolutePath =
  /(^|[\s'"`(=:,[])((?:[A-Za-z]:)?[\\/](?:[^\s'"`\\/():,]+[\\/])+)([^\s'"`\\/():,]*)/g;

/**
 * Error text shown to callers (API errors, `/health`, `models.list`) without the server's file
 * paths or upstream URLs: a path keeps its file name and two folders above it, behind `…/`
 * (enough to name the model); a URL becomes `<url>`.
 */
export function redactLocations(text: string): string {
  return text
    .replace(url, '<url>')
    .replace(absolutePath, (_match, before: string, folders: string, name: string) => {
      // The last two folders name the model (`<org>/<name>` under MODELS_DIR): worth keeping.
      const kept = folders.split(/[\\/]/).filter(Boolean).slice(-2);
      return `${before}…/${[...kept, name].join('/')}`;
    });
}
