// Type encodings as the runtime's encoder writes them (kernel/typedesc.h), for tests that
// need the kernel to accept a type: a small writer, and the channel types tests make.
#pragma once

#include <stdint.h>

#include <initializer_list>
#include <string>
#include <vector>

#include <kernel/abi.h>

namespace goos_test {

class Enc {
public:
    explicit Enc(uint8_t flags = 0) : b_{GOOS_TYPE_ENC_VERSION, flags} {}
    Enc& byte(uint8_t v) {
        b_.push_back(v);
        return *this;
    }
    Enc& uv(uint64_t v) {
        for (; v >= 0x80; v >>= 7) b_.push_back(static_cast<uint8_t>(v | 0x80));
        b_.push_back(static_cast<uint8_t>(v));
        return *this;
    }
    Enc& str(const std::string& s) {
        uv(s.size());
        b_.insert(b_.end(), s.begin(), s.end());
        return *this;
    }
    // A named type's reference, or its entry's name: package path and name.
    Enc& named(const std::string& pkg, const std::string& name) { return byte('N').str(pkg).str(name); }
    Enc& entry(const std::string& pkg, const std::string& name) { return str(pkg).str(name); }
    // A shape's header: kind (with goos_go::kKindDirectIface when direct), size, ptrdata,
    // align, field align.
    Enc& shape(uint8_t kind, uint64_t size, uint64_t ptrdata, uint8_t align) {
        return byte(kind).uv(size).uv(ptrdata).byte(align).byte(align);
    }
    Enc& inline_shape(uint8_t kind, uint64_t size, uint64_t ptrdata, uint8_t align) {
        return byte('U').shape(kind, size, ptrdata, align);
    }
    // A struct field after its type's ref: tag and offset.
    Enc& field_end(uint64_t offset, const std::string& tag = "") { return str(tag).uv(offset << 1); }
    // The entry of a predeclared type: int, int64, string, float64, bool.
    Enc& int_entry() { return entry("", "int").shape(goos_go::kInt, 8, 0, 8); }
    const std::vector<uint8_t>& bytes() const { return b_; }

private:
    std::vector<uint8_t> b_;
};

constexpr uint8_t kDirect = goos_go::kKindDirectIface;

// chan int, and chan *int (whose values hold pointers), as constants a program can copy.
// clang-format off
constexpr uint8_t kChanInt[] = {GOOS_TYPE_ENC_VERSION, 0,
                                'U', goos_go::kChan | kDirect, 8, 8, 8, 8, 3,
                                'N', 0, 3, 'i', 'n', 't',
                                0, 3, 'i', 'n', 't', goos_go::kInt, 8, 0, 8, 8};
constexpr uint8_t kChanPtr[] = {GOOS_TYPE_ENC_VERSION, GOOS_TYPE_ENC_POINTERS,
                                'U', goos_go::kChan | kDirect, 8, 8, 8, 8, 3,
                                'U', goos_go::kPtr | kDirect, 8, 8, 8, 8,
                                'N', 0, 3, 'i', 'n', 't',
                                0, 3, 'i', 'n', 't', goos_go::kInt, 8, 0, 8, 8};
// clang-format on

}  // namespace goos_test
