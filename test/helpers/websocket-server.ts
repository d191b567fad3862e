/**
 * The server side of a WebSocket (RFC 6455), just enough for the fake Slack's Socket Mode:
 * the opening handshake, text frames both ways, ping → pong, and close. Client frames are
 * masked (the client must mask, §5.1); ours are not. No extensions, no fragmentation (the
 * Socket Mode client sends neither).
 */
import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

export class ServerWebSocket {
  #buffer = Buffer.alloc(0);
  #closed = false;
  onText: (text: string) => void = () => {};
  onClose: () => void = () => {};

  private constructor(private readonly socket: Duplex) {
    socket.on("data", (chunk: Buffer) => this.#read(chunk));
    socket.on("close", () => this.#finish());
    socket.on("error", () => this.#finish());
  }

  /** Completes the opening handshake of an HTTP upgrade request; undefined when it is not one. */
  static accept(req: IncomingMessage, socket: Duplex): ServerWebSocket | undefined {
    const key = req.headers["sec-websocket-key"];
    if (typeof key !== "string" || (req.headers.upgrade ?? "").toLowerCase() !== "websocket") {
      socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
      return undefined;
    }
    const accept = createHash("sha1")
      .update(key + GUID)
      .digest("base64");
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    return new ServerWebSocket(socket);
  }

  get open(): boolean {
    return !this.#closed;
  }

  sendText(text: string): void {
    this.#frame(0x1, Buffer.from(text, "utf8"));
  }

  close(): void {
    if (this.#closed) return;
    this.#frame(0x8, Buffer.from([0x03, 0xe8])); // 1000, normal closure
    this.socket.end();
    this.#finish();
  }

  /** Drops the connection without a close frame (a network failure). */
  destroy(): void {
    this.socket.destroy();
    this.#finish();
  }

  #finish(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.onClose();
  }

  #frame(opcode: number, payload: Buffer): void {
    if (this.#closed) return;
    const n = payload.length;
    const head =
      n < 126
        ? Buffer.from([0x80 | opcode, n])
        : n < 65_536
          ? Buffer.from([0x80 | opcode, 126, n >> 8, n & 0xff])
          : Buffer.concat([Buffer.from([0x80 | opcode, 127]), bigEndian64(n)]);
    this.socket.write(Buffer.concat([head, payload]));
  }

  #read(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      const b = this.#buffer;
      if (b.length < 2) return;
      const opcode = b[0]! & 0x0f;
      const masked = (b[1]! & 0x80) !== 0;
      let length = b[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      const maskOffset = offset;
      if (masked) offset += 4;
      if (b.length < offset + length) return;
      const payload = Buffer.from(b.subarray(offset, offset + length));
      if (masked)
        for (let i = 0; i < payload.length; i++) payload[i] = payload[i]! ^ b[maskOffset + (i % 4)]!;
      this.#buffer = b.subarray(offset + length);
      if (opcode === 0x1) this.onText(payload.toString("utf8"));
      else if (opcode === 0x9) this.#frame(0xa, payload);
      else if (opcode === 0x8) {
        this.#frame(0x8, payload.subarray(0, 2));
        this.socket.end();
        this.#finish();
        return;
      }
    }
  }
}

function bigEndian64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}
