/**
 * Static libraries: `ar` archives in the GNU/SysV format that GNU ld, gold, lld and `ar` itself read, with the
 * symbol index (`/` member) a linker needs to find the member defining a symbol, and a long-name table (`//`)
 * for member names over 15 bytes. Written deterministically (all dates, owners and modes zero).
 *
 * @module
 */

/** One object file of an archive and the external symbols it defines. */
export interface ArchiveMember {
  readonly name: string;
  readonly data: Uint8Array;
  readonly symbols: readonly string[];
}

const encoder = new TextEncoder();
const headerBytes = 60;

/** A 60-byte member header: name (16), date (12), uid (6), gid (6), mode (8), size (10), "`\n". */
function memberHeader(name: string, size: number): Uint8Array {
  const fields = [name.padEnd(16), "0".padEnd(12), "0".padEnd(6), "0".padEnd(6), "644".padEnd(8), String(size).padEnd(10), "`\n"];
  return encoder.encode(fields.join(""));
}

/** Members' data are 2-byte aligned: an odd-sized member is followed by a newline. */
function padded(data: Uint8Array): Uint8Array {
  if (data.length % 2 === 0) return data;
  const out = new Uint8Array(data.length + 1);
  out.set(data);
  out[data.length] = 0x0a;
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * The bytes of an archive holding `members` in order, indexed by their symbols.
 *
 * @example
 * ```ts
 * writeFileSync("libf.a", archive([{ name: "f.o", data: object, symbols: ["f", "f_argv"] }]));
 * ```
 */
export function archive(members: readonly ArchiveMember[]): Uint8Array {
  // Long names go to the "//" member, each ending in "/\n"; a header then names it "/<offset>".
  let longNames = "";
  const names = members.map((m) => {
    if (m.name.length <= 15) return `${m.name}/`;
    const ref = `/${longNames.length}`;
    longNames += `${m.name}/\n`;
    return ref;
  });
  const longTable = longNames ? [memberHeader("//", longNames.length), padded(encoder.encode(longNames))] : [];
  const symbolNames = members.flatMap((m) => m.symbols.map((s) => encoder.encode(`${s}\0`)));
  const symbolCount = symbolNames.length;
  const indexSize = 4 + 4 * symbolCount + symbolNames.reduce((n, s) => n + s.length, 0);
  // The index holds each symbol's member offset, so lay out everything after it first.
  let offset = 8 + headerBytes + indexSize + (indexSize % 2) + longTable.reduce((n, p) => n + p.length, 0);
  const bodies = members.map((m, i) => {
    const parts = [memberHeader(names[i], m.data.length), padded(m.data)];
    const at = offset;
    offset += headerBytes + parts[1].length;
    return { at, parts };
  });
  const index = new Uint8Array(indexSize);
  const view = new DataView(index.buffer);
  view.setUint32(0, symbolCount); // big-endian, as the format requires
  let slot = 0;
  members.forEach((m, i) => m.symbols.forEach(() => view.setUint32(4 + 4 * slot++, bodies[i].at)));
  index.set(concat(symbolNames), 4 + 4 * symbolCount);
  return concat([
    encoder.encode("!<arch>\n"),
    memberHeader("/", indexSize),
    padded(index),
    ...longTable,
    ...bodies.flatMap((b) => b.parts),
  ]);
}
