/**
 * Splitting streamed text into lines without holding a line whole: the text of a line reaches the
 * sink in pieces (as the chunks cut it), then `end()` marks the line's end. Line ends are `\n`,
 * `\r\n` and a lone `\r` (as Node's readline); a last line without a line end counts when it holds
 * text.
 */

/** Receives the pieces of each line, then its end. */
export interface LineSink {
  piece(text: string): void;
  end(): void;
}

export class LineSplitter {
  private readonly sink: LineSink;
  /** The last chunk ended with `\r`: a `\n` opening the next one belongs to that line end. */
  private afterCr = false;
  /** The current line received text. */
  private open = false;

  constructor(sink: LineSink) {
    this.sink = sink;
  }

  push(text: string): void {
    let start = 0;
    const n = text.length;
    if (this.afterCr && n > 0) {
      this.afterCr = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    for (let i = start; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (i > start) this.sink.piece(text.slice(start, i));
      this.sink.end();
      this.open = false;
      if (c === 13) {
        if (i + 1 < n) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else this.afterCr = true;
      }
      start = i + 1;
    }
    if (start < n) {
      this.sink.piece(text.slice(start));
      this.open = true;
    }
  }

  /** Ends the last line if it holds text. */
  finish(): void {
    if (this.open) this.sink.end();
    this.open = false;
  }
}
