// The program loader (kernel/loader.cpp): a well-formed image is loaded, relocated and run
// as a process; each kind of malformed image is refused with its reason, and a refusal
// takes no page and creates no process.
//
// The images are made here, byte by byte, so that each test breaks exactly one rule: a
// static-pie ELF64 with one loadable segment (headers, code, a relocated data word, the
// dynamic section, the relocation table and the GoOS build note), and past it the section
// headers: the package variables' layout records (.goos.vars: the data word is a variable
// holding a pointer) and, when asked, a symbol table.
#include <string.h>

#include <string>
#include <vector>

#include <kernel/elf.h>
#include <kernel/loader.h>

#include "harness.h"

namespace {

namespace elf = kernel::elf;

// Offsets within the image file (= virtual addresses: the segment starts at 0).
constexpr uint64_t kPhoff = 64;
constexpr int kPhnum = 3;  // LOAD, DYNAMIC, NOTE
constexpr uint64_t kCode = 0x100;
constexpr uint64_t kSlot = 0x180;  // a data word: base + 42 after relocation
constexpr uint64_t kDynamic = 0x200;
constexpr uint64_t kRela = 0x280;
constexpr uint64_t kNote = 0x300;
constexpr uint64_t kFileSize = 0x400;
constexpr int64_t kAddend = 42;

struct ImageBuilder {
    std::vector<uint8_t> bytes = std::vector<uint8_t>(kFileSize);
    elf::Ehdr eh{};
    elf::Phdr load{}, dynamic{}, note{};
    std::vector<elf::Dyn> dyn;
    elf::Rela rela{};
    uint32_t note_type = GOOS_NOTE_BUILD;
    uint32_t note_version = GOOS_ABI_VERSION;
    bool with_note = true;
    // Exit status: *slot - base (0), the number of function symbols (1), or the first
    // symbol's offset / 16 (2).
    int code_mode = 0;
    bool with_symbols = false;
    bool with_vars = true;
    // .goos.vars: the header, then variables as {vaddr, size, bits...} words.
    goos_vars_header vars_header{GOOS_VARS_MAGIC, 1};
    std::vector<uint64_t> vars = {kSlot, 8, GOOS_LAYOUT_POINTER};

    ImageBuilder() {
        memcpy(eh.ident, "\x7f" "ELF", 4);
        eh.ident[4] = elf::kClass64;
        eh.ident[5] = elf::kData2Lsb;
        eh.ident[6] = 1;
        eh.type = elf::kTypeDyn;
        eh.machine = elf::kMachineX86_64;
        eh.version = 1;
        eh.entry = kCode;
        eh.phoff = kPhoff;
        eh.ehsize = sizeof(elf::Ehdr);
        eh.phentsize = sizeof(elf::Phdr);
        eh.phnum = kPhnum;
        load = {elf::kPtLoad, elf::kPfX | elf::kPfW | 4, 0, 0, 0, kFileSize, kFileSize + 0x2000, 0x1000};
        dynamic = {elf::kPtDynamic, 4, kDynamic, kDynamic, kDynamic, 4 * sizeof(elf::Dyn), 4 * sizeof(elf::Dyn), 8};
        note = {elf::kPtNote, 4, kNote, kNote, kNote, 24, 24, 4};
        dyn = {{elf::kDtRela, kRela}, {elf::kDtRelaSz, sizeof(elf::Rela)}, {elf::kDtRelaEnt, sizeof(elf::Rela)},
               {elf::kDtNull, 0}};
        rela = {kSlot, elf::kRelRelative, kAddend};
    }

