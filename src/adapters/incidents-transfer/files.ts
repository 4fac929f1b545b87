/**
 * Incident files on the wire and on disk: reading an imported file into the core's `SourceLine`s
 * (CSV through csv-parse, JSON Lines split by hand so that no line can grow without bound), writing
 * exported records as JSON Lines or CSV (`csvRecord`) as a stream, and spooling an uploaded file
 * so it can be read twice — encrypted with a key that exists only in memory for the length of the
 * request, since the file holds personal data in the clear.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { parse } from 'csv-parse';
import { invalid } from '../../core/errors.ts';
import { MAX_LINE_CHARACTERS } from '../../core/incidents/transfer/decode.ts';
import { csvHeader, csvRecord, csvTextOf } from '../../core/incidents/transfer/encode.ts';
import type { ExportedIncident, SourceLine, TransferFormat } from '../../core/incidents/transfer/model.ts';
import type { ImportSource } from '../../core/incidents/transfer/ports.ts';

/** The media type of each format. */
export const MEDIA_TYPES: Record<TransferFormat, string> = {
  json: 'application/x-ndjson',
  csv: 'text/csv',
};
export const FILE_EXTENSIONS: Record<TransferFormat, string> = { json: 'jsonl', csv: 'csv' };

/** The rows of a CSV file, each with the line it starts on; a break in the quoting ends the reading. */
async function* csvLines(input: Readable): AsyncGenerator<SourceLine> {
  const parser = input.pipe(parse({ info: true, relax_column_count: true, bom: true, skip_empty_lines: false }));
  input.on('error', (error) => parser.destroy(error));
  let lastLine = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      yield { kind: 'row', line: lastLine + 1, cells: record };
      lastLine = info.lines;
    }
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? lastLine + 1;
    yield {
      kind: 'unreadable',
      line,
      reason: 'The file cannot be read from here: a quote is not closed, or a quoted cell is followed by other text.',
    };
  }
}

/** The lines of a JSON Lines file; a line longer than the core accepts is cut (and refused there). */
async function* jsonLines(input: Readable): AsyncGenerator<SourceLine> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 1;
  const push = function* (text: string): Generator<SourceLine> {
    yield { kind: 'text', line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
    line += 1;
  };
  for await (const chunk of input) {
    const text = typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      yield* push(pending + text.slice(start, end));
      pending = '';
      start = end + 1;
    }
    pending += text.slice(start);
    if (pending.length > MAX_LINE_CHARACTERS) pending = pending.slice(0, MAX_LINE_CHARACTERS + 1);
  }
  pending += decoder.end();
  if (pending !== '') yield* push(pending);
}

/** The source lines of a file in `format`, read from a fresh stream each time. */
export function importSource(format: TransferFormat, open: () => Readable): ImportSource {
  return { lines: () => (format === 'csv' ? csvLines(open()) : jsonLines(open())) };
}

/** The texts in one buffer, each encoded straight into it: joining them first would copy them once more. */
function bytesOf(texts: readonly string[]): Buffer {
  let size = 0;
  for (const text of texts) size += Buffer.byteLength(text);
  const bytes = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const text of texts) offset += bytes.write(text, offset);
  return bytes;
}

/** An export as a stream of text: JSON Lines, or CSV with its header. */
export function exportStream(format: TransferFormat, batches: AsyncIterable<ExportedIncident[]>): Readable {
  async function* text(): AsyncGenerator<Buffer> {
    if (format === 'csv') yield Buffer.from(csvRecord(csvHeader()));
    for await (const batch of batches) {
      yield bytesOf(batch.map(format === 'csv' ? csvTextOf : (record) => `${JSON.stringify(record)}\n`));
    }
  }
  return Readable.from(text(), { objectMode: false });
}

/** A spooled upload: read it as often as needed, then remove it. */
export interface Spool {
  bytes: number;
  open(): Readable;
  remove(): Promise<void>;
}

/**
 * Writes `input` to a private temporary file, encrypted (AES-256-GCM) under a random key held only
 * by the returned object, refusing more than `maxBytes` (a `validation_failed` DomainError).
 */
export async function spoolEncrypted(input: Readable, maxBytes: number): Promise<Spool> {
  const dir = await mkdtemp(join(tmpdir(), 'amparo-import-'));
  const file = join(dir, 'upload');
  const key = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) done(invalid('file', 'The file is larger than an import accepts.'));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(input, counter, cipher, createWriteStream(file, { mode: 0o600 }));
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const tag = cipher.getAuthTag();
  return {
    bytes,
    open() {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAuthTag(tag);
      const source = createReadStream(file);
      source.on('error', (error) => decipher.destroy(error));
      return source.pipe(decipher);
    },
    async remove() {
      key.fill(0);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
