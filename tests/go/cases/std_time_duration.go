// time.Duration: String in every unit range (Go's exact text, µ included), the
// conversions and rounding, against gccgo with libgo.
package main

import "time"

func main() {
	ds := []time.Duration{
		0, 1, -1, 999, time.Microsecond, -time.Microsecond, 1500 * time.Nanosecond,
		time.Millisecond, 100 * time.Millisecond, 1234567 * time.Nanosecond,
		time.Second, 1500 * time.Millisecond, -1500 * time.Millisecond, 59 * time.Second,
		time.Minute, 90 * time.Second, time.Hour, 2*time.Hour + 3*time.Minute + 4*time.Second + 5*time.Millisecond,
		72*time.Hour + 500*time.Millisecond, time.Hour + time.Nanosecond,
		1<<63 - 1, -1 << 63,
	}
	for _, d := range ds {
		println(int64(d), d.String())
	}
	d := 90*time.Minute + 30*time.Second
	println(d.Hours(), d.Minutes(), d.Seconds())
	println(d.Milliseconds(), d.Microseconds(), d.Nanoseconds())
	x := 1234567891 * time.Nanosecond
	for _, m := range []time.Duration{0, -1, time.Microsecond, time.Millisecond, time.Second, time.Hour} {
		println(m.String(), x.Truncate(m).String(), x.Round(m).String(), (-x).Round(m).String())
	}
	println(time.Duration(1<<63-1).Round(time.Hour).String(), time.Duration(-1<<63).Round(time.Hour).String())
	println(time.Nanosecond, time.Microsecond, time.Millisecond, time.Second, time.Minute, time.Hour)
}
