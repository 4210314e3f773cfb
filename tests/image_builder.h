// A GoOS program image made byte by byte (tests/loader_test.cpp, fuzz/graphs.cpp): a
// position-independent ELF64 with one loadable segment (headers, code, a relocated data
// word, the dynamic section, the relocation table, the GoOS build note and, when asked,
// dynamic symbols a relocation may name) and, past it, the section
// headers: the package variables' layout records (.goos.vars: by default the data word is
// a variable holding a pointer) and, when asked, a symbol table. Each field can be broken
// on its own, so that a test breaks exactly one rule.
#pragma once

#include <string.h>

#include <string>
#include <vector>

#include <kernel/abi.h>
#include <kernel/elf.h>

namespace goos_image {

namespace elf = kernel::elf;

// Offsets within the image file (= virtual addresses: the segment starts at 0).
constexpr uint64_t kPhoff = 64;
constexpr int kPhnum = 3;  // LOAD, DYNAMIC, NOTE
constexpr uint64_t kCode = 0x100;
constexpr uint64_t kSlot = 0x180;  // a data word: base + 42 after relocation
constexpr uint64_t kDynamic = 0x200;
constexpr uint64_t kRela = 0x280;
constexpr uint64_t kNote = 0x300;
constexpr uint64_t kDynSym = 0x340;  // up to two dynamic symbols after the null one
constexpr uint64_t kDynStr = 0x388;
constexpr uint64_t kDescriptor = 0x3a0;  // room for a type descriptor's common part
constexpr uint64_t kFileSize = 0x400;
constexpr int64_t kAddend = 42;

struct ImageBuilder {
    std::vector<uint8_t> bytes = std::vector<uint8_t>(kFileSize);
    elf::Ehdr eh{};
    elf::Phdr load{}, dynamic{}, note{};
    // Program headers after those three: the whole table then lies past the loaded part
    // (a loader reads it from the file), where there is room for it.
    std::vector<elf::Phdr> more_phdrs;
    std::vector<elf::Dyn> dyn;
    elf::Rela rela{};
    // Dynamic symbols (after the null one) and their names, NUL-separated from offset 1;
    // when not empty, the dynamic section lists them.
    std::vector<elf::Sym> dynsyms;
    std::string dynstr = std::string(1, '\0');
    uint32_t note_type = GOOS_NOTE_BUILD;
    uint32_t note_version = GOOS_ABI_VERSION;
    bool with_note = true;
    // Exit status: *slot - base (0), the number of function symbols (1), the first
    // symbol's offset / 16 (2), or the kind byte of the type descriptor *slot points to when
    // that lies outside the image's page, else 0 (3); or, when not empty, this code at kCode
    // instead.
    int code_mode = 0;
    std::vector<uint8_t> code;
    bool with_symbols = false;
    bool with_vars = true;
    // .goos.vars: the header, then variables as {vaddr, size, bits...} words.
    goos_vars_header vars_header{GOOS_VARS_MAGIC, 1};
    std::vector<uint64_t> vars = {kSlot, 8, GOOS_LAYOUT_POINTER};

    ImageBuilder() {
        memcpy(eh.ident,
               "\x7f"
               "ELF",
               4);
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
        dyn = {{elf::kDtRela, kRela},
               {elf::kDtRelaSz, sizeof(elf::Rela)},
               {elf::kDtRelaEnt, sizeof(elf::Rela)},
               {elf::kDtNull, 0}};
        rela = {kSlot, elf::kRelRelative, kAddend};
    }

    // The program: exit(*slot - base), i.e. status 42 when the relocation was applied
    // against the address the image was loaded at.
    void write_code() {
        if (!code.empty()) {
            memcpy(bytes.data() + kCode, code.data(), code.size());
            return;
        }
        const auto rip_disp = [](uint64_t next, uint64_t target) {
            return static_cast<uint32_t>(static_cast<int64_t>(target) - static_cast<int64_t>(next));
        };
        std::vector<uint8_t> c = {0x48, 0x8b, 0x47, 0x08};  // mov rax, [rdi+8]: info->syscall
        auto emit32 = [&](uint32_t v) {
            for (int i = 0; i < 4; ++i) c.push_back(static_cast<uint8_t>(v >> (8 * i)));
        };
        if (code_mode == 3) {
            c.insert(c.end(), {0x48, 0x8b, 0x35});  // mov rsi, [rip+slot]
            emit32(rip_disp(kCode + c.size() + 4, kSlot));
            c.insert(c.end(), {0x49, 0x89, 0xf0});  // mov r8, rsi
            c.insert(c.end(), {0x48, 0x8d, 0x15});  // lea rdx, [rip+0]: the load base
            emit32(rip_disp(kCode + c.size() + 4, 0));
            c.insert(c.end(), {0x48, 0x29, 0xd6});                    // sub rsi, rdx
            c.insert(c.end(), {0x31, 0xc9});                          // xor ecx, ecx
            c.insert(c.end(), {0x48, 0x81, 0xfe, 0x00, 0x10, 0, 0});  // cmp rsi, 0x1000
            c.insert(c.end(), {0x72, 0x05});                          // jb +5
            c.insert(c.end(), {0x41, 0x0f, 0xb6, 0x48, 0x17});        // movzx ecx, byte [r8+23]: kind
            c.insert(c.end(), {0x89, 0xce});                          // mov esi, ecx
            c.push_back(0xbf);                                        // mov edi, GOOS_SYS_exit
            emit32(GOOS_SYS_exit);
            c.insert(c.end(), {0xff, 0xe0});  // jmp rax
            memcpy(bytes.data() + kCode, c.data(), c.size());
            return;
        }
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
        if (!dynsyms.empty()) {
            dyn.insert(dyn.end() - 1,
                       {{elf::kDtSymTab, kDynSym}, {elf::kDtStrTab, kDynStr}, {elf::kDtStrSz, dynstr.size()}});
            dynamic.filesz = dynamic.memsz = dyn.size() * sizeof(elf::Dyn);
            memcpy(bytes.data() + kPhoff + sizeof(elf::Phdr), &dynamic, sizeof dynamic);
            std::vector<elf::Sym> all = {elf::Sym{}};
            all.insert(all.end(), dynsyms.begin(), dynsyms.end());
            memcpy(bytes.data() + kDynSym, all.data(), all.size() * sizeof(elf::Sym));
            memcpy(bytes.data() + kDynStr, dynstr.data(), dynstr.size());
        }
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
        if (!more_phdrs.empty()) {
            std::vector<elf::Phdr> all = {load, dynamic, note};
            all.insert(all.end(), more_phdrs.begin(), more_phdrs.end());
            eh.phoff = append(all.data(), all.size() * sizeof(elf::Phdr));
            eh.phnum = static_cast<uint16_t>(all.size());
            memcpy(bytes.data(), &eh, sizeof eh);
        }
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

}  // namespace goos_image
