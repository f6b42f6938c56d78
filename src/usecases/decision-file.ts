import { extname } from 'node:path';
import { DubanError } from '../core/errors.js';
import { MAX_DECISION_BYTES } from '../core/policy/parse.js';

/** The kinds of file a decision is read from (`duban import`, `/import`), named in every refusal. */
export const ACCEPTED_KINDS = '.txt (UTF-8 or GB18030) or .docx';
const TEXT_EXTENSIONS = new Set(['.txt', '.text', '']);

export interface DecisionFile {
  text: string;
  sourceName: string;
  /** How the file was read: UTF-8 or GB18030 text, or the text of a Word document. */
  format: 'utf-8' | 'gb18030' | 'docx';
}

/** True for the file names `readDecisionBytes` reads: a chat upload is checked before it is fetched. */
export function isDecisionFileName(fileName: string): boolean {
  const extension = extname(fileName).toLowerCase();
  return extension === '.docx' || TEXT_EXTENSIONS.has(extension);
}

/**
 * Reads a decision from its bytes, refusing what is not a decision before the parser sees it: .txt in
 * UTF-8 (GB18030, as Chinese Windows saves it, is detected and converted) or .docx (paragraphs and table
 * cells, one per line, through mammoth). `fileName` decides the kind and names the file in refusals.
 */
export async function readDecisionBytes(input: { data: Buffer; fileName: string }): Promise<DecisionFile> {
  const { data, fileName } = input;
  if (data.length > MAX_DECISION_BYTES) {
    throw new DubanError(
      'input.too_large',
      `${fileName} is ${(data.length / 1_000_000).toFixed(1)} MB; a decision text is at most ${MAX_DECISION_BYTES / 1_000_000} MB.`,
      { hint: 'Pass the decision text itself, not an archive or a scan.', details: { name: fileName } },
    );
  }
  const extension = extname(fileName).toLowerCase();
  const result =
    extension === '.docx'
      ? { text: await docxText(data, fileName), format: 'docx' as const }
      : decodeText(data, fileName, extension);
  if (result.text.trim() === '') {
    throw new DubanError('input.empty', `${fileName} is empty.`, {
      hint: 'Pass a file holding the decision text.',
      details: { name: fileName },
    });
  }
  return { ...result, sourceName: fileName };
}

function decodeText(
  buffer: Buffer,
  path: string,
  extension: string,
): { text: string; format: 'utf-8' | 'gb18030' } {
  if (buffer.includes(0)) {
    throw new DubanError('input.binary', `${path} is not a text file: it contains binary data.`, {
      details: { name: path },
      hint: `Give the decision as ${ACCEPTED_KINDS}; copy the text out of a PDF or a web page into a .txt file.`,
    });
  }
  if (!TEXT_EXTENSIONS.has(extension)) {
    throw new DubanError('input.unsupported_kind', `${path}: ${extension} files are not read.`, {
      details: { name: path },
      hint: `Give the decision as ${ACCEPTED_KINDS}; save a .doc or .wps file as .docx first.`,
    });
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer), format: 'utf-8' };
  } catch {
    // Not UTF-8: Chinese Windows editors save GBK/GB18030, which decodes every valid byte pair.
  }
  try {
    return { text: new TextDecoder('gb18030', { fatal: true }).decode(buffer), format: 'gb18030' };
  } catch (cause) {
    throw new DubanError('input.not_text', `${path} is neither UTF-8 nor GB18030 text.`, {
      details: { name: path },
      hint: 'Re-save the file as UTF-8 text (in Notepad: Save as → Encoding: UTF-8).',
      cause,
    });
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

/** The text of a .docx: each paragraph and table cell on a line of its own, as mammoth gives it. */
async function docxText(buffer: Buffer, path: string): Promise<string> {
  const refuse = (cause?: unknown) =>
    new DubanError('input.bad_docx', `${path} is not a readable .docx (Word) document.`, {
      details: { name: path },
      hint: `Open it in Word or WPS and save it again as .docx, or give the decision as ${ACCEPTED_KINDS}.`,
      ...(cause === undefined ? {} : { cause }),
    });
  if (!buffer.subarray(0, 4).equals(ZIP_MAGIC)) throw refuse();
  // Loaded on demand: only a .docx import needs it.
  const mammoth = await import('mammoth');
  try {
    const { value } = await mammoth.extractRawText({ buffer });
    return value;
  } catch (cause) {
    throw refuse(cause);
  }
}
