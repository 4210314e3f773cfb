// The program loader (DESIGN.md, "Programs"). An image is a position-independent ELF64
// for x86-64 (`goos build` links it with gold -shared, GCCGO.md "Linking"): no
// interpreter, no shared libraries it needs, and the note that `goos build` adds after its
// safety checks. Its relocations are RELATIVE ones, and ones that name a symbol (GLOB_DAT
// and JUMP_SLOT slots, 64-bit data words): the symbols the image keeps dynamic, its type
// descriptors, which the loader binds by name, and weak ones no one defines, which are 0. Everything is checked against
// the file before a page is taken, so a refused image costs nothing and leaves nothing behind; the reason names the
// first rule it broke.
#include "loader.h"

#include <hal/hal.h>

#include "barrier.h"
#include "elf.h"
#include "kernel.h"
#include "klib.h"
#include "ledger.h"
#include "methods.h"
#include "sched.h"
#include "typebind.h"
#include "typedesc.h"
#include "types.h"

namespace kernel {
namespace {

constexpr size_t kMaxSegments = 16;
constexpr uint16_t kMaxPhdrs = 64;

struct Segment {
    uint64_t offset, vaddr, filesz, memsz;
    bool writable;
};

// What the checks found: where each piece goes, relative to the lowest loaded page.
struct Plan {
    Segment segs[kMaxSegments];
    size_t nsegs = 0;
    uint64_t lo = 0;                        // lowest loaded address, page aligned
    size_t pages = 0;                       // pages spanned by the segments
    uint64_t entry = 0;                     // relative to lo
    uint64_t code_begin = 0, code_end = 0;  // executable segments' span, relative to lo
    // The relocation tables (DT_RELA, DT_JMPREL): file offset and count of each.
    uint64_t rela_off[2] = {}, nrela[2] = {};
    // The dynamic symbols relocations name: file offset of DT_SYMTAB and how many entries
    // lie within its segment's file part; DT_STRTAB's file offset and size.
    uint64_t dsym_off = 0, ndsyms = 0, dstr_off = 0, dstr_size = 0;
    // The relocations that name a type descriptor (typebind.h), and one past the highest
    // symbol index they name: the loader binds those to the type segment.
    uint64_t desc_relocs = 0, desc_syms = 0;
    // The function symbols a traceback names frames by (none when the image has no usable
    // symbol table: they are a help, not a requirement).
    uint64_t sym_off = 0, nsyms = 0, str_off = 0, str_size = 0;
    uint64_t nfuncs = 0, names_bytes = 0;
    size_t table_pages = 0;
    // The package variables' layout records (abi.h, goos_vars_header), and the pages of the
    // variable table made from them; the writable data's pages, relative to lo.
    uint64_t vars_off = 0, nvars = 0;
    size_t vars_pages = 0;
    uint64_t data_lo = 0, data_hi = 0;
    // The read-only unit (abi.h, GOOS_LAYOUT_IMAGE_RO), relative to lo; empty when lo == hi.
    uint64_t unit_lo = 0, unit_hi = 0;
    // The method sets (abi.h, goos_method_set): one entry at most per descriptor relocation.
    size_t methods_pages() const {
        return static_cast<size_t>((desc_relocs * sizeof(goos_method_set) + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE);
    }
    // What the process is given: the image, a page for the goos_start_info its entry
    // receives, the function table, the variable table, then the method sets.
    size_t total_pages() const { return pages + 1 + table_pages + vars_pages + methods_pages(); }
};

constexpr uint64_t kMaxFuncs = 65536;
constexpr uint64_t kMaxDynSyms = uint64_t{1} << 20;
constexpr uint64_t kMaxNames = uint64_t{1} << 20;

class Checker {
public:
    Checker(const uint8_t* image, size_t size, LoadError* why) : image_(image), size_(size), why_(why) {}

    // Whether [off, off+len) lies within the file.
    bool in_file(uint64_t off, uint64_t len) const { return off <= size_ && len <= size_ - off; }

    template <class T>
    T read(uint64_t off) const {
        T v;
        memcpy(&v, image_ + off, sizeof v);
        return v;
    }

    // The file offset of [vaddr, vaddr+len) when a segment's file part holds all of it.
    bool file_offset(const Plan& plan, uint64_t vaddr, uint64_t len, uint64_t* off) const {
        for (size_t i = 0; i < plan.nsegs; ++i) {
            const Segment& s = plan.segs[i];
            if (vaddr >= s.vaddr && vaddr - s.vaddr <= s.filesz && len <= s.filesz - (vaddr - s.vaddr)) {
                *off = s.offset + (vaddr - s.vaddr);
                return true;
            }
        }
        return false;
    }

    // How many bytes of a segment's file part lie from vaddr on (0 when none holds it).
    static uint64_t file_room(const Plan& plan, uint64_t vaddr) {
        for (size_t i = 0; i < plan.nsegs; ++i) {
            const Segment& s = plan.segs[i];
            if (vaddr >= s.vaddr && vaddr - s.vaddr < s.filesz) return s.filesz - (vaddr - s.vaddr);
        }
        return 0;
    }

    Error fail(const char* fmt, ...) __attribute__((format(printf, 2, 3))) {
        if (why_) {
            Buf out(why_->text, sizeof why_->text);
            va_list ap;
            va_start(ap, fmt);
            kvformat(out, fmt, ap);
            va_end(ap);
        }
        return Error::BAD_IMAGE;
    }