    // The program: exit(*slot - base), i.e. status 42 when the relocation was applied
    // against the address the image was loaded at.
    void write_code() {
        const auto rip_disp = [](uint64_t next, uint64_t target) {
            return static_cast<uint32_t>(static_cast<int64_t>(target) - static_cast<int64_t>(next));
        };
        std::vector<uint8_t> c = {0x48, 0x8b, 0x47, 0x08};  // mov rax, [rdi+8]: info->syscall
        auto emit32 = [&](uint32_t v) {
            for (int i = 0; i < 4; ++i) c.push_back(static_cast<uint8_t>(v >> (8 * i)));
        };
        if (code_mode != 0) {
            if (code_mode == 1) {
                c.insert(c.end(), {0x48, 0x8b, 0xb7});  // mov rsi, [rdi+nsymbols]
                emit32(offsetof(goos_start_info, nsymbols));
            } else {
                c.insert(c.end(), {0x48, 0x8b, 0x8f});  // mov rcx, [rdi+symbols]
                emit32(offsetof(goos_start_info, symbols));
                c.insert(c.end(), {0x8b, 0x31});        // mov esi, [rcx]: symbols[0].offset
                c.insert(c.end(), {0xc1, 0xee, 0x04});  // shr esi, 4: an exit status is a byte
            }
            c.push_back(0xbf);  // mov edi, GOOS_SYS_exit
            emit32(GOOS_SYS_exit);
            c.insert(c.end(), {0xff, 0xe0});  // jmp rax
            memcpy(bytes.data() + kCode, c.data(), c.size());
            return;
        }
        c.insert(c.end(), {0x48, 0x8b, 0x35});  // mov rsi, [rip+slot]
        emit32(rip_disp(kCode + c.size() + 4, kSlot));
        c.insert(c.end(), {0x48, 0x8d, 0x15});  // lea rdx, [rip+0]: the load base
        emit32(rip_disp(kCode + c.size() + 4, 0));
        c.insert(c.end(), {0x48, 0x29, 0xd6});  // sub rsi, rdx
        c.push_back(0xbf);                      // mov edi, GOOS_SYS_exit
        emit32(GOOS_SYS_exit);
        c.insert(c.end(), {0xff, 0xe0});  // jmp rax: syscall(exit, *slot - base)
        memcpy(bytes.data() + kCode, c.data(), c.size());
    }

    std::vector<uint8_t> build() {
        write_code();
        memcpy(bytes.data(), &eh, sizeof eh);
        memcpy(bytes.data() + kPhoff, &load, sizeof load);
        memcpy(bytes.data() + kPhoff + sizeof(elf::Phdr), &dynamic, sizeof dynamic);
        memcpy(bytes.data() + kPhoff + 2 * sizeof(elf::Phdr), &note, sizeof note);
        memcpy(bytes.data() + kDynamic, dyn.data(), dyn.size() * sizeof(elf::Dyn));
        memcpy(bytes.data() + kRela, &rela, sizeof rela);
        if (with_note) {
            const uint32_t nh[3] = {5, 4, note_type};
            memcpy(bytes.data() + kNote, nh, sizeof nh);
            memcpy(bytes.data() + kNote + 12, "GoOS\0\0\0", 8);
            memcpy(bytes.data() + kNote + 20, &note_version, 4);
        }
        const uint64_t zero = 0;
        memcpy(bytes.data() + kSlot, &zero, 8);
        add_sections();
        return bytes;
    }

    uint64_t append(const void* p, size_t n) {
        while (bytes.size() % 8) bytes.push_back(0);
        const uint64_t at = bytes.size();
        const auto* b = static_cast<const uint8_t*>(p);
        bytes.insert(bytes.end(), b, b + n);
        return at;
    }

    // Section headers past the loaded part: the section names, .goos.vars and, with
    // symbols, a symbol table with two functions, listed in descending address order, an
    // object, and their strings.
    void add_sections() {
        const char names[] = "\0.shstrtab\0.goos.vars\0.nothing";
        const uint64_t names_off = append(names, sizeof names);
        std::vector<uint8_t> v(sizeof vars_header + vars.size() * 8);
        memcpy(v.data(), &vars_header, sizeof vars_header);
        memcpy(v.data() + sizeof vars_header, vars.data(), vars.size() * 8);
        const uint64_t vars_off = append(v.data(), v.size());
        std::vector<elf::Shdr> sh = {{},
                                     {1, elf::kShtStrtab, 0, 0, names_off, sizeof names, 0, 0, 1, 0},
                                     {with_vars ? 11u : 22u, 1, 0, 0, vars_off, v.size(), 0, 0, 8, 0}};
        if (with_symbols) add_symbols(sh);
        const uint64_t sh_off = append(sh.data(), sh.size() * sizeof(elf::Shdr));
        elf::Ehdr with = eh;
        with.shoff = sh_off;
        with.shentsize = sizeof(elf::Shdr);
        with.shnum = static_cast<uint16_t>(sh.size());
        with.shstrndx = 1;
        memcpy(bytes.data(), &with, sizeof with);
    }

