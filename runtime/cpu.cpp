// The two instructions behind Go's internal/cpu on x86-64 (runtime/go/internal/cpu,
// cpu_x86.go declares them bodyless): cpuid and xgetbv, as libgo's cpu_gccgo.c provides
// them. Nothing in GoOS calls cpu.Initialize yet, so the feature flags stay false.
#include "rt.h"

namespace {
struct CpuidResult {
    uint32_t eax, ebx, ecx, edx;
};
struct XgetbvResult {
    uint32_t eax, edx;
};
}  // namespace

extern "C" {

CpuidResult cpu_cpuid(uint32_t eax_arg, uint32_t ecx_arg) GO_SYM("internal_1cpu.cpuid");
CpuidResult cpu_cpuid(uint32_t eax_arg, uint32_t ecx_arg) {
    CpuidResult r;
    __asm__ volatile("cpuid" : "=a"(r.eax), "=b"(r.ebx), "=c"(r.ecx), "=d"(r.edx) : "a"(eax_arg), "c"(ecx_arg));
    return r;
}

// Only meaningful when cpuid reports OSXSAVE (cpu_x86.go checks before calling).
XgetbvResult cpu_xgetbv() GO_SYM("internal_1cpu.xgetbv");
XgetbvResult cpu_xgetbv() {
    XgetbvResult r;
    __asm__ volatile("xgetbv" : "=a"(r.eax), "=d"(r.edx) : "c"(0));
    return r;
}
}