    Result<void> check(Plan& plan);
    // Whether a dynamic symbol is a type descriptor the image defines: an object named as
    // gccgo names descriptors (T..d, T..p, type..*).
    bool is_descriptor(const Plan& plan, const elf::Sym& s) const;
    const char* dynamic_symbol_name(const Plan& plan, const elf::Sym& s) const {
        return reinterpret_cast<const char*>(image_ + plan.dstr_off + s.name);
    }

private:
    Result<void> check_header(const elf::Ehdr& eh);
    Result<void> check_dynamic(Plan& plan, uint64_t vaddr, uint64_t len);
    Result<void> check_notes(uint64_t off, uint64_t len, bool* found);
    Result<void> check_relocations(Plan& plan);
    bool dynamic_name(const Plan& plan, uint32_t name) const;
    Result<void> check_vars(Plan& plan, const elf::Ehdr& eh);
    static void find_unit(Plan& plan, uint64_t relro_end);
    // Whether the section headers are whole, within the file.
    bool has_sections(const elf::Ehdr& eh) const {
        return eh.shentsize == sizeof(elf::Shdr) && eh.shnum != 0 && eh.shnum <= 4096 &&
               in_file(eh.shoff, uint64_t{eh.shnum} * sizeof(elf::Shdr));
    }
    bool find_section(const elf::Ehdr& eh, const char* name, elf::Shdr* out) const;
    void find_functions(Plan& plan, const elf::Ehdr& eh) const;

public:
    // Whether the symbol is a function inside the image whose name lies within the strings.
    bool usable_function(const Plan& plan, const elf::Sym& s) const {
        if ((s.info & 0xf) != elf::kSttFunc || s.shndx == 0 || s.size == 0) return false;
        const uint64_t span = uint64_t{plan.pages} * GOOS_PAGE_SIZE;
        if (s.value < plan.lo || s.value - plan.lo >= span || s.name >= plan.str_size) return false;
        return memchr_(image_ + plan.str_off + s.name, plan.str_size - s.name);
    }
    const uint8_t* bytes() const { return image_; }

private:
    // Whether a NUL lies within [p, p+n).
    static bool memchr_(const uint8_t* p, uint64_t n) {
        for (uint64_t i = 0; i < n; ++i)
            if (!p[i]) return true;
        return false;
    }

