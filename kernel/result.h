// The kernel's one error type and its result wrapper. Errors stay typed inside the kernel
// and become a syscall status only at the syscall boundary (kernel/syscall.cpp).
#pragma once

#include <stdint.h>

#include "abi.h"

namespace kernel {

enum class Error : int64_t {
#define GOOS_X(name, value, text) name = value,
    GOOS_STATUSES(GOOS_X)
#undef GOOS_X
};

inline int64_t to_status(Error e) {
    return static_cast<int64_t>(e);
}

template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : value_(value), error_(Error::OK) {}  // NOLINT(google-explicit-constructor)
    Result(Error error) : value_(), error_(error) {}       // NOLINT(google-explicit-constructor)
    bool ok() const { return error_ == Error::OK; }
    Error error() const { return error_; }
    T value() const { return value_; }

private:
    T value_;
    Error error_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() : error_(Error::OK) {}
    Result(Error error) : error_(error) {}  // NOLINT(google-explicit-constructor)
    bool ok() const { return error_ == Error::OK; }
    Error error() const { return error_; }

private:
    Error error_;
};

}  // namespace kernel

// Propagates an error out of the calling function; evaluates to the value otherwise.
#define TRY(expr)                                          \
    ({                                                     \
        auto try_result_ = (expr);                         \
        if (!try_result_.ok()) return try_result_.error(); \
        try_result_.value();                               \
    })
#define TRY_VOID(expr)                                     \
    do {                                                   \
        auto try_result_ = (expr);                         \
        if (!try_result_.ok()) return try_result_.error(); \
    } while (0)
