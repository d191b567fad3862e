import { describe, expect, it } from "vitest";
import { type CsvBurst, CsvSyntaxError, csvRecords, MAX_RECORD } from "../../db/import/csv.js";

/** Every record with the line it starts on, the way the import counts lines. */
async function read(chunks: (string | Buffer)[]): Promise<{ line: number; record: string[] }[]> {
  const out: { line: number; record: string[] }[] = [];
  let line = 1;
  async function* source() {
    yield* chunks;
  }
  for await (const { records, spans } of csvRecords(source()) as AsyncGenerator<CsvBurst>) {
    records.forEach((record, i) => {
      out.push({ line, record });
      line += spans ? spans[i]! : 1;
    });
  }
  return out;
}

/** The text cut into pieces of `size` bytes, so characters, CRLFs and quotes straddle chunks. */
const pieces = (text: string, size: number) => {
  const bytes = Buffer.from(text, "utf8");
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
};

const records = async (chunks: (string | Buffer)[]) => (await read(chunks)).map((r) => r.record);

describe("CSV records", () => {
  it("reads CRLF, LF and a mix of both the same way, in any chunking", async () => {
    const expected = [
      ["sku", "name"],
      ["A", "x"],
      ["B", "y"],
      ["C", "z"],
    ];
    for (const text of [
      "sku,name\r\nA,x\r\nB,y\r\nC,z\r\n",
      "sku,name\nA,x\nB,y\nC,z\n",
      'sku,name\nA,"x"\r\nB,y\nC,"z"\r\n',
      'sku,name\r\nA,x\nB,"y"\r\nC,z',
    ]) {
      for (const size of [1, 2, 3, 7, 1000]) expect(await records(pieces(text, size))).toEqual(expected);
    }
  });

  it("reads a file whose lines end in a lone CR", async () => {
    expect(await records(["sku,name\rA,x\rB,y\r"])).toEqual([
      ["sku", "name"],
      ["A", "x"],
      ["B", "y"],
    ]);
  });

  it("drops a byte-order mark, also before a quoted header", async () => {
    expect(await records(pieces('\uFEFF"sku",name\nA,x\n', 1))).toEqual([
      ["sku", "name"],
      ["A", "x"],
    ]);
  });

  it("decodes UTF-8 characters split between chunks", async () => {
    expect(await records(pieces("sku,name\nA,Crème brûlée 🍮\n", 1))).toEqual([
      ["sku", "name"],
      ["A", "Crème brûlée 🍮"],
    ]);
  });

  it("keeps quoted commas, doubled quotes and line breaks, and counts the lines a record spans", async () => {
    const text = 'sku,name\nA,"one, ""two""\nthree"\r\nB,"four\r\nfive\nsix"\nC,x\n';
    for (const size of [1, 5, 1000]) {
      expect(await read(pieces(text, size))).toEqual([
        { line: 1, record: ["sku", "name"] },
        { line: 2, record: ["A", 'one, "two"\nthree'] },
        { line: 4, record: ["B", "four\nfive\nsix"] },
        { line: 7, record: ["C", "x"] },
      ]);
    }
  });

  it("yields the sound records before a quote error, then throws", async () => {
    for (const [text, reason] of [
      ['a,b\n1,2\n"3,4\n5,6\n', /never closed/],
      ['a,b\n1,2\n3,"4"x\n5,6\n', /a quote is followed by other characters/],
    ] as const) {
      for (const size of [1, 4, 1000]) {
        const seen: string[][] = [];
        const error = await (async () => {
          async function* source() {
            yield* pieces(text, size);
          }
          try {
            for await (const { records } of csvRecords(source())) seen.push(...records);
          } catch (e) {
            return e;
          }
        })();
        expect(error).toBeInstanceOf(CsvSyntaxError);
        expect((error as CsvSyntaxError).reason).toMatch(reason);
        expect(seen).toEqual([
          ["a", "b"],
          ["1", "2"],
        ]);
      }
    }
  });

  it("stops at a record longer than a million characters instead of carrying the file along", async () => {
    const chunk = "x".repeat(65_536);
    async function* source() {
      yield 'a,b\n1,"open';
      for (let i = 0; i < 2 * (MAX_RECORD / chunk.length); i++) yield chunk;
      throw new Error("read past the limit");
    }
    await expect(
      (async () => {
        for await (const _ of csvRecords(source()));
      })(),
    ).rejects.toThrow(/more than a million characters: a closing " is probably missing/);
  });
});

describe("CSV records without a line break", () => {
  it("stops at a first line longer than a million characters", async () => {
    async function* source() {
      for (let i = 0; i < 40; i++) yield "y".repeat(65_536);
      throw new Error("read past the limit");
    }
    await expect(
      (async () => {
        for await (const _ of csvRecords(source()));
      })(),
    ).rejects.toThrow(/a line is longer than a million characters/);
  });
});
