// Kernel identity: a hash of each kernel's compiled machine code, so a result can say which code
// it timed and two builds can tell whether they run the same code (an A/A comparison).
//
// CUDA: the cubins nvcc kept (kernels/CMakeLists.txt, --keep) are ELF files, one per translation
// unit and architecture; each kernel's SASS is its `.text.<symbol>` section. CPU: the kernels'
// object file, built with -ffunction-sections. Either way a kernel's hash covers its section's
// bytes, its relocations (by target name, never by index or address), its per-kernel metadata
// sections (`.nv.info.<symbol>`: registers, parameters; shared and constant sizes) and, followed
// through those relocations, every section of the same file it calls or reads. Paths, build
// directories and timestamps never enter, so the same code built twice hashes the same.
//
// A CUDA kernel's hash also covers the host code of the library that launches it (the kernels'
// own host objects: the parameters it is passed, such as a persistent schedule's section size,
// its tensor maps, its grid): a change there changes what the GPU does with the same machine code,
// so it is not an A/A comparison. Every host object of the library counts for every kernel: a
// change to one launcher costs the others their A/A skip, never a verdict.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const SHT_RELA = 4;
const SHT_NOBITS = 8;
const SHT_REL = 9;
const SHN_LORESERVE = 0xff00;
const SHF_EXECINSTR = 0x4n;
const STT_SECTION = 3;

/** The parts of a little-endian ELF64 file this needs: sections, symbols, relocations. */
export function parseElf(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0) !== 0x7f454c46 || bytes[4] !== 2 || bytes[5] !== 1) throw new Error('not a little-endian ELF64 file');
  const flags = view.getUint32(0x30, true);
  const sectionsAt = Number(view.getBigUint64(0x28, true));
  const entrySize = view.getUint16(0x3a, true);
  const count = view.getUint16(0x3c, true);
  const namesIndex = view.getUint16(0x3e, true);
  const sections = Array.from({ length: count }, (_, index) => {
    const at = sectionsAt + index * entrySize;
    const offset = Number(view.getBigUint64(at + 0x18, true));
    const size = Number(view.getBigUint64(at + 0x20, true));
    const type = view.getUint32(at + 4, true);
    return {
      index,
      nameOffset: view.getUint32(at, true),
      type,
      flags: view.getBigUint64(at + 8, true),
      size,
      link: view.getUint32(at + 0x28, true),
      info: view.getUint32(at + 0x2c, true),
      data: type === SHT_NOBITS ? new Uint8Array(0) : bytes.subarray(offset, offset + size),
      name: '',
    };
  });
  const stringAt = (section, offset) => {
    const data = section.data;
    let end = offset;
    while (end < data.length && data[end] !== 0) end += 1;
    return new TextDecoder().decode(data.subarray(offset, end));
  };
  for (const section of sections) section.name = stringAt(sections[namesIndex], section.nameOffset);

  const symtab = sections.find((s) => s.name === '.symtab');
  const symbols = [];
  if (symtab) {
    const strings = sections[symtab.link];
    const data = new DataView(symtab.data.buffer, symtab.data.byteOffset, symtab.data.byteLength);
    for (let at = 0; at + 24 <= symtab.data.length; at += 24) {
      const info = data.getUint8(at + 4);
      const sectionIndex = data.getUint16(at + 6, true);
      const type = info & 0xf;
      const own = sectionIndex !== 0 && sectionIndex < SHN_LORESERVE ? sectionIndex : null;
      const name = type === STT_SECTION && own !== null ? sections[own].name : stringAt(strings, data.getUint32(at, true));
      symbols.push({ name, section: own });
    }
  }

  // Relocations per target section, as (offset, type, target name, addend).
  const relocations = new Map();
  for (const section of sections) {
    if (section.type !== SHT_RELA && section.type !== SHT_REL) continue;
    const entry = section.type === SHT_RELA ? 24 : 16;
    const data = new DataView(section.data.buffer, section.data.byteOffset, section.data.byteLength);
    const list = relocations.get(section.info) ?? [];
    for (let at = 0; at + entry <= section.data.length; at += entry) {
      const info = data.getBigUint64(at + 8, true);
      const symbol = symbols[Number(info >> 32n)] ?? { name: '?', section: null };
      list.push({
        offset: data.getBigUint64(at, true),
        type: Number(info & 0xffffffffn),
        addend: section.type === SHT_RELA ? data.getBigInt64(at + 16, true) : 0n,
        symbol,
      });
    }
    relocations.set(section.info, list);
  }
  return { flags, sections, relocations };
}

/**
 * sha256 of the code reachable from `roots` (section indices), following relocations within the
 * file; a section `opaque` names enters by its name alone (neither its bytes nor what it reaches).
 */