    void add_symbols(std::vector<elf::Shdr>& sh) {
        const char strings[] = "\0late\0early\0data";
        const uint64_t str_off = append(strings, sizeof strings);
        const elf::Sym syms[] = {{0, 0, 0, 0, 0, 0},
                                 {1, elf::kSttFunc, 0, 1, kCode + 0x20, 8},
                                 {6, elf::kSttFunc, 0, 1, kCode, 16},
                                 {12, 1 /* STT_OBJECT */, 0, 1, kSlot, 8}};
        const uint64_t sym_off = append(syms, sizeof syms);
        const auto link = static_cast<uint32_t>(sh.size() + 1);
        sh.push_back({0, elf::kShtSymtab, 0, 0, sym_off, sizeof syms, link, 1, 8, sizeof(elf::Sym)});
        sh.push_back({0, elf::kShtStrtab, 0, 0, str_off, sizeof strings, 0, 0, 1, 0});
    }
};

sim::Outcome run_image(std::vector<uint8_t> bytes) {
    sim::Options options;
    options.quiet = true;
    options.console = false;
    std::vector<sim::Image> images{{"img", std::move(bytes)}};
    return sim::run_programs(nullptr, 0, options, images);
}

// Runs the image and expects a refusal whose reason contains `reason`, with nothing left
// behind.
void expect_refused(std::vector<uint8_t> bytes, const std::string& reason) {
    const sim::Outcome out = run_image(std::move(bytes));
    ASSERT_EQ(out.refused.size(), 1u);
    EXPECT_NE(out.refused[0].find(reason), std::string::npos) << "reason was: " << out.refused[0];
    EXPECT_TRUE(out.exits.empty());
    EXPECT_EQ(out.run.stats.processes_created, 0u);
    EXPECT_EQ(out.ledger.pages_allocated, 0u);
    EXPECT_EQ(out.ledger.pages_in_use, 0u);
    EXPECT_TRUE(out.invariants_ok);
}

TEST(Loader, WellFormedImageIsRelocatedAgainstItsLoadAddressAndRuns) {
    const sim::Outcome out = run_image(ImageBuilder().build());
    ASSERT_TRUE(out.refused.empty()) << out.refused[0];
    ASSERT_EQ(out.exits.size(), 1u);
    EXPECT_EQ(out.exits[0].status, kAddend);
    EXPECT_EQ(out.exits[0].name, "img");
    // The segment's memory size (with its zeroed tail), the start-info page and the page
    // of the variable table.
    EXPECT_EQ(out.ledger.pages_allocated, 5u);
    EXPECT_EQ(out.ledger.pages_in_use, 0u);
    EXPECT_TRUE(out.invariants_ok);
}

TEST(Loader, SeveralImagesAreSeparateProcesses) {
    sim::Options options;
    options.quiet = true;
    options.console = false;
    std::vector<sim::Image> images{{"a", ImageBuilder().build()}, {"b", ImageBuilder().build()}};
    const sim::Outcome out = sim::run_programs(nullptr, 0, options, images);
    ASSERT_EQ(out.exits.size(), 2u);
    EXPECT_NE(out.exits[0].pid, out.exits[1].pid);
    EXPECT_EQ(out.exits[0].status, kAddend);
    EXPECT_EQ(out.exits[1].status, kAddend);
}

TEST(Loader, RefusesTruncatedFile) { expect_refused({0x7f, 'E', 'L', 'F'}, "truncated"); }

TEST(Loader, RefusesBadMagic) {
    auto bytes = ImageBuilder().build();
    bytes[1] = 'X';
    expect_refused(bytes, "not an ELF file");
}

TEST(Loader, RefusesElf32) {
    ImageBuilder b;
    b.eh.ident[4] = 1;
    expect_refused(b.build(), "ELF64");
}

TEST(Loader, RefusesOtherMachine) {
    ImageBuilder b;
    b.eh.machine = 183;  // AArch64
    expect_refused(b.build(), "built for machine 183");
}

TEST(Loader, RefusesFixedAddressExecutable) {
    ImageBuilder b;
    b.eh.type = elf::kTypeExec;
    expect_refused(b.build(), "not position independent");
}

TEST(Loader, RefusesProgramHeadersOutsideTheFile) {
    ImageBuilder b;
    b.eh.phoff = 0x100000;
    expect_refused(b.build(), "program headers lie outside the file");
}

TEST(Loader, RefusesSegmentOutsideTheFile) {
    ImageBuilder b;
    b.load.filesz = b.load.memsz = 0x100000;
    expect_refused(b.build(), "segment 0 lies outside the file");
}

TEST(Loader, RefusesSegmentWhoseFileSizeExceedsItsMemorySize) {
    ImageBuilder b;
    b.load.memsz = 16;
    expect_refused(b.build(), "file size exceeds memory size");
}

TEST(Loader, RefusesHugeImage) {
    ImageBuilder b;
    b.load.memsz = uint64_t{1} << 40;
    expect_refused(b.build(), "larger than");
}

TEST(Loader, RefusesSegmentWrappingTheAddressSpace) {
    ImageBuilder b;
    b.load.vaddr = ~uint64_t{0} - 0x100;
    expect_refused(b.build(), "wraps the address space");
}

TEST(Loader, RefusesImageWithoutTheBuildNote) {
    ImageBuilder b;
    b.with_note = false;
    expect_refused(b.build(), "not built by goos build");
}

TEST(Loader, RefusesImageForAnotherAbi) {
    ImageBuilder b;
    b.note_version = GOOS_ABI_VERSION - 1;
    expect_refused(b.build(), "built for GoOS ABI " + std::to_string(GOOS_ABI_VERSION - 1));
}

TEST(Loader, RefusesNoteRunningPastItsSegment) {
    ImageBuilder b;
    b.note.filesz = 16;
    expect_refused(b.build(), "runs past its segment");
}

TEST(Loader, RefusesDynamicLinking) {
    ImageBuilder b;
    b.dynamic.type = elf::kPtInterp;
    expect_refused(b.build(), "dynamically linked");
}

TEST(Loader, RefusesSharedLibraryDependencies) {
    ImageBuilder b;
    b.dyn.insert(b.dyn.begin(), {elf::kDtNeeded, 1});
    b.dyn.pop_back();
    b.dyn.back() = {elf::kDtNull, 0};
    expect_refused(b.build(), "shared libraries");
}

TEST(Loader, RefusesOtherRelocationTypes) {
    ImageBuilder b;
    b.rela.info = 1;  // R_X86_64_64: needs a symbol
    expect_refused(b.build(), "only R_X86_64_RELATIVE");
}

TEST(Loader, RefusesRelocationOutsideTheImage) {
    ImageBuilder b;
    b.rela.offset = 0x100000;
    expect_refused(b.build(), "outside the image");
}

TEST(Loader, RefusesRelocationTableOutsideTheFile) {
    ImageBuilder b;
    b.dyn[1].val = 0x10000 * sizeof(elf::Rela);
    expect_refused(b.build(), "relocation table");
}

TEST(Loader, RefusesEntryOutsideExecutableCode) {
    ImageBuilder b;
    b.eh.entry = 0x100000;
    expect_refused(b.build(), "entry point");
    ImageBuilder nx;
    nx.load.flags = 4;  // readable only
    expect_refused(nx.build(), "entry point");
}

// Rule (DESIGN.md, "Layout records"): every program's walks and marks trust an image's
// variable records, so an image without them, or with one that describes anything but
// whole words of its writable data, is refused.
TEST(Loader, RefusesImageWithoutVariableRecords) {
    ImageBuilder b;
    b.with_vars = false;
    expect_refused(b.build(), "no layout records for its package variables");
}

TEST(Loader, RefusesVariableRecordsWithABadMagicNumber) {
    ImageBuilder b;
    b.vars_header.magic = 0x12345678;
    expect_refused(b.build(), "magic number");
}

TEST(Loader, RefusesAVariableOutsideTheWritableData) {
    ImageBuilder readonly;
    readonly.load.flags = elf::kPfX | 4;
    expect_refused(readonly.build(), "variable 0 at 0x180 is not within a writable segment");
    ImageBuilder past;
    past.vars = {kFileSize + 0x2000 - 8, 16, 0};
    expect_refused(past.build(), "not within a writable segment");
}

TEST(Loader, RefusesOverlappingOrUnalignedVariables) {
    ImageBuilder overlap;
    overlap.vars_header.count = 2;
    overlap.vars = {kSlot, 16, 1, kSlot + 8, 8, 1};
    expect_refused(overlap.build(), "variable 1 at 0x188 overlaps or precedes");
    ImageBuilder odd;
    odd.vars = {kSlot + 4, 8, 1};
    expect_refused(odd.build(), "is not whole words");
}

TEST(Loader, RefusesLayoutBitsPastAVariableOrPastTheSection) {
    ImageBuilder past_end;
    past_end.vars = {kSlot, 8, GOOS_LAYOUT_POINTER << 2};  // word 1 of an 8-byte variable
    expect_refused(past_end.build(), "has layout bits past its end");
    ImageBuilder short_bits;
    short_bits.vars = {kSlot, 8};
    expect_refused(short_bits.build(), "layout bits run past .goos.vars");
    ImageBuilder more;
    more.vars_header.count = 2;
    expect_refused(more.build(), "variable 1 runs past .goos.vars");
    ImageBuilder extra;
    extra.vars.push_back(0);
    expect_refused(extra.build(), "bytes after its last variable");
}

// A refused image does not stop the others.
TEST(Loader, OthersRunWhenOneIsRefused) {
    sim::Options options;
    options.quiet = true;
    options.console = false;
    ImageBuilder bad;
    bad.with_note = false;
    std::vector<sim::Image> images{{"bad", bad.build()}, {"good", ImageBuilder().build()}};
    const sim::Outcome out = sim::run_programs(nullptr, 0, options, images);
    ASSERT_EQ(out.refused.size(), 1u);
    EXPECT_EQ(out.refused[0].rfind("bad: ", 0), 0u);
    ASSERT_EQ(out.exits.size(), 1u);
    EXPECT_EQ(out.exits[0].name, "good");
    EXPECT_EQ(out.exits[0].status, kAddend);
}

// The loader reads the image through the kernel in every configuration a user may pick.
TEST(Loader, RunsInDeterministicMode) {
    sim::Options options;
    options.quiet = true;
    options.console = false;
    options.deterministic = true;
    options.seed = 5;
    std::vector<sim::Image> images{{"img", ImageBuilder().build()}};
    const sim::Outcome out = sim::run_programs(nullptr, 0, options, images);
    ASSERT_EQ(out.exits.size(), 1u);
    EXPECT_EQ(out.exits[0].status, kAddend);
}

}  // namespace

namespace {

// Rule: the loader hands the program its functions from the ELF symbol table, sorted by
// address (what a traceback names frames by); data symbols are left out.
TEST(Loader, FunctionSymbolsReachTheProgramSorted) {
    ImageBuilder count;
    count.with_symbols = true;
    count.code_mode = 1;
    sim::Outcome out = run_image(count.build());
    ASSERT_EQ(out.exits.size(), 1u);
    EXPECT_EQ(out.exits[0].status, 2);
    ImageBuilder first;
    first.with_symbols = true;
    first.code_mode = 2;
    out = run_image(first.build());
    ASSERT_EQ(out.exits.size(), 1u);
    EXPECT_EQ(out.exits[0].status, static_cast<int>(kCode / 16));  // "early", though listed second
    ImageBuilder none;
    none.code_mode = 1;
    out = run_image(none.build());
    ASSERT_EQ(out.exits.size(), 1u);
    EXPECT_EQ(out.exits[0].status, 0);
}

}  // namespace
