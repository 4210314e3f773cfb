// Package time is GoOS's implementation of Go's time package, for measuring and waiting:
// Duration (with Go's String), Time on the kernel's monotonic clock, Sleep, and timers
// and tickers that deliver on channels. GoOS has no wall clock yet, so there are no
// dates, time zones or formatting: a Time is an instant on the clock that starts when
// the kernel starts (in deterministic mode, the virtual clock).
package time

// A Time is an instant: nanoseconds since the kernel started. The zero Time is that
// start; Now is never earlier. Times compare correctly with ==, but Equal is the
// portable way, as in Go.
type Time struct {
	ns int64
}

// Now returns the current instant of the kernel's monotonic clock.
func Now() Time { return Time{now()} }

// Since returns the time elapsed since t: Now().Sub(t).
func Since(t Time) Duration { return Now().Sub(t) }

// Until returns the duration until t: t.Sub(Now()).
func Until(t Time) Duration { return t.Sub(Now()) }

// Unix returns the instant sec seconds and nsec nanoseconds after the clock's start
// (GoOS's stand-in for the Unix epoch, so that t.UnixNano() round-trips).
func Unix(sec int64, nsec int64) Time { return Time{sec*1e9 + nsec} }

// UnixMilli returns the instant msec milliseconds after the clock's start.
func UnixMilli(msec int64) Time { return Time{msec * 1e6} }

// UnixMicro returns the instant usec microseconds after the clock's start.
func UnixMicro(usec int64) Time { return Time{usec * 1e3} }

// Sub returns t-u, saturated to the largest or smallest Duration on overflow.
func (t Time) Sub(u Time) Duration {
	d := Duration(t.ns - u.ns)
	switch {
	case u.Add(d).Equal(t):
		return d
	case t.Before(u):
		return minDuration
	default:
		return maxDuration
	}
}

// Add returns t+d.
func (t Time) Add(d Duration) Time { return Time{t.ns + int64(d)} }

// Before reports whether t is before u.
func (t Time) Before(u Time) bool { return t.ns < u.ns }

// After reports whether t is after u.
func (t Time) After(u Time) bool { return t.ns > u.ns }

// Equal reports whether t and u are the same instant.
func (t Time) Equal(u Time) bool { return t.ns == u.ns }

// IsZero reports whether t is the zero Time, the clock's start.
func (t Time) IsZero() bool { return t.ns == 0 }

// Unix returns t as whole seconds since the clock's start.
func (t Time) Unix() int64 { return t.ns / 1e9 }

// UnixMilli returns t in milliseconds since the clock's start.
func (t Time) UnixMilli() int64 { return t.ns / 1e6 }

// UnixMicro returns t in microseconds since the clock's start.
func (t Time) UnixMicro() int64 { return t.ns / 1e3 }

// UnixNano returns t in nanoseconds since the clock's start.
func (t Time) UnixNano() int64 { return t.ns }

// Nanosecond returns the nanosecond offset of t within its second, in [0, 999999999].
func (t Time) Nanosecond() int { return int(t.ns % 1e9) }

// Sleep pauses the calling goroutine for at least d; it returns at once if d <= 0. The
// goroutine waits in the kernel and uses no CPU meanwhile.
func Sleep(d Duration) { sleep(int64(d)) }

// now returns nanoseconds since the kernel started (runtime/std.cpp).
func now() int64

// sleep blocks the calling goroutine for at least ns nanoseconds (runtime/std.cpp).
func sleep(ns int64)
