// DWARF unwinding for recover, on libgcc_eh's Itanium unwind ABI: the exception that
// carries a recovered panic to the frame that deferred the recovering call, gccgo's
// personality routine (__gccgo_personality_v0), and the search for the image's unwind
// tables that libgcc_eh makes through _dl_find_object (mem.cpp, freestanding images).
//
// Every Go function with defers has a landing pad (calling checkdefer, then deferreturn)
// covering its calls, with a non-zero action; the personality routine stops the search
// at the first such pad and installs it. checkdefer raises again from there when the
// frame is not the one wanted. Foreign exceptions are passed through untouched.
#include "g.h"

namespace goos_rt {
namespace {

constexpr _Unwind_Exception_Class kGoExceptionClass = 0x474e5543474f0000ULL;  // "GNUCGO\0\0"

const uint8_t* read_uleb(const uint8_t* p, uintptr_t* v) {
    uintptr_t r = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *p++;
        r |= static_cast<uintptr_t>(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    *v = r;
    return p;
}

const uint8_t* read_sleb(const uint8_t* p, intptr_t* v) {
    uintptr_t r = 0;
    unsigned shift = 0;
    uint8_t b;
    do {
        b = *p++;
        r |= static_cast<uintptr_t>(b & 0x7f) << shift;
        shift += 7;
    } while (b & 0x80);
    if (shift < 64 && (b & 0x40)) r |= ~uintptr_t{0} << shift;
    *v = static_cast<intptr_t>(r);
    return p;
}

template <class T>
T load(const uint8_t* p) {
    T v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

// A DW_EH_PE-encoded value: what gcc emits for x86-64 LSDAs (uleb128 call sites, pcrel
// or absolute pointers, possibly indirect).
const uint8_t* read_encoded(_Unwind_Context* ctx, uint8_t enc, const uint8_t* p, uintptr_t* v) {
    if (enc == 0xff) {  // DW_EH_PE_omit
        *v = 0;
        return p;
    }
    const uint8_t* start = p;
    uintptr_t x;
    switch (enc & 0x0f) {
        case 0x00:
            x = load<uintptr_t>(p);
            p += 8;
            break;  // absptr
        case 0x01:
            p = read_uleb(p, &x);
            break;  // uleb128
        case 0x02:
            x = load<uint16_t>(p);
            p += 2;
            break;  // udata2
        case 0x03:
            x = load<uint32_t>(p);
            p += 4;
            break;  // udata4
        case 0x04:
            x = load<uint64_t>(p);
            p += 8;
            break;    // udata8
        case 0x09: {  // sleb128
            intptr_t s;
            p = read_sleb(p, &s);
            x = static_cast<uintptr_t>(s);
            break;
        }
        case 0x0a:
            x = static_cast<uintptr_t>(static_cast<intptr_t>(load<int16_t>(p)));
            p += 2;
            break;
        case 0x0b:
            x = static_cast<uintptr_t>(static_cast<intptr_t>(load<int32_t>(p)));
            p += 4;
            break;
        case 0x0c:
            x = load<uint64_t>(p);
            p += 8;
            break;
        default:
            fatal_panic("runtime: unwind: unknown pointer encoding");
    }
    if (x) {
        switch (enc & 0x70) {
            case 0x00:
                break;
            case 0x10:
                x += reinterpret_cast<uintptr_t>(start);
                break;  // pcrel
            case 0x20:
                x += _Unwind_GetTextRelBase(ctx);
                break;
            case 0x30:
                x += _Unwind_GetDataRelBase(ctx);
                break;
            case 0x40:
                x += _Unwind_GetRegionStart(ctx);
                break;  // funcrel
            default:
                fatal_panic("runtime: unwind: unknown pointer application");
        }
        if (enc & 0x80) x = *reinterpret_cast<const uintptr_t*>(x);  // indirect
    }
    *v = x;
    return p;
}

}  // namespace

void unwind_to_recovery(G* g) {
    _Unwind_Exception* e = &g->exc;
    e->exception_class = kGoExceptionClass;
    e->exception_cleanup = nullptr;
    _Unwind_RaiseException(e);
    // Only when no frame above has a landing pad, or a frame has no unwind table.
    fatal_panic("runtime: recover: no frame to unwind to (missing unwind tables?)");
}

}  // namespace goos_rt

using namespace goos_rt;

extern "C" _Unwind_Reason_Code rt_gccgo_personality(int version, _Unwind_Action actions, _Unwind_Exception_Class cls,
                                                    _Unwind_Exception* ue, _Unwind_Context* ctx)
    GO_SYM("__gccgo_personality_v0");

extern "C" _Unwind_Reason_Code rt_gccgo_personality(int version, _Unwind_Action actions, _Unwind_Exception_Class cls,
                                                    _Unwind_Exception* ue, _Unwind_Context* ctx) {
    if (version != 1) return _URC_FATAL_PHASE1_ERROR;
    if (cls != kGoExceptionClass) return _URC_CONTINUE_UNWIND;
    const auto* lsda = static_cast<const uint8_t*>(_Unwind_GetLanguageSpecificData(ctx));
    if (!lsda) return _URC_CONTINUE_UNWIND;
    // LSDA header: landing pad base, type table (unused: every Go handler catches all),
    // call-site table.
    const uintptr_t start = _Unwind_GetRegionStart(ctx);
    uintptr_t lp_start = start, tmp;
    const uint8_t lp_enc = *lsda++;
    if (lp_enc != 0xff) lsda = read_encoded(ctx, lp_enc, lsda, &lp_start);
    const uint8_t tt_enc = *lsda++;
    if (tt_enc != 0xff) lsda = read_uleb(lsda, &tmp);
    const uint8_t cs_enc = *lsda++;
    lsda = read_uleb(lsda, &tmp);
    const uint8_t* p = lsda;
    const uint8_t* const cs_end = lsda + tmp;
    int before = 0;
    uintptr_t ip = _Unwind_GetIPInfo(ctx, &before);
    if (!before) --ip;  // the call instruction, not the one after it
    while (p < cs_end) {
        uintptr_t cs_start, cs_len, cs_lp, cs_action;
        p = read_encoded(nullptr, cs_enc, p, &cs_start);
        p = read_encoded(nullptr, cs_enc, p, &cs_len);
        p = read_encoded(nullptr, cs_enc, p, &cs_lp);
        p = read_uleb(p, &cs_action);
        if (ip < start + cs_start) break;  // the table is sorted
        if (ip >= start + cs_start + cs_len) continue;
        if (!cs_lp) return _URC_CONTINUE_UNWIND;
        if (actions & _UA_SEARCH_PHASE) return cs_action ? _URC_HANDLER_FOUND : _URC_CONTINUE_UNWIND;
        _Unwind_SetGR(ctx, __builtin_eh_return_data_regno(0), reinterpret_cast<uintptr_t>(ue));
        _Unwind_SetGR(ctx, __builtin_eh_return_data_regno(1), 0);
        _Unwind_SetIP(ctx, lp_start + cs_lp);
        return _URC_INSTALL_CONTEXT;
    }
    return _URC_CONTINUE_UNWIND;
}

// ---- the image's unwind tables, for _dl_find_object (mem.cpp) ----

// The program's own ELF header, wherever the loader put the image: ld defines
// __ehdr_start, and a hidden symbol is reached PC-relative, so this needs no relocation.
extern "C" const uint8_t __ehdr_start[] __attribute__((visibility("hidden")));

namespace goos_rt {

bool image_unwind_info(ImageUnwindInfo* out) {
    static ImageUnwindInfo cached;
    static bool done = false;
    if (!__atomic_load_n(&done, __ATOMIC_ACQUIRE)) {
        struct Phdr {
            uint32_t type, flags;
            uint64_t offset, vaddr, paddr, filesz, memsz, align;
        };
        constexpr uint32_t kPtLoad = 1, kPtGnuEhFrame = 0x6474e550;
        const uint8_t* eh = __ehdr_start;
        const auto* ph = reinterpret_cast<const Phdr*>(eh + load<uint64_t>(eh + 32));
        const uint16_t phnum = load<uint16_t>(eh + 56);
        // Load bias: the first PT_LOAD maps the file from offset 0, ELF header included.
        uintptr_t bias = 0;
        for (uint16_t i = 0; i < phnum; ++i) {
            if (ph[i].type == kPtLoad) {
                bias = reinterpret_cast<uintptr_t>(eh) - (ph[i].vaddr - ph[i].offset);
                break;
            }
        }
        ImageUnwindInfo info{~uintptr_t{0}, 0, 0};
        for (uint16_t i = 0; i < phnum; ++i) {
            if (ph[i].type == kPtGnuEhFrame) info.eh_frame_hdr = bias + ph[i].vaddr;
            if (ph[i].type == kPtLoad) {
                const uintptr_t lo = bias + ph[i].vaddr, hi = lo + ph[i].memsz;
                if (lo < info.lo) info.lo = lo;
                if (hi > info.hi) info.hi = hi;
            }
        }
        cached = info;
        __atomic_store_n(&done, true, __ATOMIC_RELEASE);
    }
    *out = cached;
    return cached.eh_frame_hdr != 0;
}

}  // namespace goos_rt