    const uint8_t* image_;
    size_t size_;
    LoadError* why_;
};

Result<void> Checker::check_header(const elf::Ehdr& eh) {
    if (eh.ident[0] != 0x7f || eh.ident[1] != 'E' || eh.ident[2] != 'L' || eh.ident[3] != 'F')
        return fail("not an ELF file (bad magic)");
    if (eh.ident[4] != elf::kClass64 || eh.ident[5] != elf::kData2Lsb) return fail("not a little-endian ELF64 file");
    if (eh.machine != elf::kMachineX86_64) return fail("built for machine %u, not x86-64", eh.machine);
    if (eh.type == elf::kTypeExec)
        return fail("not position independent (ET_EXEC); goos build links position-independent images");
    if (eh.type != elf::kTypeDyn) return fail("ELF type %u is not an executable", eh.type);
    if (eh.phentsize != sizeof(elf::Phdr)) return fail("program header size %u, not 56", eh.phentsize);
    if (eh.phnum == 0 || eh.phnum > kMaxPhdrs) return fail("%u program headers (1 to 64 allowed)", eh.phnum);
    if (!in_file(eh.phoff, uint64_t{eh.phnum} * sizeof(elf::Phdr))) return fail("program headers lie outside the file");
    return {};
}

Result<void> Checker::check(Plan& plan) {
    if (size_ < sizeof(elf::Ehdr)) return fail("truncated: %u bytes, shorter than an ELF header", unsigned(size_));
    const auto eh = read<elf::Ehdr>(0);
    TRY_VOID(check_header(eh));

    uint64_t end = 0, dyn_vaddr = 0, dyn_len = 0, relro_end = 0;
    bool has_dynamic = false, noted = false, entry_ok = false;
    for (uint16_t i = 0; i < eh.phnum; ++i) {
        const auto ph = read<elf::Phdr>(eh.phoff + uint64_t{i} * sizeof(elf::Phdr));
        switch (ph.type) {
            case elf::kPtInterp:
                return fail("dynamically linked (PT_INTERP); GoOS runs static images");
            case elf::kPtDynamic:
                has_dynamic = true;
                dyn_vaddr = ph.vaddr;
                dyn_len = ph.filesz;
                break;
            case elf::kPtGnuRelro:
                relro_end = ph.vaddr + ph.memsz;
                break;
            case elf::kPtNote:
                if (!in_file(ph.offset, ph.filesz)) return fail("note segment %u lies outside the file", i);
                TRY_VOID(check_notes(ph.offset, ph.filesz, &noted));
                break;
            case elf::kPtLoad: {
                if (plan.nsegs == kMaxSegments) return fail("more than %u loadable segments", unsigned(kMaxSegments));
                if (ph.filesz > ph.memsz) return fail("segment %u: file size exceeds memory size", i);
                if (!in_file(ph.offset, ph.filesz)) return fail("segment %u lies outside the file", i);
                if (ph.vaddr + ph.memsz < ph.vaddr) return fail("segment %u wraps the address space", i);
                if (plan.nsegs && ph.vaddr < end) return fail("segment %u overlaps or precedes the one before", i);
                if (plan.nsegs == 0) plan.lo = ph.vaddr & ~(GOOS_PAGE_SIZE - 1);
                end = ph.vaddr + ph.memsz;
                if ((end - plan.lo) / GOOS_PAGE_SIZE >= kMaxImagePages)
                    return fail("larger than %u pages", unsigned(kMaxImagePages));
                plan.segs[plan.nsegs++] = {ph.offset, ph.vaddr, ph.filesz, ph.memsz, (ph.flags & elf::kPfW) != 0};
                if (ph.flags & elf::kPfX) {
                    if (plan.code_end == 0) plan.code_begin = ph.vaddr;
                    plan.code_end = end;
                    if (eh.entry >= ph.vaddr && eh.entry < end) entry_ok = true;
                }
                break;
            }
            default:
                break;
        }
    }
    if (plan.nsegs == 0) return fail("no loadable segment");
    if (!noted) return fail("not built by goos build (no GoOS build note)");
    if (!entry_ok) return fail("entry point %lx is not in an executable segment", static_cast<unsigned long>(eh.entry));
    plan.pages = static_cast<size_t>((end - plan.lo + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE);
    for (size_t i = 0; i < plan.nsegs; ++i) plan.segs[i].vaddr -= plan.lo;
    plan.entry = eh.entry - plan.lo;
    plan.code_begin -= plan.lo;
    plan.code_end -= plan.lo;
    if (has_dynamic) TRY_VOID(check_dynamic(plan, dyn_vaddr - plan.lo, dyn_len));
    TRY_VOID(check_relocations(plan));
    find_unit(plan, relro_end);
    TRY_VOID(check_vars(plan, eh));
    find_functions(plan, eh);
    return {};
}

bool Checker::find_section(const elf::Ehdr& eh, const char* name, elf::Shdr* out) const {
    if (!has_sections(eh) || eh.shstrndx >= eh.shnum) return false;
    const auto names = read<elf::Shdr>(eh.shoff + uint64_t{eh.shstrndx} * sizeof(elf::Shdr));
    if (names.type != elf::kShtStrtab || !in_file(names.offset, names.size)) return false;
    const size_t len = kstrlen(name);
    for (uint16_t i = 0; i < eh.shnum; ++i) {
        const auto sh = read<elf::Shdr>(eh.shoff + uint64_t{i} * sizeof(elf::Shdr));
        if (sh.name < names.size && names.size - sh.name > len &&
            !memcmp(image_ + names.offset + sh.name, name, len + 1)) {
            *out = sh;
            return true;
        }
    }
    return false;
}

// The writable data's pages, and the read-only unit: from the first page after the code
// to the end of the relocated read-only data (PT_GNU_RELRO, rounded up: its last page is
// the unit's, not a variable's), or else to the first writable page; inside the image.
void Checker::find_unit(Plan& plan, uint64_t relro_end) {
    const uint64_t page = GOOS_PAGE_SIZE;
    for (size_t i = 0; i < plan.nsegs; ++i) {
        const Segment& s = plan.segs[i];
        if (!s.writable) continue;
        const uint64_t lo = s.vaddr & ~(page - 1);
        const uint64_t hi = (s.vaddr + s.memsz + page - 1) & ~(page - 1);
        if (!plan.data_hi || lo < plan.data_lo) plan.data_lo = lo;
        if (hi > plan.data_hi) plan.data_hi = hi;
    }
    const uint64_t span = uint64_t{plan.pages} * page;
    uint64_t hi = plan.data_hi ? plan.data_lo : span;
    if (relro_end > plan.lo && relro_end - plan.lo <= span) hi = (relro_end - plan.lo + page - 1) & ~(page - 1);
    const uint64_t lo = (plan.code_end + page - 1) & ~(page - 1);
    if (lo < hi) {
        plan.unit_lo = lo;
        plan.unit_hi = hi;
    }
}

// The package variables' layout records (abi.h, goos_vars_header), checked whole: a
// record the loader installs is one every program's walks and marks trust for this
// image's data, so a variable outside the writable segments or a bit past a variable's
// end refuses the image.
Result<void> Checker::check_vars(Plan& plan, const elf::Ehdr& eh) {
    elf::Shdr sh;
    if (!find_section(eh, ".goos.vars", &sh))
        return fail("no layout records for its package variables (.goos.vars); goos build makes them");
    if (!in_file(sh.offset, sh.size)) return fail(".goos.vars lies outside the file");
    if (sh.size < sizeof(goos_vars_header)) return fail(".goos.vars is shorter than its header");
    const auto h = read<goos_vars_header>(sh.offset);
    if (h.magic != GOOS_VARS_MAGIC) return fail(".goos.vars does not start with its magic number");
    uint64_t at = sizeof h, end = 0;
    for (uint32_t v = 0; v < h.count; ++v) {
        if (sh.size - at < sizeof(goos_vars_entry)) return fail("variable %u runs past .goos.vars", v);
        const auto e = read<goos_vars_entry>(sh.offset + at);
        at += sizeof e;
        const auto where = static_cast<unsigned long>(e.vaddr);
        if (e.vaddr % 8 || e.size % 8 || e.size == 0) return fail("variable %u at %lx is not whole words", v, where);
        if (e.vaddr < end) return fail("variable %u at %lx overlaps or precedes the one before", v, where);
        bool inside = false;
        for (size_t i = 0; i < plan.nsegs && !inside; ++i) {
            const Segment& s = plan.segs[i];
            const uint64_t rel = e.vaddr - plan.lo;
            inside = s.writable && e.vaddr >= plan.lo && rel >= s.vaddr && rel - s.vaddr < s.memsz &&
                     e.size <= s.memsz - (rel - s.vaddr);
        }
        if (!inside) return fail("variable %u at %lx is not within a writable segment", v, where);
        if (e.vaddr - plan.lo < plan.unit_hi && e.vaddr - plan.lo + e.size > plan.unit_lo)
            return fail("variable %u at %lx lies in the image's read-only data", v, where);
        end = e.vaddr + e.size;
        const uint64_t words = e.size / 8;
        const uint64_t bits_words = (words + 31) / 32;
        if ((sh.size - at) / 8 < bits_words) return fail("variable %u's layout bits run past .goos.vars", v);
        if (words % 32 && read<uint64_t>(sh.offset + at + (bits_words - 1) * 8) >> (words % 32 * 2))
            return fail("variable %u at %lx has layout bits past its end", v, where);
        at += bits_words * 8;
    }
    if (at != sh.size) return fail(".goos.vars has bytes after its last variable");
    plan.vars_off = sh.offset;
    plan.nvars = h.count;
    plan.vars_pages =
        static_cast<size_t>((8 + plan.nvars * sizeof(goos_image_var) + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE);
    return {};
}

void Checker::find_functions(Plan& plan, const elf::Ehdr& eh) const {
    if (!has_sections(eh)) return;
    for (uint16_t i = 0; i < eh.shnum; ++i) {
        const auto sh = read<elf::Shdr>(eh.shoff + uint64_t{i} * sizeof(elf::Shdr));
        if (sh.type != elf::kShtSymtab || sh.entsize != sizeof(elf::Sym) || sh.link >= eh.shnum) continue;
        const auto str = read<elf::Shdr>(eh.shoff + uint64_t{sh.link} * sizeof(elf::Shdr));
        if (str.type != elf::kShtStrtab || !in_file(sh.offset, sh.size) || !in_file(str.offset, str.size)) return;
        plan.sym_off = sh.offset;
        plan.nsyms = sh.size / sizeof(elf::Sym);
        plan.str_off = str.offset;
        plan.str_size = str.size;
        for (uint64_t j = 0; j < plan.nsyms; ++j) {
            const auto s = read<elf::Sym>(plan.sym_off + j * sizeof(elf::Sym));
            if (!usable_function(plan, s)) continue;
            ++plan.nfuncs;
            plan.names_bytes += kstrlen(reinterpret_cast<const char*>(image_ + plan.str_off + s.name)) + 1;
        }
        if (plan.nfuncs > kMaxFuncs || plan.names_bytes > kMaxNames) plan.nfuncs = plan.names_bytes = 0;
        const uint64_t bytes = plan.nfuncs * sizeof(goos_symbol) + plan.names_bytes;
        plan.table_pages = static_cast<size_t>((bytes + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE);
        return;
    }
}

Result<void> Checker::check_notes(uint64_t off, uint64_t len, bool* found) {
    static constexpr char kOwner[] = "GoOS";
    uint64_t at = 0;
    while (len - at >= sizeof(elf::Nhdr)) {
        const auto nh = read<elf::Nhdr>(off + at);
        at += sizeof nh;
        const uint64_t name_len = (uint64_t{nh.namesz} + 3) & ~uint64_t{3};
        const uint64_t desc_len = (uint64_t{nh.descsz} + 3) & ~uint64_t{3};
        if (name_len > len - at || desc_len > len - at - name_len) return fail("a note runs past its segment");
        if (nh.namesz == sizeof kOwner && !memcmp(image_ + off + at, kOwner, sizeof kOwner) &&
            nh.type == GOOS_NOTE_BUILD) {
            if (nh.descsz != 4) return fail("GoOS build note of %u bytes, not 4", nh.descsz);
            const auto version = read<uint32_t>(off + at + name_len);
            if (version != GOOS_ABI_VERSION)
                return fail("built for GoOS ABI %u; this kernel runs ABI %u", version, GOOS_ABI_VERSION);
            *found = true;
        }
        at += name_len + desc_len;
    }
    return {};
}

Result<void> Checker::check_dynamic(Plan& plan, uint64_t vaddr, uint64_t len) {
    uint64_t off = 0;
    if (len % sizeof(elf::Dyn) || !file_offset(plan, vaddr, len, &off))
        return fail("dynamic section is not within a loaded segment's file part");
    uint64_t table[2] = {}, size[2] = {}, relaent = sizeof(elf::Rela), pltrel = elf::kDtRela;
    uint64_t symtab = 0, syment = sizeof(elf::Sym), strtab = 0, strsz = 0;
    for (uint64_t at = 0; at < len; at += sizeof(elf::Dyn)) {
        const auto d = read<elf::Dyn>(off + at);
        if (d.tag == elf::kDtNull) break;
        switch (d.tag) {
            case elf::kDtNeeded:
                return fail("needs shared libraries (DT_NEEDED)");
            case elf::kDtRel:
            case elf::kDtRelSz:
                if (d.val) return fail("has REL relocations; x86-64 images use RELA");
                break;
            case elf::kDtRela:
                table[0] = d.val;
                break;
            case elf::kDtRelaSz:
                size[0] = d.val;
                break;
            case elf::kDtRelaEnt:
                relaent = d.val;
                break;
            case elf::kDtJmpRel:
                table[1] = d.val;
                break;
            case elf::kDtPltRelSz:
                size[1] = d.val;
                break;
            case elf::kDtPltRel:
                pltrel = d.val;
                break;
            case elf::kDtSymTab:
                symtab = d.val;
                break;
            case elf::kDtSymEnt:
                syment = d.val;
                break;
            case elf::kDtStrTab:
                strtab = d.val;
                break;
            case elf::kDtStrSz:
                strsz = d.val;
                break;
            default:
                break;
        }
    }
    if (relaent != sizeof(elf::Rela))
        return fail("relocation entries of %lu bytes, not 24", static_cast<unsigned long>(relaent));
    if (size[1] && pltrel != elf::kDtRela) return fail("has REL relocations; x86-64 images use RELA");
    for (int t = 0; t < 2; ++t) {
        if (!size[t]) continue;
        if (size[t] % sizeof(elf::Rela) || table[t] < plan.lo ||
            !file_offset(plan, table[t] - plan.lo, size[t], &plan.rela_off[t]))
            return fail("relocation table is not within a loaded segment's file part");
        plan.nrela[t] = size[t] / sizeof(elf::Rela);
    }
    if (symtab) {
        if (syment != sizeof(elf::Sym))
            return fail("dynamic symbols of %lu bytes, not 24", static_cast<unsigned long>(syment));
        if (symtab < plan.lo || strtab < plan.lo || !file_offset(plan, symtab - plan.lo, 0, &plan.dsym_off) ||
            !file_offset(plan, strtab - plan.lo, strsz, &plan.dstr_off))
            return fail("dynamic symbols are not within a loaded segment's file part");
        // The table's length is not in the dynamic section; what its segment's file part
        // holds bounds every index a relocation may name.
        const uint64_t n = file_room(plan, symtab - plan.lo) / sizeof(elf::Sym);
        plan.ndsyms = n < kMaxDynSyms ? n : kMaxDynSyms;
        plan.dstr_size = strsz;
    }
    return {};
}

// Whether the name at offset `name` of the dynamic strings ends within them.
bool Checker::dynamic_name(const Plan& plan, uint32_t name) const {
    return name < plan.dstr_size && memchr_(image_ + plan.dstr_off + name, plan.dstr_size - name);
}

bool Checker::is_descriptor(const Plan& plan, const elf::Sym& s) const {
    if (s.shndx == elf::kShnUndef || (s.info & 0xf) != elf::kSttObject || !dynamic_name(plan, s.name)) return false;
    const char* name = dynamic_symbol_name(plan, s);
    const size_t n = kstrlen(name);
    return (n > 3 && name[n - 3] == '.' && name[n - 2] == '.' && (name[n - 1] == 'd' || name[n - 1] == 'p')) ||
           (n > 6 && memcmp(name, "type..", 6) == 0);
}

Result<void> Checker::check_relocations(Plan& plan) {
    const uint64_t span = uint64_t{plan.pages} * GOOS_PAGE_SIZE;
    for (int t = 0; t < 2; ++t) {
        for (uint64_t i = 0; i < plan.nrela[t]; ++i) {
            const auto r = read<elf::Rela>(plan.rela_off[t] + i * sizeof(elf::Rela));
            const auto type = static_cast<uint32_t>(r.info);
            const auto n = static_cast<unsigned long>(i);
            if (type == elf::kRelNone) continue;
            if (type != elf::kRelRelative && type != elf::kRel64 && type != elf::kRelGlobDat &&
                type != elf::kRelJumpSlot)
                return fail("relocation %lu has type %u; RELATIVE, 64, GLOB_DAT and JUMP_SLOT are supported", n, type);
            if (r.offset < plan.lo || r.offset - plan.lo > span - 8)
                return fail("relocation %lu patches %lx, outside the image", n, static_cast<unsigned long>(r.offset));
            const uint64_t index = r.info >> 32;
            if (type == elf::kRelRelative || index == 0) continue;
            if (index >= plan.ndsyms)
                return fail("relocation %lu names symbol %lu, past the symbol table", n,
                            static_cast<unsigned long>(index));
            const auto s = read<elf::Sym>(plan.dsym_off + index * sizeof(elf::Sym));
            if (!dynamic_name(plan, s.name))
                return fail("relocation %lu names a symbol whose name is not within the strings", n);
            const char* name = reinterpret_cast<const char*>(image_ + plan.dstr_off + s.name);
            if (s.shndx == elf::kShnUndef) {
                if ((s.info >> 4) != elf::kStbWeak) return fail("needs %s, which it does not define", name);
            } else if (s.value < plan.lo || s.value - plan.lo >= span) {
                return fail("symbol %s lies outside the image", name);
            }
            if (is_descriptor(plan, s)) {
                ++plan.desc_relocs;
                if (index + 1 > plan.desc_syms) plan.desc_syms = index + 1;
            }
        }
    }
    return {};
}

// What relocation r writes into an image placed at delta (its base minus plan.lo): for a
// symbol, its address in the image, or 0 for a weak one no one defines. r was checked.
uint64_t relocated(const uint8_t* image, const Plan& plan, const elf::Rela& r, uint64_t delta) {
    const auto type = static_cast<uint32_t>(r.info);
    if (type == elf::kRelRelative) return delta + static_cast<uint64_t>(r.addend);
    uint64_t sym = 0;
    if (const uint64_t index = r.info >> 32) {
        elf::Sym s;
        memcpy(&s, image + plan.dsym_off + index * sizeof s, sizeof s);
        if (s.shndx != elf::kShnUndef) sym = delta + s.value;
    }
    return type == elf::kRel64 ? sym + static_cast<uint64_t>(r.addend) : sym;
}

// Copies the checked image into memory at base, zeroes what the file leaves out and
// applies the relocations.
void place(const uint8_t* image, const Plan& plan, uint8_t* base) {
    memset(base, 0, plan.pages * GOOS_PAGE_SIZE);
    for (size_t i = 0; i < plan.nsegs; ++i)
        memcpy(base + plan.segs[i].vaddr, image + plan.segs[i].offset, plan.segs[i].filesz);
    const auto delta = reinterpret_cast<uint64_t>(base) - plan.lo;
    for (int t = 0; t < 2; ++t) {
        for (uint64_t i = 0; i < plan.nrela[t]; ++i) {
            elf::Rela r;
            memcpy(&r, image + plan.rela_off[t] + i * sizeof r, sizeof r);
            if (static_cast<uint32_t>(r.info) == elf::kRelNone) continue;
            const uint64_t value = relocated(image, plan, r, delta);
            memcpy(base + (r.offset - plan.lo), &value, sizeof value);
        }
    }
}

// The function table after the start-info page: entries sorted by offset (a heap sort:
// no allocation, no recursion), then their names.
void place_functions(const Checker& checker, const Plan& plan, uint8_t* table, goos_symbol** symbols,
                     const char** names) {
    auto* syms = reinterpret_cast<goos_symbol*>(table);
    char* out = reinterpret_cast<char*>(table + plan.nfuncs * sizeof(goos_symbol));
    *symbols = syms;
    *names = out;
    uint64_t n = 0, at = 0;
    for (uint64_t j = 0; j < plan.nsyms && n < plan.nfuncs; ++j) {
        elf::Sym s;
        memcpy(&s, checker.bytes() + plan.sym_off + j * sizeof s, sizeof s);
        if (!checker.usable_function(plan, s)) continue;
        const char* name = reinterpret_cast<const char*>(checker.bytes() + plan.str_off + s.name);
        const size_t len = kstrlen(name);
        memcpy(out + at, name, len + 1);
        syms[n++] = {static_cast<uint32_t>(s.value - plan.lo), static_cast<uint32_t>(s.size), static_cast<uint32_t>(at),
                     0};
        at += len + 1;
    }
    auto sift = [syms](uint64_t root, uint64_t end) {
        while (2 * root + 1 < end) {
            uint64_t child = 2 * root + 1;
            if (child + 1 < end && syms[child].offset < syms[child + 1].offset) ++child;
            if (syms[root].offset >= syms[child].offset) return;
            const goos_symbol tmp = syms[root];
            syms[root] = syms[child];
            syms[child] = tmp;
            root = child;
        }
    };
    for (uint64_t i = n / 2; i-- > 0;) sift(i, n);
    for (uint64_t end = n; end > 1; --end) {
        const goos_symbol tmp = syms[0];
        syms[0] = syms[end - 1];
        syms[end - 1] = tmp;
        sift(0, end - 1);
    }
}

// The variables' layout records (abi.h): their bits, the variable table (on pages of its
// own, which whoever reaches a variable holds with it), a head naming the table on every
// page of the writable data past the read-only unit, and the unit's heads. The bits of the
// process's other pages say nothing: pool pages come back with their last user's bits.
void place_vars(const uint8_t* image, const Plan& plan, uint8_t* base, uint64_t* table) {
    const auto at = reinterpret_cast<uintptr_t>(base);
    k.pages.clear_layout(at, plan.total_pages());
    const auto delta = at - plan.lo;
    uint64_t off = plan.vars_off + sizeof(goos_vars_header);
    table[0] = plan.nvars;
    for (uint64_t v = 0; v < plan.nvars; ++v) {
        goos_vars_entry e;
        memcpy(&e, image + off, sizeof e);
        off += sizeof e;
        table[1 + v * 2] = e.vaddr + delta;
        table[2 + v * 2] = e.size;
        const uint64_t words = e.size / 8;
        for (uint64_t w = 0; w < words; w += 32) {
            uint64_t bits;
            memcpy(&bits, image + off, sizeof bits);
            off += sizeof bits;
            for (unsigned i = 0; bits && w + i < words; ++i, bits >>= 2)
                if (bits & 3) k.pages.set_layout_kind(e.vaddr + delta + (w + i) * 8, bits & 3);
        }
    }
    // The variables' pages: the writable data past the read-only unit.
    const uint64_t data_lo = plan.data_lo > plan.unit_hi ? plan.data_lo : plan.unit_hi;
    const auto npages = static_cast<uint32_t>(plan.data_hi > data_lo ? (plan.data_hi - data_lo) / GOOS_PAGE_SIZE : 0);
    const auto index = static_cast<uint32_t>(k.pages.index_of(reinterpret_cast<uintptr_t>(table)));
    for (uint32_t i = 0; i < npages; ++i)
        k.pages.layout_head(at + data_lo + i * GOOS_PAGE_SIZE) =
            goos_layout_head{(at + data_lo) | GOOS_LAYOUT_IMAGE, index, npages};
    const auto unit = static_cast<uint32_t>((plan.unit_hi - plan.unit_lo) / GOOS_PAGE_SIZE);
    for (uint32_t i = 0; i < unit; ++i)
        k.pages.layout_head(at + plan.unit_lo + i * GOOS_PAGE_SIZE) =
            goos_layout_head{(at + plan.unit_lo) | GOOS_LAYOUT_IMAGE_RO, 0, unit};
}

// Binds every relocation that names a type descriptor to the type segment's descriptor for
// its type (DESIGN.md, "One descriptor per type"); place() bound them to the image's own.
// All are bound before any is rewritten, so that the encoder reads the image's descriptors
// as the image made them. The descriptors that carry methods give the process its method
// sets, sorted by type (a type named twice keeps the set that has methods). Returns how
// many sets there are.
Result<uint64_t> bind_types(const Checker& checker, const Plan& plan, Process* p, uint8_t* base, goos_method_set* sets,
                            LoadError* why) {
    if (!plan.desc_syms) return uint64_t{0};
    const size_t canon_pages = (plan.desc_syms * sizeof(uintptr_t) + GOOS_PAGE_SIZE - 1) / GOOS_PAGE_SIZE;
    auto* canon = static_cast<uintptr_t*>(k.pages.alloc(canon_pages, PageUse::Types));
    if (!canon) return Error::NO_MEMORY;
    memset(canon, 0, canon_pages * GOOS_PAGE_SIZE);
    const auto delta = reinterpret_cast<uint64_t>(base) - plan.lo;
    ImageTypes types(p, reinterpret_cast<uintptr_t>(base),
                     reinterpret_cast<uintptr_t>(base) + plan.pages * GOOS_PAGE_SIZE);
    auto each_descriptor_reloc = [&](auto&& fn) -> Result<void> {
        for (int t = 0; t < 2; ++t) {
            for (uint64_t i = 0; i < plan.nrela[t]; ++i) {
                elf::Rela r;
                memcpy(&r, checker.bytes() + plan.rela_off[t] + i * sizeof r, sizeof r);
                const auto type = static_cast<uint32_t>(r.info);
                const uint64_t index = r.info >> 32;
                if (type == elf::kRelNone || type == elf::kRelRelative || index == 0 || index >= plan.desc_syms)
                    continue;
                elf::Sym s;
                memcpy(&s, checker.bytes() + plan.dsym_off + index * sizeof s, sizeof s);
                if (checker.is_descriptor(plan, s)) TRY_VOID(fn(r, index, s));
            }
        }
        return {};
    };
    uint64_t nsets = 0;
    Result<void> bound =
        each_descriptor_reloc([&](const elf::Rela&, uint64_t index, const elf::Sym& s) -> Result<void> {
            if (canon[index]) return {};
            char reason[64];
            Buf because(reason, sizeof reason);
            const uintptr_t own = delta + s.value;
            Result<const goos_go::Type*> t = types.bind(own, because);
            if (!t.ok()) {
                if (why)
                    Buf(why->text, sizeof why->text)
                        .str("type descriptor ")
                        .str(checker.dynamic_symbol_name(plan, s))
                        .str(" ")
                        .str(reason);
                return t.error();
            }
            canon[index] = reinterpret_cast<uintptr_t>(t.value());
            const auto* d = reinterpret_cast<const goos_go::Type*>(own);
            const auto* u = static_cast<const goos_go::Uncommon*>(d->uncommon);  // read by bind: within the image
            if (u && u->nmethods > 0) sets[nsets++] = goos_method_set{t.value(), d};
            return {};
        });
    if (bound.ok())
        bound = each_descriptor_reloc([&](const elf::Rela& r, uint64_t index, const elf::Sym&) -> Result<void> {
            const uint64_t value = static_cast<uint32_t>(r.info) == elf::kRel64
                                       ? canon[index] + static_cast<uint64_t>(r.addend)
                                       : canon[index];
            memcpy(base + (r.offset - plan.lo), &value, sizeof value);
            return {};
        });
    k.pages.free(canon, canon_pages);
    if (!bound.ok()) return bound.error();
    // By type (an insertion sort: most images have few types with methods), then one set
    // per type.
    for (uint64_t i = 1; i < nsets; ++i)
        for (uint64_t j = i; j > 0 && sets[j - 1].type > sets[j].type; --j) {
            const goos_method_set tmp = sets[j];
            sets[j] = sets[j - 1];
            sets[j - 1] = tmp;
        }
    uint64_t kept = 0;
    for (uint64_t i = 0; i < nsets; ++i)
        if (!kept || sets[kept - 1].type != sets[i].type) sets[kept++] = sets[i];
    return kept;
}

// The image's own methods (DESIGN.md, "Methods stay with their program"): each method of
// each method set gets its identity's slot, and the process's table this image's code for
// it. Then every static method table of the image (gccgo's imt.. and pimt.. objects, found
// by the symbol table) is rewritten in place to hold the slots' stubs, so that a value
// carrying it runs the methods of whichever program calls. The image is untrusted: every
// pointer read is checked to lie within it, and code within its code.
Result<void> define_methods(const Checker& checker, const Plan& plan, Process* p, uint8_t* base,
                            const goos_method_set* sets, uint64_t nsets, LoadError* why) {
    if (!nsets) return {};
    const auto lo = reinterpret_cast<uintptr_t>(base);
    const uintptr_t hi = lo + plan.pages * GOOS_PAGE_SIZE;
    auto within = [&](const void* at, uint64_t len) {
        const auto a = reinterpret_cast<uintptr_t>(at);
        return a >= lo && a <= hi && len <= hi - a && a % 8 == 0;
    };
    auto refuse = [&](const char* what, const char* name) {
        if (why) Buf(why->text, sizeof why->text).str(what).str(name ? name : "");
        return Error::BAD_IMAGE;
    };
    const goos_go::String none{nullptr, 0};
    // A set's methods, checked.
    auto methods_of = [&](const goos_method_set& set, const goos_go::Method** out, intptr_t* n) {
        const auto* u = static_cast<const goos_go::Uncommon*>(set.own->uncommon);
        if (!within(u, sizeof *u) || u->nmethods < 0 || u->nmethods > (1 << 20) ||
            !within(u->methods, static_cast<uint64_t>(u->nmethods) * sizeof(goos_go::Method)))
            return false;
        *out = u->methods;
        *n = u->nmethods;
        return true;
    };
    auto string_ok = [&](const goos_go::String* str) {
        return !str || (within(str, sizeof *str) && str->len >= 0 &&
                        (str->len == 0 ||
                         (reinterpret_cast<uintptr_t>(str->ptr) >= lo && reinterpret_cast<uintptr_t>(str->ptr) <= hi &&
                          static_cast<uint64_t>(str->len) <= hi - reinterpret_cast<uintptr_t>(str->ptr))));
    };
    for (uint64_t i = 0; i < nsets; ++i) {
        const goos_go::Method* ms = nullptr;
        intptr_t n = 0;
        if (!methods_of(sets[i], &ms, &n)) return refuse("type has a method list outside the image", nullptr);
        for (intptr_t j = 0; j < n; ++j) {
            const goos_go::Method& m = ms[j];
            const auto code = reinterpret_cast<uintptr_t>(m.tfn);
            if (!m.name || !string_ok(m.name) || !string_ok(m.pkg_path))
                return refuse("a method's name lies outside the image", nullptr);
            if (!type_is_descriptor(m.mtyp)) return refuse("a method's type is not bound to the type segment", nullptr);
            if (code < p->code_begin || code >= p->code_end)
                return refuse("a method's code lies outside the image's code", nullptr);
            const uint32_t slot = TRY(method_slot(sets[i].type, *m.name, m.pkg_path ? *m.pkg_path : none, m.mtyp));
            TRY_VOID(method_define(p, slot, code));
        }
    }
    if (!plan.nsyms) return refuse("has methods but no symbol table to find its method tables by", nullptr);
    const auto delta = lo - plan.lo;
    for (uint64_t j = 0; j < plan.nsyms; ++j) {
        elf::Sym sym;
        memcpy(&sym, checker.bytes() + plan.sym_off + j * sizeof sym, sizeof sym);
        if ((sym.info & 0xf) != elf::kSttObject || sym.name >= plan.str_size) continue;
        const char* name = reinterpret_cast<const char*>(checker.bytes() + plan.str_off + sym.name);
        const size_t room = plan.str_size - sym.name;
        const bool imt = (room > 5 && memcmp(name, "imt..", 5) == 0) || (room > 6 && memcmp(name, "pimt..", 6) == 0);
        if (!imt) continue;
        auto* table = reinterpret_cast<uintptr_t*>(delta + sym.value);
        if (sym.size < 16 || sym.size % 8 || !within(table, sym.size))
            return refuse("method table lies outside the image: ", name);
        const auto* type = reinterpret_cast<const goos_go::Type*>(table[0]);
        const goos_method_set* set = nullptr;
        for (uint64_t lo_i = 0, hi_i = nsets; lo_i < hi_i && !set;) {
            const uint64_t mid = lo_i + (hi_i - lo_i) / 2;
            if (sets[mid].type == type)
                set = &sets[mid];
            else if (sets[mid].type < type)
                lo_i = mid + 1;
            else
                hi_i = mid;
        }
        if (!set) return refuse("method table of a type without methods: ", name);
        const goos_go::Method* ms = nullptr;
        intptr_t n = 0;
        methods_of(*set, &ms, &n);
        for (uint64_t w = 1; w < sym.size / 8; ++w) {
            intptr_t m = 0;
            while (m < n && reinterpret_cast<uintptr_t>(ms[m].tfn) != table[w]) ++m;
            if (m == n) return refuse("method table names code that is no method of its type: ", name);
            const uint32_t slot =
                TRY(method_slot(set->type, *ms[m].name, ms[m].pkg_path ? *ms[m].pkg_path : none, ms[m].mtyp));
            table[w] = method_stub(slot);
        }
    }
    return {};
}

}  // namespace

Result<Process*> process_load(const char* name, const uint8_t* image, size_t size, LoadError* why) {
    Plan plan;
    Checker checker(image, size, why);
    TRY_VOID(checker.check(plan));
    auto no_memory = [&](const char* what) {
        if (why) Buf(why->text, sizeof why->text).str(what);
        return Error::NO_MEMORY;
    };
    const size_t total = plan.total_pages();
    if (total > k.config.process_page_limit) return no_memory("image is larger than a process may be");
    auto created = process_create(name);
    if (!created.ok()) return no_memory("no free process slot");
    Process* p = created.value();
    // The image's pages come from the program's own arenas, as its heap's do.
    auto* base = static_cast<uint8_t*>(k.pages.alloc(total, PageUse::Process, p->slot));
    if (!base) {
        process_discard(p);
        return no_memory("not enough contiguous free pages for the image");
    }
    place(image, plan, base);
    auto* sets = reinterpret_cast<goos_method_set*>(base + (plan.pages + 1 + plan.table_pages + plan.vars_pages) *
                                                               GOOS_PAGE_SIZE);
    Result<uint64_t> nsets = bind_types(checker, plan, p, base, sets, why);
    // The methods' code ranges are the process's (set below for the running program).
    p->code_begin = reinterpret_cast<uintptr_t>(base) + plan.code_begin;
    p->code_end = reinterpret_cast<uintptr_t>(base) + plan.code_end;
    if (nsets.ok()) {
        const Result<void> defined = define_methods(checker, plan, p, base, sets, nsets.value(), why);
        if (!defined.ok()) nsets = defined.error();
    }
    const void* zerobase = type_zero_value();
    if (nsets.ok() && !zerobase) nsets = Error::NO_MEMORY;
    if (!nsets.ok()) {
        k.pages.free(base, total);
        process_discard(p);
        if (nsets.error() == Error::NO_MEMORY) return no_memory("no memory for the image's types");
        return nsets.error();
    }
    place_vars(image, plan, base,
               reinterpret_cast<uint64_t*>(base + (plan.pages + 1 + plan.table_pages) * GOOS_PAGE_SIZE));
    ledger_adopt_pages(p, reinterpret_cast<uintptr_t>(base), total);
    auto* info = reinterpret_cast<goos_start_info*>(base + plan.pages * GOOS_PAGE_SIZE);
    memset(info, 0, (1 + plan.table_pages) * GOOS_PAGE_SIZE);  // pool pages come back dirty
    info->version = GOOS_ABI_VERSION;
    p->info = info;
    info->pid = p->pid;
    info->syscall = syscall_entry;
    info->block_hook = hal::Arch::block_hook();
    // Each program seeds its maps from a seed of its own (DESIGN.md, "Maps"): from the
    // run's seed and its pid in a deterministic run, unpredictable otherwise.
    info->hash_seed = k.config.deterministic ? mix64(k.config.seed ^ mix64(p->pid)) : hal::Arch::entropy();
    info->pool_base = hal::Arch::pool_base();
    info->pool_pages = hal::Arch::pool_pages();
    info->layout_bits = k.pages.layout_bits();
    info->layout_heads = k.pages.layout_heads();
    info->shared_bits = k.pages.shared_bits();
    info->dirty_bits = k.pages.dirty_bits();
    info->walked_bits = k.pages.walked_bits();
    info->barrier_store = goos_barrier_store;
    info->barrier_copy = goos_barrier_copy;
    info->type_equal = goos_type_equal;
    info->type_hash = goos_type_hash;
    info->methods = sets;
    info->nmethods = nsets.value();
    info->zerobase = zerobase;
    memcpy(info->name, p->name, sizeof info->name - 1);
    info->image_base = reinterpret_cast<uint64_t>(base);
    info->image_end = info->image_base + plan.pages * GOOS_PAGE_SIZE;
    if (plan.nfuncs) {
        goos_symbol* symbols = nullptr;
        const char* names = nullptr;
        place_functions(checker, plan, base + (plan.pages + 1) * GOOS_PAGE_SIZE, &symbols, &names);
        info->symbols = symbols;
        info->nsymbols = plan.nfuncs;
        info->symbol_names = names;
    }
    const auto entry = reinterpret_cast<ProgramEntry>(base + plan.entry);
    // A failed start has already taken the process and its pages away again.
    if (!process_start(p, entry, reinterpret_cast<uint64_t>(info)).ok())
        return no_memory("no memory for the program's first thread");
    return p;
}

}  // namespace kernel
