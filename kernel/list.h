// Intrusive doubly linked list: the element carries its links, so linking never allocates
// and unlinking is O(1). An element may sit in several lists through several Link members.
#pragma once

#include <stddef.h>

namespace kernel {

struct Link {
    Link* prev = nullptr;
    Link* next = nullptr;
    bool linked() const { return next != nullptr; }
    Link() = default;
    Link(const Link&) = delete;
    Link& operator=(const Link&) = delete;
};

template <class T, Link T::*M>
class List {
public:
    List() { head_.prev = head_.next = &head_; }
    List(const List&) = delete;
    List& operator=(const List&) = delete;

    bool empty() const { return head_.next == &head_; }
    size_t size() const { return size_; }
    T* front() const { return empty() ? nullptr : from(head_.next); }
    T* back() const { return empty() ? nullptr : from(head_.prev); }
    T* next(T* item) const {
        Link* l = (item->*M).next;
        return l == &head_ ? nullptr : from(l);
    }

    void push_back(T* item) { insert_before(&head_, item); }
    void push_front(T* item) { insert_before(head_.next, item); }
    // Inserts `item` before `pos` (nullptr: at the end).
    void insert(T* pos, T* item) { insert_before(pos ? &(pos->*M) : &head_, item); }
    void remove(T* item) {
        Link& l = item->*M;
        l.prev->next = l.next;
        l.next->prev = l.prev;
        l.prev = l.next = nullptr;
        --size_;
    }
    T* pop_front() {
        T* item = front();
        if (item) remove(item);
        return item;
    }
    void clear() {
        while (!empty()) pop_front();
    }

private:
    static T* from(Link* l) {
        // The Itanium C++ ABI (both our targets) represents a data member pointer as the
        // member's offset, so this needs no object.
        const auto off = __builtin_bit_cast(ptrdiff_t, M);
        return reinterpret_cast<T*>(reinterpret_cast<char*>(l) - off);
    }
    void insert_before(Link* pos, T* item) {
        Link& l = item->*M;
        l.next = pos;
        l.prev = pos->prev;
        pos->prev->next = &l;
        pos->prev = &l;
        ++size_;
    }

    Link head_;
    size_t size_ = 0;
};

}  // namespace kernel
