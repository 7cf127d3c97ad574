// A minimal protobuf writer for the OTLP messages we send: varints (int64 from exact decimal text),
// fixed64 from bigint, doubles, strings, and nested messages whose length prefix is written after
// their content (one memmove when the length needs more than the one byte reserved for it).

export class ProtoWriter {
  private buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(initial = 4096) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  tag(field: number, wire: 0 | 1 | 2 | 5): void {
    this.uint32((field << 3) | wire);
  }

  /** Unsigned varint of a non-negative integer below 2^32. */
  uint32(n: number): void {
    this.ensure(5);
    while (n > 0x7f) {
      this.buf[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.pos++] = n;
  }

  /** int64 as protobuf writes it: two's complement in 64 bits, as a varint (negative = 10 bytes). */
  int64(decimal: string): void {
    const small = Number(decimal);
    if (Number.isSafeInteger(small) && small >= 0 && small < 0x80000000) return this.uint32(small);
    let n = BigInt.asUintN(64, BigInt(decimal));
    this.ensure(10);
    while (n > 0x7fn) {
      this.buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
  }

  fixed64(n: bigint): void {
    this.ensure(8);
    this.view.setBigUint64(this.pos, n, true);
    this.pos += 8;
  }

  fixed32(n: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, n, true);
    this.pos += 4;
  }

  double(n: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, n, true);
    this.pos += 8;
  }

  /** A length-delimited byte string (trace and span ids). */
  bytes(b: Uint8Array): void {
    this.uint32(b.length);
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  string(s: string): void {
    const n = s.length;
    // Short ASCII (attribute keys, most values): byte by byte, no encoder call, no view allocation.
    if (n < 0x80) {
      this.ensure(n * 3 + 1);
      let p = this.pos + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        this.buf[p++] = c;
      }
      if (i === n) {
        this.buf[this.pos] = n;
        this.pos = p;
        return;
      }
    }
    // A UTF-8 string is at most 3 bytes per UTF-16 unit: encode after room for the longest length
    // varint, then move the bytes down behind the real one.
    this.ensure(n * 3 + 5);
    const start = this.pos;
    const len = this.encodeInto(s, start + 5);
    this.uint32(len);
    this.buf.copyWithin(this.pos, start + 5, start + 5 + len);
    this.pos += len;
  }

  private encodeInto(s: string, at: number): number {
    return encoder.encodeInto(s, this.buf.subarray(at)).written;
  }

  /** Starts a length-delimited field; pass the result to end() once its content is written. */
  begin(field: number): number {
    this.tag(field, 2);
    this.ensure(1);
    return this.pos++; // one byte reserved for the length
  }

  end(at: number): void {
    const len = this.pos - at - 1;
    if (len < 0x80) {
      this.buf[at] = len;
      return;
    }
    let extra = 0;
    for (let n = len >>> 7; n > 0; n >>>= 7) extra++;
    this.ensure(extra);
    this.buf.copyWithin(at + 1 + extra, at + 1, this.pos);
    this.pos += extra;
    let p = at;
    let n = len;
    while (n > 0x7f) {
      this.buf[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[p] = n;
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

const encoder = new TextEncoder();
