// The program loader (kernel/loader.cpp): a well-formed image is loaded, relocated and run
// as a process; each kind of malformed image is refused with its reason, and a refusal
// takes no page and creates no process.
//
// The images are made byte by byte (image_builder.h), so that each test breaks exactly
// one rule.
#include <string.h>

#include <string>
#include <vector>

#include <kernel/loader.h>

#include "image_builder.h"

#include "harness.h"

namespace {

using namespace goos_image;

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

TEST(Loader, RefusesTruncatedFile) {
    expect_refused({0x7f, 'E', 'L', 'F'}, "truncated");
}

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
    b.rela.info = 5;  // R_X86_64_COPY
    expect_refused(b.build(), "GLOB_DAT and JUMP_SLOT are supported");
}

// An image whose slot is relocated against a dynamic symbol; the symbol is defined at
// value (in the image) unless undefined, and weak when asked.
ImageBuilder with_symbol(uint32_t type, uint64_t value, int64_t addend, bool undefined = false, bool weak = false,
                         const char* name = "main.T..d") {
    ImageBuilder b;
    b.dynstr += std::string(name) + '\0';
    b.dynsyms = {elf::Sym{1, static_cast<uint8_t>((weak ? elf::kStbWeak : 1) << 4 | 1), 0,
                          static_cast<uint16_t>(undefined ? elf::kShnUndef : 1), value, 8}};
    b.rela = {kSlot, uint64_t{1} << 32 | type, addend};
    return b;
}

TEST(Loader, BindsRelocationsThatNameASymbol) {
    // A data word (symbol + addend) and a GOT slot (the symbol alone) both end up holding
    // an address in the loaded image: the program exits with slot - base.
    for (const auto& b : {with_symbol(elf::kRel64, 40, 2, false, false, "main.v"),
                          with_symbol(elf::kRelGlobDat, kAddend, 0, false, false, "main.v"),
                          with_symbol(elf::kRelJumpSlot, kAddend, 7, false, false, "main.v")}) {
        const sim::Outcome out = run_image(ImageBuilder(b).build());
        ASSERT_TRUE(out.refused.empty()) << out.refused[0];
        ASSERT_EQ(out.exits.size(), 1u);
        EXPECT_EQ(out.exits[0].status, kAddend);
    }
}

// An image whose GOT slot names its type descriptor main.T..d: an unnamed int (or what
// `lie` makes of it), with no pointers of its own.
ImageBuilder with_descriptor(void (*lie)(goos_go::Type*) = nullptr) {
    ImageBuilder b = with_symbol(elf::kRelGlobDat, kDescriptor, 0);
    b.code_mode = 3;
    goos_go::Type t{};
    t.size = 8;
    t.align = t.field_align = 8;
    t.kind = goos_go::kInt;
    if (lie) lie(&t);
    memcpy(b.bytes.data() + kDescriptor, &t, sizeof t);
    return b;
}

// Rule: a relocation that names a type descriptor is bound to the type segment's one
// descriptor for its type, not the image's: the slot points outside the image, at a
// descriptor of the image's kind.
TEST(Loader, BindsTypeDescriptorsToTheTypeSegment) {
    const sim::Outcome out = run_image(with_descriptor().build());
    ASSERT_TRUE(out.refused.empty()) << out.refused[0];
    ASSERT_EQ(out.exits.size(), 1u);
    EXPECT_EQ(out.exits[0].status, goos_go::kInt);
}

// Attack: an image whose descriptor lies about its type's layout, or points outside the
// image, is refused with the descriptor's name; it changes no type.
TEST(Loader, RefusesDescriptorsThatLie) {
    expect_refused(with_descriptor([](goos_go::Type* t) { t->size = 4; }).build(),
                   "type descriptor main.T..d is not a layout Go makes");
    expect_refused(with_descriptor([](goos_go::Type* t) { t->kind |= goos_go::kKindDirectIface; }).build(),
                   "type descriptor main.T..d is not a layout Go makes");
    expect_refused(with_descriptor([](goos_go::Type* t) { t->uncommon = reinterpret_cast<void*>(0x10000000); }).build(),
                   "type descriptor main.T..d points outside the image");
}

TEST(Loader, BindsAWeakSymbolNoOneDefinesToZero) {
    // The slot holds 0 + addend, so the program exits with addend - base, whose low byte
    // (an exit status) is the addend's, the base being page aligned; bound as if the
    // symbol's value (5) meant something, it would exit with 47.
    const sim::Outcome out = run_image(with_symbol(elf::kRel64, 5, kAddend, true, true).build());
    ASSERT_TRUE(out.refused.empty()) << out.refused[0];
    ASSERT_EQ(out.exits.size(), 1u);
    EXPECT_EQ(out.exits[0].status, kAddend);
}

TEST(Loader, RefusesASymbolItDoesNotDefine) {
    expect_refused(with_symbol(elf::kRelGlobDat, 0, 0, true).build(), "needs main.T..d, which it does not define");
}

TEST(Loader, RefusesASymbolOutsideTheImage) {
    expect_refused(with_symbol(elf::kRelGlobDat, 0x100000, 0).build(), "symbol main.T..d lies outside the image");
}

TEST(Loader, RefusesARelocationNamingASymbolPastTheTable) {
    ImageBuilder b = with_symbol(elf::kRelGlobDat, 8, 0);
    b.rela.info = uint64_t{200} << 32 | elf::kRelGlobDat;
    expect_refused(b.build(), "past the symbol table");
}

TEST(Loader, RefusesASymbolNameOutsideTheStrings) {
    ImageBuilder b = with_symbol(elf::kRelGlobDat, 8, 0);
    b.dynsyms[0].name = 500;
    expect_refused(b.build(), "whose name is not within the strings");
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

// An image whose code segment is followed by a writable segment that starts with
// relocated read-only data (PT_GNU_RELRO): that data is the image's read-only unit
// (abi.h, GOOS_LAYOUT_IMAGE_RO), which whoever reaches any byte of holds whole, so a
// variable may not lie in it; one past it loads.
ImageBuilder with_relro(uint64_t var) {
    ImageBuilder b;
    b.load.flags = elf::kPfX | 4;
    b.load.memsz = kFileSize;
    b.more_phdrs = {{elf::kPtLoad, elf::kPfW | 4, kFileSize, 0x1000, 0x1000, 0, 0x2000, 0x1000},
                    {elf::kPtGnuRelro, 4, kFileSize, 0x1000, 0x1000, 0, 0x1000, 1}};
    b.vars = {var, 8, GOOS_LAYOUT_POINTER};
    return b;
}

TEST(Loader, RefusesAVariableInTheReadOnlyUnit) {
    expect_refused(with_relro(0x1000).build(), "variable 0 at 0x1000 lies in the image's read-only data");
    expect_refused(with_relro(0xff8 + 0x1000).build(), "lies in the image's read-only data");
    const sim::Outcome out = run_image(with_relro(0x2000).build());
    ASSERT_TRUE(out.refused.empty()) << out.refused[0];
    ASSERT_EQ(out.exits.size(), 1u);
    EXPECT_EQ(out.exits[0].status, kAddend);
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
