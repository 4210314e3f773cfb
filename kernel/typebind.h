// Binding an image's type descriptors to the type segment (DESIGN.md, "One descriptor per
// type"): the loader hands each descriptor the image defines to `bind`, which writes its
// encoding (kernel/typedesc.h) from what the image holds and interns it. The image is
// untrusted input: every read is bounded by it, and an encoding that is not one of Go's
// layouts is refused, so a lying image gets types of its own or is not loaded.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "klib.h"
#include "result.h"

namespace kernel {

struct Process;

class ImageTypes {
public:
    // The image's placed (relocated) bytes are [lo, hi); its types are charged to p.
    ImageTypes(Process* p, uintptr_t lo, uintptr_t hi) : p_(p), lo_(lo), hi_(hi) {}
    ~ImageTypes();
    ImageTypes(const ImageTypes&) = delete;
    ImageTypes& operator=(const ImageTypes&) = delete;

    // The type segment's descriptor for the image's descriptor at `desc`. BAD_IMAGE, with
    // the reason in `why`, when it is not a descriptor the kernel can take; NO_MEMORY.
    Result<const goos_go::Type*> bind(uintptr_t desc, Buf& why);

private:
    template <class T>
    bool read(uintptr_t at, T* out);
    bool byte(uint8_t b);
    bool uv(uint64_t v);
    bool str(uintptr_t s);
    bool name(uintptr_t t);
    int same_name(uintptr_t a, uintptr_t b);
    bool ref(uintptr_t t, int depth);
    bool shape(uintptr_t t, int depth);
    bool encode(uintptr_t root);

    Process* p_;
    uintptr_t lo_, hi_;
    const char* why_ = nullptr;  // what the encoder found wrong
    // Scratch on kernel pages: the encoding being written, and the named types it lists.
    uint8_t* out_ = nullptr;
    uint32_t len_ = 0, cap_ = 0;
    uintptr_t* named_ = nullptr;
    uint32_t nnamed_ = 0, named_cap_ = 0;
};

}  // namespace kernel