function codeHash(elf, roots, opaque = () => false) {
  const hash = createHash('sha256');
  const seen = new Set();
  const queue = [...roots];
  while (queue.length > 0) {
    const index = queue.shift();
    if (seen.has(index)) continue;
    seen.add(index);
    const section = elf.sections[index];
    if (opaque(section)) {
      hash.update(`${section.name}\0opaque\n`);
      continue;
    }
    hash.update(`${section.name}\0${section.type}\0${section.flags}\0${section.info}\0${section.size}\0`);
    hash.update(section.data);
    for (const r of elf.relocations.get(index) ?? []) {
      hash.update(`\0${r.offset}:${r.type}:${r.symbol.name}:${r.addend}`);
      if (r.symbol.section !== null) queue.push(r.symbol.section);
    }
    hash.update('\n');
  }
  return hash.digest('hex');
}

/** Every kernel of one cubin: { arch: 'sm_90', kernels: { symbol: hash } }. */
export function cubinIdentity(bytes) {
  const elf = parseElf(bytes);
  const arch = `sm_${(elf.flags >> 8) & 0xff}`;
  const kernels = {};
  for (const text of elf.sections.filter((s) => s.name.startsWith('.text.'))) {
    const symbol = text.name.slice('.text.'.length);
    // Per-kernel metadata: registers and parameters (.nv.info.), shared and constant space.
    const metadata = elf.sections.filter((s) => s !== text && s.name.endsWith(`.${symbol}`) && !s.name.startsWith('.rel'));
    kernels[symbol] = codeHash(elf, [text.index, ...metadata.map((s) => s.index)]);
  }
  return { arch, kernels };
}

/** Every function of namespace ratchet in an object file built with -ffunction-sections, by name. */
export function cpuObjectIdentity(bytes) {
  const elf = parseElf(bytes);
  const kernels = {};
  for (const section of elf.sections) {
    // Itanium mangling of ratchet::<name>(...): _ZN7ratchet<length><name>E<parameters>
    const match = /^\.text\._ZN7ratchet(\d+)/.exec(section.name);
    if (!match) continue;
    const start = match[0].length;
    const name = section.name.slice(start, start + Number(match[1]));
    if (section.name[start + name.length] === 'E') kernels[name] = codeHash(elf, [section.index]);
  }
  return kernels;
}

// The module registration nvcc writes (static constructors) and the fatbin it registers: the
// device code is hashed from the cubins, and the embedded copy carries the build's paths in its
// line tables.
const registration = (section) => section.name === '.text.startup' || section.name === '.nv_fatbin' || section.name === '.nvFatBinSegment' || section.name.startsWith('.debug');

/** sha256 of an nvcc object's host code: its executable sections but the registration, and what they reach. */
export function hostObjectIdentity(bytes) {
  const elf = parseElf(bytes);
  const roots = elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0n && s.type !== SHT_NOBITS && !registration(s)).map((s) => s.index);
  return codeHash(elf, roots, registration);
}

/**
 * The identity file of one build: { schemaVersion, kernels: { <arch>: { <symbol>: sha256 } } },
 * from the kept cubins in `deviceCodeDir` with the host objects of the library that launches them
 * (`hostObjects`: a CUDA kernel's hash covers both, see the header), and the CPU kernels' object
 * files (`cpuObject`, or several in `cpuObjects`). Cubins without host objects are refused: the
 * kernels' launch code would go unseen.
 */
export function buildIdentity({ deviceCodeDir, hostObjects = [], cpuObject, cpuObjects = [] }) {
  const kernels = {};
  if (existsSync(deviceCodeDir)) {
    const cubins = readdirSync(deviceCodeDir).filter((f) => f.endsWith('.cubin')).sort();
    if (cubins.length > 0 && hostObjects.length === 0) throw new Error(`kernel identity: ${deviceCodeDir} holds cubins but no host objects were given for their launch code`);
    const host = createHash('sha256');
    for (const object of [...hostObjects].sort()) host.update(`${hostObjectIdentity(readFileSync(object))}\n`);
    const hostCode = host.digest('hex');
    for (const file of cubins) {
      const { arch, kernels: found } = cubinIdentity(readFileSync(join(deviceCodeDir, file)));
      const launched = Object.fromEntries(Object.entries(found).map(([symbol, device]) => [symbol, createHash('sha256').update(`${device}\0${hostCode}`).digest('hex')]));
      kernels[arch] = { ...kernels[arch], ...launched };
    }
  }
  for (const object of [cpuObject, ...cpuObjects].filter(Boolean)) {
    if (existsSync(object)) kernels.cpu = { ...kernels.cpu, ...cpuObjectIdentity(readFileSync(object)) };
  }
  return { schemaVersion: 1, kernels };
}
