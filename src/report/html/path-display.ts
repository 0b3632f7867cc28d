/**
 * How the HTML report shows a file path. A report is shared (attached to an issue, published
 * by CI), so it must not disclose where files live on the author's machine. The host that
 * knows the working directory gives a display that keeps paths inside it relative
 * (node/display-path.ts); without one, every path is shown by its base name alone.
 */
import { baseName } from '../../scenario/file-name.js';

export type PathDisplay = (file: string) => string;

export const baseNameOnly: PathDisplay = (file) => baseName(file);
