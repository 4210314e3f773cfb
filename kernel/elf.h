// The parts of ELF64 (System V gABI and the x86-64 psABI) that the program loader reads.
// Our own definitions: kernel/ sees no system headers.
#pragma once

#include <stdint.h>

namespace kernel::elf {

struct Ehdr {
    uint8_t ident[16];
    uint16_t type;
    uint16_t machine;
    uint32_t version;
    uint64_t entry;
    uint64_t phoff;
    uint64_t shoff;
    uint32_t flags;
    uint16_t ehsize;
    uint16_t phentsize;
    uint16_t phnum;
    uint16_t shentsize;
    uint16_t shnum;
    uint16_t shstrndx;
};
static_assert(sizeof(Ehdr) == 64);

struct Phdr {
    uint32_t type;
    uint32_t flags;
    uint64_t offset;
    uint64_t vaddr;
    uint64_t paddr;
    uint64_t filesz;
    uint64_t memsz;
    uint64_t align;
};
static_assert(sizeof(Phdr) == 56);

struct Dyn {
    int64_t tag;
    uint64_t val;
};

struct Rela {
    uint64_t offset;
    uint64_t info;  // symbol << 32 | type
    int64_t addend;
};
static_assert(sizeof(Rela) == 24);

struct Shdr {
    uint32_t name;
    uint32_t type;
    uint64_t flags;
    uint64_t addr;
    uint64_t offset;
    uint64_t size;
    uint32_t link;
    uint32_t info;
    uint64_t addralign;
    uint64_t entsize;
};
static_assert(sizeof(Shdr) == 64);

struct Sym {
    uint32_t name;
    uint8_t info;  // binding << 4 | type
    uint8_t other;
    uint16_t shndx;
    uint64_t value;
    uint64_t size;
};
static_assert(sizeof(Sym) == 24);

struct Nhdr {
    uint32_t namesz;
    uint32_t descsz;
    uint32_t type;
};

constexpr uint8_t kClass64 = 2;
constexpr uint8_t kData2Lsb = 1;
constexpr uint16_t kTypeExec = 2;
constexpr uint16_t kTypeDyn = 3;
constexpr uint16_t kMachineX86_64 = 62;

constexpr uint32_t kPtLoad = 1;
constexpr uint32_t kPtDynamic = 2;
constexpr uint32_t kPtInterp = 3;
constexpr uint32_t kPtNote = 4;
constexpr uint32_t kPtGnuRelro = 0x6474e552;
constexpr uint32_t kPfX = 1;
constexpr uint32_t kPfW = 2;

constexpr int64_t kDtNull = 0;
constexpr int64_t kDtNeeded = 1;
constexpr int64_t kDtPltRelSz = 2;
constexpr int64_t kDtStrTab = 5;
constexpr int64_t kDtSymTab = 6;
constexpr int64_t kDtRela = 7;
constexpr int64_t kDtRelaSz = 8;
constexpr int64_t kDtRelaEnt = 9;
constexpr int64_t kDtStrSz = 10;
constexpr int64_t kDtSymEnt = 11;
constexpr int64_t kDtRel = 17;
constexpr int64_t kDtRelSz = 18;
constexpr int64_t kDtPltRel = 20;
constexpr int64_t kDtJmpRel = 23;

constexpr uint32_t kShtSymtab = 2;
constexpr uint32_t kShtStrtab = 3;
constexpr uint8_t kSttObject = 1;
constexpr uint8_t kSttFunc = 2;
constexpr uint8_t kStbWeak = 2;
constexpr uint16_t kShnUndef = 0;

constexpr uint32_t kRelNone = 0;
constexpr uint32_t kRel64 = 1;
constexpr uint32_t kRelGlobDat = 6;
constexpr uint32_t kRelJumpSlot = 7;
constexpr uint32_t kRelRelative = 8;

}  // namespace kernel::elf
