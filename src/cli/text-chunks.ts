/**
 * Reading a byte stream as UTF-8 text, chunk by chunk, and refusing what is not text: binary data
 * (a NUL byte), UTF-16 (a byte order mark, or NUL bytes in every other position) and invalid UTF-8.
 * Memory is one chunk at a time.
 */

/** The input is not UTF-8 text; the message says what it is. */
export class NotTextError extends Error {}

/** Where the first chunk's NUL bytes are: mostly at odd (or even) offsets means UTF-16. */
function looksUtf16(bytes: Uint8Array): 'LE' | 'BE' | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const pairs = n / 2;
  if (oddZero > 0.3 * pairs && evenZero < 0.05 * pairs) return 'LE';
  if (evenZero > 0.3 * pairs && oddZero < 0.05 * pairs) return 'BE';
  return null;
}

const UTF16_HINT = 'convert it to UTF-8 first (e.g. iconv -f UTF-16 -t UTF-8 FILE)';

/**
 * Yields the text of `input` (Buffers decoded as strict UTF-8; strings passed through), and calls
 * `onBytes` with the size of every chunk. Throws a {@link NotTextError} for binary data, UTF-16 or
 * invalid UTF-8, naming the byte offset.
 */
export async function* textChunks(input: AsyncIterable<Buffer | string>, onBytes: (n: number) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      onBytes(Buffer.byteLength(chunk));
      const nul = chunk.indexOf('\0');
      if (nul >= 0) throw new NotTextError(`binary data (a NUL character at character ${offset + nul}), not text`);
      offset += chunk.length;
      yield chunk;
      continue;
    }
    const bytes = chunk as Uint8Array;
    onBytes(bytes.length);
    if (offset === 0 && bytes.length >= 2) {
      if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
        const order = bytes[0] === 0xff ? 'little-endian' : 'big-endian';
        throw new NotTextError(`UTF-16 text (${order} byte order mark), not UTF-8: ${UTF16_HINT}`);
      }
      const utf16 = looksUtf16(bytes);
      if (utf16) throw new NotTextError(`UTF-16${utf16} text without a byte order mark (NUL bytes in every other position), not UTF-8: ${UTF16_HINT}`);
    }
    const nul = bytes.indexOf(0);
    if (nul >= 0) throw new NotTextError(`binary data (a NUL byte at byte ${offset + nul}), not a text or JSONL file`);
    let text: string;
    try {
      text = decoder.decode(bytes, { stream: true });
    } catch {
      throw new NotTextError(`not UTF-8 text (an invalid UTF-8 sequence in bytes ${offset}–${offset + bytes.length - 1})`);
    }
    offset += bytes.length;
    if (text.length > 0) yield text;
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw new NotTextError(`not UTF-8 text (the file ends inside a UTF-8 sequence, at byte ${offset})`);
  }
  if (tail.length > 0) yield tail;
}
