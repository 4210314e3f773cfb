// Fixed-size kernel objects carved from pool pages. Each slab page holds slots of one
// type; a pointer handed in from a program can thus be checked: it must fall on a slot
// boundary of a page of the right slab type, and the object must be live.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <new>

#include "page.h"

namespace kernel {

enum class SlabType : uint8_t { Thread = 1, Process, Channel, Name, Waiter, Record };

class SlabBase {
public:
    static constexpr size_t slot_size(size_t size) { return (size + 15) & ~size_t{15}; }
    SlabBase(SlabType type, size_t slot) : type_(type), slot_(slot_size(slot)) {}
    void reset() {
        free_ = nullptr;
        live_ = 0;
    }
    void* alloc(PageAllocator& pages);
    void free(void* obj);
    size_t live() const { return live_; }

private:
    struct FreeSlot {
        FreeSlot* next;
    };
    SlabType type_;
    size_t slot_;
    FreeSlot* free_ = nullptr;
    size_t live_ = 0;
};

template <class T, SlabType kType>
class Slab {
public:
    Slab() : base_(kType, sizeof(T)) {}
    void reset() { base_.reset(); }
    template <class... Args>
    T* create(PageAllocator& pages, Args&&... args) {
        void* mem = base_.alloc(pages);
        return mem ? new (mem) T(static_cast<Args&&>(args)...) : nullptr;
    }
    void destroy(T* obj) {
        obj->~T();
        base_.free(obj);
    }
    // The object that `addr` names exactly (a slot boundary on a page of this slab), or
    // nullptr. Whether the object is live is the caller's check (a magic word).
    T* lookup(PageAllocator& pages, uintptr_t addr) const {
        constexpr size_t slot = SlabBase::slot_size(sizeof(T));
        if (!pages.contains(addr)) return nullptr;
        const PageInfo& info = pages.info(addr);
        if (info.use != PageUse::Slab || info.slab_type != static_cast<uint8_t>(kType)) return nullptr;
        const uintptr_t off = addr % kPageSize;
        if (off % slot != 0 || off + slot > kPageSize) return nullptr;
        return reinterpret_cast<T*>(addr);
    }
    size_t live() const { return base_.live(); }

private:
    SlabBase base_;
};

}  // namespace kernel
