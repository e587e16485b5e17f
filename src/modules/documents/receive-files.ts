// Reads a multipart form as a stream: every file goes through the checks and into the
// document store as it arrives (never whole in memory); text fields are collected. If anything
// fails (a refused file, a cut connection), every file already stored by this request is
// deleted before the error is passed on, so nothing is left behind.
import type {} from '@fastify/multipart';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../shared/errors';
import { DocumentInspector } from './inspect';
import { UploadRefusal } from './refusal';
import { extensionFor, type DocumentMime } from './sniff';
import type { DocumentStorage } from './storage';

export const MAX_FILES_PER_REQUEST = 10;
const MAX_FIELD_BYTES = 64 * 1024;

export interface ReceivedFile {
  key: string;
  filename: string;
  mime: DocumentMime;
  size: number;
  sha256: string;
}

export interface ReceiveOptions {
  maxFileBytes: number;
  /** Bytes the dossier can still take. */
  remainingBytes: number;
  /** Formats accepted for this pièce (pdf, jpeg, png); all when absent. */
  formats?: string[];
  fileField: string;
  /** Filled with the text fields as they arrive (still readable when a file is refused). */
  fields?: Record<string, string>;
}

const FORMAT_OF: Record<DocumentMime, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpeg', 'image/png': 'png' };

/** A file name safe to show and to send back in Content-Disposition, ending with the real type's extension. */
export function cleanFilename(name: string, mime: DocumentMime): string {
  const base = name
    .normalize('NFC')
    .replace(/^.*[\\/]/, '')
    // eslint-disable-next-line no-control-regex -- control characters are exactly what we remove
    .replace(/[\u0000-\u001f\u007f"<>|:*?\\/]/g, '')
    .trim()
    .replace(/\.[A-Za-z0-9]{1,5}$/, '')
    .slice(0, 120);
  return `${base || 'document'}.${extensionFor(mime)}`;
}

function asRefusal(err: unknown, maxFileBytes: number): Error {
  if (err instanceof AppError) return err;
  const e = err as { code?: string; syscall?: string };
  if (e?.syscall) return err as Error; // disk trouble: a real server error
  const code = e?.code ?? '';
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new UploadRefusal('too_large', { max: Math.round(maxFileBytes / (1024 * 1024)) });
  if (['FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT'].includes(code)) return new UploadRefusal('too_many_files', { max: MAX_FILES_PER_REQUEST });
  return new UploadRefusal('interrupted');
}

export async function receiveFiles(
  req: FastifyRequest,
  storage: DocumentStorage,
  opts: ReceiveOptions,
): Promise<{ files: ReceivedFile[]; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw new UploadRefusal('no_file');
  const files: ReceivedFile[] = [];
  const fields: Record<string, string> = opts.fields ?? {};
  let used = 0;
  try {
    const parts = req.parts({
      limits: {
        fileSize: opts.maxFileBytes + 1,
        files: MAX_FILES_PER_REQUEST,
        fields: 20,
        fieldSize: MAX_FIELD_BYTES,
        parts: MAX_FILES_PER_REQUEST + 20,
      },
    });
    for await (const part of parts) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
        continue;
      }
      // Browsers send an empty part, without a name, for a file input left empty.
      if (part.fieldname !== opts.fileField || !part.filename) {
        part.file.resume();
        continue;
      }
      const inspector = new DocumentInspector({ maxFileBytes: opts.maxFileBytes, remainingDossierBytes: opts.remainingBytes - used });
      // The inspector's output is what the store consumes (no extra stage in between: each stage
      // of a stream holds a chunk or two per upload, which adds up over concurrent uploads). Both
      // settle before going on, so a refused file's temporary file is gone before we answer.
      const [put, checked] = await Promise.allSettled([storage.put(inspector), pipeline(part.file, inspector)]);
      if (checked.status === 'rejected') {
        if (put.status === 'fulfilled') await storage.delete(put.value.key).catch(() => undefined);
        throw checked.reason;
      }
      if (put.status === 'rejected') throw put.reason;
      const stored = put.value;
      const received: ReceivedFile = {
        key: stored.key,
        filename: cleanFilename(part.filename, inspector.mime as DocumentMime),
        mime: inspector.mime as DocumentMime,
        size: stored.size,
        sha256: inspector.sha256,
      };
      files.push(received);
      if (opts.formats && !opts.formats.includes(FORMAT_OF[received.mime])) throw new UploadRefusal('unsupported_type');
      if (received.size === 0) throw new UploadRefusal('empty');
      used += received.size;
    }
  } catch (err) {
    await Promise.all(files.map((f) => storage.delete(f.key).catch(() => undefined)));
    throw asRefusal(err, opts.maxFileBytes);
  }
  return { files, fields };
}

/** Removes stored files (after a refusal found once the files were in). */
export async function discardFiles(storage: DocumentStorage, files: ReceivedFile[]): Promise<void> {
  await Promise.all(files.map((f) => storage.delete(f.key).catch(() => undefined)));
}
